"""Fixtures for end-to-end tests: the real `tributary standalone` binary, a real Kafka broker,
and curl for every REST call (as an operator would script it).

Environment:
  TRIBUTARY_BIN              worker binary (default <repo>/build/bin/tributary)
  TRIBUTARY_PLUGIN_DIR       plugin.path (default <repo>/build/plugins)
  TRIBUTARY_TEST_BOOTSTRAP   Kafka bootstrap servers (default 127.0.0.1:19092); tests/env/kafka.sh
                             starts one: tests/env/kafka.sh start /tmp/kafka 19092
  TRIBUTARY_TEST_PG          PostgreSQL host:port (tests/env/postgres.sh; see pg_util.py)
  TRIBUTARY_TEST_REGISTRY    schema registry base URL (tests/env/registry.sh start DIR PORT:
                             http://127.0.0.1:PORT/apis/ccompat/v7; see test_avro.py)
"""

import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BOOTSTRAP = os.environ.get("TRIBUTARY_TEST_BOOTSTRAP", "127.0.0.1:19092")
GENERATOR = "io.tributary.connect.generator.GeneratorSourceConnector"
JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter"
STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "kafka: needs a Kafka broker at $TRIBUTARY_TEST_BOOTSTRAP (default 127.0.0.1:19092)",
    )


def tributary_bin():
    return pathlib.Path(os.environ.get("TRIBUTARY_BIN", REPO / "build" / "bin" / "tributary"))


def plugin_dir():
    return pathlib.Path(os.environ.get("TRIBUTARY_PLUGIN_DIR", REPO / "build" / "plugins"))


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# ---- curl --------------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, text):
        self.status = status
        self.headers = headers  # lower-case name -> value (last one wins)
        self.text = text
        try:
            self.json = json.loads(text) if text.strip() else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.text[:300]!r}>"


