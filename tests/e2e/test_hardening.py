"""Hostile and unlucky input against the real worker (issue 12): bodies nested deep enough to
overflow a recursive printer, config-provider secrets that must never be returned, a task restart
whose config no longer resolves, and persisted state that is not what the worker wrote."""
import json
import os
import socket
import threading
import time

import pytest

from conftest import Worker, generator_config, unique, wait_for
from pg_util import PG_CLASS, drop_slot, new_database, pg_config

pytestmark = pytest.mark.kafka


def deep(n):
    return "[" * n + "]" * n


# ---- nesting --------------------------------------------------------------------------------


def test_deeply_nested_bodies_are_refused_and_the_worker_lives(worker, connector):
    name = connector()
    assert worker.call("PUT", f"/connectors/{name}/stop").status == 204
    worker.wait_state(name, "STOPPED")
    # One request of this shape used to end the process (a recursive dump of the parsed body).
    body = '{"offsets":[{"partition":{"p":%s},"offset":{"o":1}}]}' % deep(100_000)
    r = worker.call("PATCH", f"/connectors/{name}/offsets", raw=body)
    assert r.status == 400, r
    assert "nested more than 128 levels" in r.json["message"], r
    for path, method in ((f"/connectors/{name}/config", "PUT"), ("/connectors", "POST"),
                         ("/connector-plugins/GeneratorSourceConnector/config/validate", "PUT")):
        r = worker.call(method, path, raw='{"config":{"a":%s}}' % deep(50_000))
        assert r.status == 400 and "nested" in r.json["message"], (path, r)
    # Nesting inside a string is not nesting.
    r = worker.call("PATCH", f"/connectors/{name}/offsets",
                    body={"offsets": [{"partition": {"p": deep(1000)}, "offset": {"o": 1}}]})
    assert r.status == 200, r
    r = worker.get(f"/connectors/{name}/offsets")
    # (the generator's own partition is there too when it committed before it stopped)
    assert r.status == 200 and {"p": deep(1000)} in [o["partition"] for o in r.json["offsets"]], r
    # 128 levels in all are accepted, 129 are not (4 levels down to "p").
    ok = {"offsets": [{"partition": {"p": json.loads(deep(124))}, "offset": {"o": 2}}]}
    assert worker.call("PATCH", f"/connectors/{name}/offsets", body=ok).status == 200
    too_deep = {"offsets": [{"partition": {"p": json.loads(deep(125))}, "offset": {"o": 2}}]}
    assert worker.call("PATCH", f"/connectors/{name}/offsets", body=too_deep).status == 400
    assert worker.alive()
    assert worker.get("/").status == 200


def test_control_plane_answers_while_a_validation_hangs(worker):
    """A connector whose database accepts TCP and never answers (PostgreSQL's client waits out its
    10 s connect_timeout there): while its POSTs validate, GET /connectors, /metrics, /health and
    / answer at once. They used to queue behind the herder's lock for the whole wait, and then
    behind the REST io threads the waiting requests held: four hanging requests, more than the
    worker's two io threads, must not hold any read."""
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(16)  # the kernel completes handshakes; nobody ever reads or writes
    cfg = pg_config("inventory", unique("p"), "s_hole", port=hole.getsockname()[1])
    results = []

    def create():
        results.append(worker.call("POST", "/connectors",
                                   body={"name": unique("hole"), "config": cfg}, timeout=60))

    def validate():
        results.append(worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate",
                                   body=cfg, timeout=60))
    threads = [threading.Thread(target=create) for _ in range(3)]
    threads.append(threading.Thread(target=validate))
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        assert all(t.is_alive() for t in threads), results  # still validating against the hole
        for path in ("/connectors", "/metrics", "/health", "/", "/connector-plugins",
                     "/connectors?expand=status"):
            started = time.monotonic()
            r = worker.get(path, timeout=5)
            assert r.status == 200, (path, r)
            assert time.monotonic() - started < 3, path
        assert all(t.is_alive() for t in threads), results
    finally:
        for t in threads:
            t.join(60)
        hole.close()
    assert sorted(r.status for r in results) == [200, 400, 400, 400], results


