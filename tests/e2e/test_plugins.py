"""plugin.path holding a file that is not a Tributary plugin: the worker logs the file and the
missing symbol, keeps serving, and lists only the plugins that loaded."""
import shutil

import pytest

from conftest import GENERATOR, Worker, plugin_dir

pytestmark = pytest.mark.kafka


def test_broken_plugins_are_reported_and_skipped(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(plugin_dir() / "libtributary-generator.so", plugins)
    (plugins / "libgarbage.so").write_bytes(b"not an ELF file")
    sdk = plugin_dir().parent / "lib" / "libtributary_sdk.so"  # a real .so without the entry
    shutil.copy(sdk, plugins / "libnotaplugin.so")
    w = Worker(tmp_path / "w", extra={"plugin.path": str(plugins)})
    try:
        w.start()
        classes = {p["class"] for p in w.get("/connector-plugins").json}
        assert classes == {GENERATOR}
        log = w.log_path.read_text()
        assert "libgarbage.so" in log and "dlopen" in log, w.log_tail()
        assert "libnotaplugin.so" in log and "tributary_plugin_abi_version" in log, w.log_tail()
        assert w.stop() == 0
    finally:
        w.kill()