def curl(method, url, body=None, raw=None, headers=None, timeout=60, extra=()):
    """Runs curl once. `body` is JSON-encoded; `raw` (str or bytes) is sent as it is; `extra` are
    more curl arguments (--cacert, -u). Returns a Response; raises AssertionError when curl
    itself fails (connection refused, timeout, a TLS handshake refused)."""
    with tempfile.TemporaryDirectory() as tmp:
        hdr = os.path.join(tmp, "headers")
        out = os.path.join(tmp, "body")
        cmd = ["curl", "-sS", "-g", "--path-as-is", "-X", method, "-D", hdr, "-o", out,
               "-w", "%{http_code}", "--max-time", str(timeout), *extra]
        for h in headers or []:
            cmd += ["-H", h]
        data = None
        if body is not None:
            data = json.dumps(body).encode()
        elif raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
        if data is not None:
            path = os.path.join(tmp, "request")
            with open(path, "wb") as f:
                f.write(data)
            cmd += ["--data-binary", "@" + path]
            if not any(h.lower().startswith("content-type:") for h in headers or []):
                cmd += ["-H", "Content-Type: application/json"]
        cmd.append(url)
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout + 10)
        if proc.returncode != 0:
            raise AssertionError(f"curl {method} {url} failed ({proc.returncode}): "
                                 f"{proc.stderr.decode(errors='replace')}")
        status = int(proc.stdout.decode().strip() or 0)
        headers_out = {}
        with open(hdr, "rb") as f:
            blocks = [b for b in f.read().decode("latin-1").split("\r\n\r\n") if b.strip()]
        if blocks:
            for line in blocks[-1].split("\r\n")[1:]:  # the last block: the final response
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers_out[k.strip().lower()] = v.strip()
        text = ""
        if os.path.exists(out):
            with open(out, "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
        return Response(status, headers_out, text)


def wait_for(predicate, timeout=30.0, interval=0.25, what="condition"):
    """Polls until predicate() returns a truthy value and returns it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except AssertionError as e:  # curl failures while a worker restarts
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- The worker ------------------------------------------------------------------------------


class Worker:
    """One `tributary standalone worker.properties` process with its files in `workdir`.
    stop() and start() again reuse the same files and port (a worker restart)."""

    def __init__(self, workdir, extra=None):
        self.dir = pathlib.Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.props = self.dir / "worker.properties"
        self.log_path = self.dir / "worker.log"
        self.proc = None
        self.curl_extra = []  # e.g. ["--cacert", ca, "-u", "user:pass"] for a secured worker
        suffix = uuid.uuid4().hex[:10]
        props = {
            "bootstrap.servers": BOOTSTRAP,
            "listeners": f"http://127.0.0.1:{self.port}",
            "plugin.path": str(plugin_dir()),
            "offset.storage.file.filename": str(self.dir / "offsets"),
            "offset.flush.interval.ms": "1000",
            "key.converter": JSON_CONVERTER,
            "value.converter": JSON_CONVERTER,
            # Several runs may share one broker: keep any Kafka-side state of this worker apart.
            "group.id": f"tributary-e2e-{suffix}",
            "config.storage.topic": f"tributary-e2e-{suffix}-configs",
            "offset.storage.topic": f"tributary-e2e-{suffix}-offsets",
            "status.storage.topic": f"tributary-e2e-{suffix}-status",
        }
        props.update(extra or {})  # e.g. another bootstrap.servers, or no offsets file
        props = {k: v for k, v in props.items() if v is not None}
        self.props.write_text("".join(f"{k}={v}\n" for k, v in props.items()))

    def start(self, timeout=60, ready_status=200, connector_files=()):
        binary = tributary_bin()
        if not binary.exists():
            pytest.fail(f"worker binary {binary} not found: build it or set TRIBUTARY_BIN")
        log = open(self.log_path, "ab")
        log.write(f"\n===== start {time.strftime('%H:%M:%S')} =====\n".encode())
        log.flush()
        self.proc = subprocess.Popen([str(binary), "standalone", str(self.props),
                                      *map(str, connector_files)], cwd=self.dir,
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"worker exited with {self.proc.returncode} during start\n"
                            f"{self.log_tail()}")
            try:
                if (curl("GET", self.url("/"), timeout=5, extra=self.curl_extra).status == 200
                        and curl("GET", self.url("/health"), timeout=5,
                                 extra=self.curl_extra).status == ready_status):
                    return self
            except AssertionError:
                pass
            time.sleep(0.2)
        self.kill()
        pytest.fail(f"worker not ready on {self.base} within {timeout}s\n{self.log_tail()}")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the worker and waits; returns its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"worker did not exit within {timeout}s of {sig!r}\n"
                                 f"{self.log_tail()}")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def url(self, path):
        return self.base + path

    def log_tail(self, lines=60):
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no worker log)"
        return "---- worker log (tail) ----\n" + "\n".join(text[-lines:])

    # REST shortcuts
    def call(self, method, path, body=None, raw=None, headers=None, timeout=60):
        return curl(method, self.url(path), body=body, raw=raw, headers=headers, timeout=timeout,
                    extra=self.curl_extra)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def status(self, name):
        r = self.get(f"/connectors/{name}/status")
        assert r.status == 200, r
        return r.json

    def wait_state(self, name, connector_state, task_state=None, tasks=None, timeout=30):
        """Waits until the connector (and every task, when task_state is given) is in the state."""
        def check():
            s = self.status(name)
            if s["connector"]["state"] != connector_state:
                return None
            if tasks is not None and len(s["tasks"]) != tasks:
                return None
            if task_state is not None and (not s["tasks"] or
                                           any(t["state"] != task_state for t in s["tasks"])):
                return None
            return s
        return wait_for(check, timeout, what=f"{name} {connector_state}/{task_state}")


def generator_config(topic, **extra):
    config = {
        "connector.class": GENERATOR,
        "tasks.max": "1",
        "topic": topic,
        "rate.per.sec": "50",
        "fields": "5",
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def kafka_broker():
    host, _, port = BOOTSTRAP.split(",")[0].rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=5).close()
    except OSError as e:
        pytest.fail(f"no Kafka broker at {BOOTSTRAP} ({e}); start one with "
                    f"tests/env/kafka.sh start <dir> {port} or set TRIBUTARY_TEST_BOOTSTRAP")
    return BOOTSTRAP


@pytest.fixture(scope="module")
def worker(kafka_broker, tmp_path_factory):
    """A worker shared by the tests of one module; tests use unique connector names."""
    w = Worker(tmp_path_factory.mktemp("worker"))
    w.start()
    yield w
    alive = w.alive()
    code = w.stop()
    if not alive:
        pytest.fail(f"the worker died during the tests (exit {code})\n{w.log_tail()}")


@pytest.fixture
def fresh_worker(kafka_broker, tmp_path):
    """A worker of one's own (for restarts)."""
    w = Worker(tmp_path / "worker")
    yield w
    w.kill()


@pytest.fixture
def connector(worker):
    """Creates generator connectors with unique names and deletes them after the test."""
    created = []

    def make(prefix="gen", config=None, initial_state=None, wait_running=True, **extra):
        name = unique(prefix)
        cfg = config if config is not None else generator_config(unique("e2e-topic"), **extra)
        body = {"name": name, "config": cfg}
        if initial_state:
            body["initial_state"] = initial_state
        r = worker.call("POST", "/connectors", body=body)
        assert r.status == 201, f"{r}\n{worker.log_tail()}"
        created.append(name)
        if wait_running and not initial_state:
            worker.wait_state(name, "RUNNING", "RUNNING")
        return name

    yield make
    for name in created:
        worker.call("DELETE", f"/connectors/{name}")