def test_a_change_answers_request_timed_out_after_the_request_timeout(kafka_broker, tmp_path):
    """tributary.rest.request.timeout.ms bounds how long a change waits (Connect's fixed 90 s):
    a POST validating against a black hole answers 500 "Request timed out" after it, and the
    connector is not created."""
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(8)
    w = Worker(tmp_path / "worker", extra={"tributary.rest.request.timeout.ms": "1500"}).start()
    try:
        cfg = pg_config("inventory", unique("p"), "s_hole", port=hole.getsockname()[1])
        started = time.monotonic()
        r = w.call("POST", "/connectors", body={"name": unique("hole"), "config": cfg},
                   timeout=30)
        assert r.status == 500 and r.json["message"] == "Request timed out", r
        assert time.monotonic() - started < 5
        assert w.get("/connectors").json == []
        assert w.get("/health").status == 200
    finally:
        w.stop()
        hole.close()


# ---- config providers: secrets stay secret ---------------------------------------------------


def provider_worker(tmp_path, **extra):
    props = {"config.providers": "env,file,directory",
             "config.providers.env.class":
                 "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
             "config.providers.env.param.allowlist.pattern": "TRIB_E2E_.*",
             "config.providers.file.class":
                 "org.apache.kafka.common.config.provider.FileConfigProvider",
             "config.providers.directory.class":
                 "org.apache.kafka.common.config.provider.DirectoryConfigProvider"}
    props.update(extra)
    return Worker(tmp_path / "worker", extra=props)


def test_task_configs_keep_placeholders(kafka_broker, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIB_E2E_SECRET", "supersecret-value")
    monkeypatch.setenv("OTHER_SECRET", "must-not-leak")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "token").write_text("dir-secret-value")
    w = provider_worker(tmp_path).start()
    try:
        name = unique("secret")
        cfg = generator_config(unique("e2e-topic"))
        cfg["some.secret"] = "${env:TRIB_E2E_SECRET}"
        cfg["another.secret"] = "x-${directory:%s:token}" % (tmp_path / "dir")
        r = w.call("POST", "/connectors", body={"name": name, "config": cfg})
        assert r.status == 201, r
        assert r.json["config"]["some.secret"] == "${env:TRIB_E2E_SECRET}"
        w.wait_state(name, "RUNNING", "RUNNING")
        r = w.get(f"/connectors/{name}/tasks")
        assert r.status == 200, r
        assert r.json[0]["config"]["some.secret"] == "${env:TRIB_E2E_SECRET}", r
        assert r.json[0]["config"]["another.secret"] == cfg["another.secret"], r
        for path in (f"/connectors/{name}/tasks", f"/connectors/{name}", f"/connectors/{name}/config",
                     "/connectors?expand=info&expand=status"):
            text = w.get(path).text
            assert "supersecret-value" not in text and "dir-secret-value" not in text, path
        # A variable the allowlist does not name cannot be read through the worker.
        cfg2 = generator_config(unique("e2e-topic"))
        cfg2["some.secret"] = "${env:OTHER_SECRET}"
        r = w.call("POST", "/connectors", body={"name": unique("leak"), "config": cfg2})
        assert r.status == 400, r
        assert "some.secret" in r.json["message"] and "allowlist.pattern" in r.json["message"], r
        assert "must-not-leak" not in r.text
        # A directory reference is a file name, never a path out of the directory.
        cfg3 = generator_config(unique("e2e-topic"))
        cfg3["name"] = "v3"
        cfg3["x"] = "${directory:%s:../worker/worker.properties}" % (tmp_path / "dir")
        r = w.call("PUT", "/connector-plugins/GeneratorSourceConnector/config/validate",
                   body=cfg3)
        assert r.status == 200 and r.json["error_count"] == 1, r
        assert "not a file name" in json.dumps(r.json), r
        # A FIFO or a device is never read (it would never end).
        cfg4 = generator_config(unique("e2e-topic"))
        cfg4["name"] = "v4"
        cfg4["x"] = "${file:/dev/zero:k}"
        r = w.call("PUT", "/connector-plugins/GeneratorSourceConnector/config/validate",
                   body=cfg4)
        assert r.status == 200 and "not a regular file" in json.dumps(r.json), r
        assert "supersecret-value" not in w.log_path.read_text()
    finally:
        w.stop()


