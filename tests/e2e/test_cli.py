"""The `tributary` command line: --version, --help, bad worker files, and connector files
(JSON and .properties, as connect-standalone takes) given at start-up."""
import json
import subprocess

import pytest

from conftest import GENERATOR, Worker, tributary_bin, unique

pytestmark = pytest.mark.kafka


def run(*args):
    return subprocess.run([str(tributary_bin()), *args], capture_output=True, text=True,
                          timeout=30)


def test_version_and_help():
    v = run("--version")
    assert v.returncode == 0 and v.stdout.startswith("tributary "), v
    h = run("--help")
    assert h.returncode == 0 and "standalone" in h.stdout and "worker.properties" in h.stdout
    bad = run("distributed")
    assert bad.returncode == 2 and "Usage" in bad.stderr


def test_missing_worker_file_names_it(tmp_path):
    r = run("standalone", str(tmp_path / "nope.properties"))
    assert r.returncode == 2
    assert "nope.properties" in r.stderr, r.stderr


def test_bad_worker_value_names_the_key(tmp_path):
    props = tmp_path / "w.properties"
    props.write_text("offset.flush.interval.ms=often\n")
    r = run("standalone", str(props))
    assert r.returncode == 2
    assert "offset.flush.interval.ms" in r.stderr, r.stderr


def test_bad_connector_file_names_it(tmp_path):
    props = tmp_path / "w.properties"
    props.write_text("listeners=http://127.0.0.1:0\n")
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    r = run("standalone", str(props), str(bad))
    assert r.returncode == 2
    assert "broken.json" in r.stderr, r.stderr


def test_connector_files_json_and_properties(tmp_path):
    topic_a, topic_b = unique("cli-a"), unique("cli-b")
    a = tmp_path / "a.json"
    a.write_text(json.dumps({"name": "cli-json", "config": {
        "connector.class": GENERATOR, "topic": topic_a, "rate.per.sec": 10,
        "value.converter.schemas.enable": False}}))
    b = tmp_path / "b.properties"
    b.write_text(f"name=cli-props\nconnector.class=GeneratorSource\ntopic={topic_b}\n"
                 "rate.per.sec=10\n")
    w = Worker(tmp_path / "w")
    try:
        w.start(connector_files=[a, b])
        assert sorted(w.get("/connectors").json) == ["cli-json", "cli-props"]
        w.wait_state("cli-json", "RUNNING", "RUNNING")
        w.wait_state("cli-props", "RUNNING", "RUNNING")
        cfg = w.get("/connectors/cli-json/config").json
        assert cfg["rate.per.sec"] == "10" and cfg["value.converter.schemas.enable"] == "false"
        assert w.stop() == 0
    finally:
        w.kill()