def test_restart_task_whose_reference_no_longer_resolves(kafka_broker, tmp_path):
    secrets = tmp_path / "secrets.properties"
    secrets.write_text("token=abc123\n")
    w = provider_worker(tmp_path).start()
    try:
        name = unique("restart")
        cfg = generator_config(unique("e2e-topic"))
        cfg["some.token"] = "${file:%s:token}" % secrets
        assert w.call("POST", "/connectors", body={"name": name, "config": cfg}).status == 201
        w.wait_state(name, "RUNNING", "RUNNING")
        secrets.unlink()
        # This used to leave a null task behind and end the worker on the next status call.
        r = w.call("POST", f"/connectors/{name}/tasks/0/restart")
        assert r.status == 204, r
        s = w.wait_state(name, "RUNNING", "FAILED")
        assert "some.token" in s["tasks"][0]["trace"] and str(secrets) in s["tasks"][0]["trace"]
        assert w.get(f"/connectors/{name}/tasks/0/status").status == 200
        secrets.write_text("token=abc123\n")
        assert w.call("POST", f"/connectors/{name}/tasks/0/restart").status == 204
        w.wait_state(name, "RUNNING", "RUNNING")
        assert w.alive()
    finally:
        w.stop()


def test_validation_resolves_references_and_hides_passwords(kafka_broker, tmp_path):
    secrets = tmp_path / "pg.properties"
    secrets.write_text("password=dbz_password\n")
    w = provider_worker(tmp_path).start()
    db = new_database(tables_sql="CREATE TABLE t (id int primary key)")
    slot = f"s_{unique('x').replace('-', '_')}"
    name = unique("pgsecret")
    try:
        cfg = pg_config(db, unique("p"), slot, name=name)
        cfg["database.password"] = "${file:%s:password}" % secrets
        # Validation logs in with the resolved password (it used to try the placeholder).
        r = w.call("PUT", f"/connector-plugins/{PG_CLASS}/config/validate", body=cfg)
        assert r.status == 200 and r.json["error_count"] == 0, r
        values = {c["value"]["name"]: c["value"]["value"] for c in r.json["configs"]}
        assert values["database.password"] == "[hidden]"
        plain = dict(cfg, **{"database.password": "dbz_password"})
        r = w.call("PUT", f"/connector-plugins/{PG_CLASS}/config/validate", body=plain)
        values = {c["value"]["name"]: c["value"]["value"] for c in r.json["configs"]}
        assert values["database.password"] == "[hidden]" and "dbz_password" not in r.text, r
        r = w.call("POST", "/connectors", body={"name": name, "config": cfg})
        assert r.status == 201, r
        w.wait_state(name, "RUNNING", "RUNNING", timeout=60)
        tasks = w.get(f"/connectors/{name}/tasks")
        assert "dbz_password" not in tasks.text, tasks
        wrong = dict(cfg, **{"database.password": "${file:%s:nope}" % secrets})
        r = w.call("PUT", f"/connector-plugins/{PG_CLASS}/config/validate", body=wrong)
        errs = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]}
        assert any("nope" in e for e in errs["database.password"]), r
    finally:
        w.call("DELETE", f"/connectors/{name}")
        w.stop()
        time.sleep(0.5)
        drop_slot(slot)


# ---- persisted state ----------------------------------------------------------------------


def test_unreadable_connector_file_is_kept_aside(kafka_broker, tmp_path):
    w = Worker(tmp_path / "worker")
    cfile = w.dir / "offsets.connectors.json"  # beside offset.storage.file.filename
    cfile.write_text('{"format":"tributary-connectors-v1","connectors":{"a":{"config":' +
                     deep(200_000) + "}}}")
    w.start()
    try:
        kept = list(w.dir.glob("offsets.connectors.json.corrupt-*"))
        assert len(kept) == 1 and kept[0].read_text() == cfile.read_text()
        assert "offsets.connectors.json" in w.log_tail(200)
        # One good entry and one bad: the good one runs, the bad one is named in the log.
        w.stop()
        good = generator_config(unique("e2e-topic"))
        cfile.write_text(json.dumps({"format": "tributary-connectors-v1", "connectors": {
            "good": {"config": dict(good, name="good"), "target_state": "STARTED"},
            "bad": {"config": {"tasks.max": 1}}}}))
        w.start()
        assert w.get("/connectors").json == ["good"]
        assert "entry for connector 'bad'" in w.log_tail(200)
    finally:
        w.stop()


def test_unreadable_offsets_file_names_the_file(kafka_broker, tmp_path):
    w = Worker(tmp_path / "worker")
    (w.dir / "offsets").write_text('{"offsets":[{"key":1}]}')
    w.start(ready_status=503)
    try:
        r = wait_for(lambda: (lambda r: r if "offsets" in r.text else None)(w.get("/health")),
                     20, what="health naming the offsets file")
        assert r.status == 503 and str(w.dir / "offsets") in r.json["message"], r
        assert w.alive()
    finally:
        w.stop()
