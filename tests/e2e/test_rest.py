"""Kafka Connect REST API compatibility, end to end: the real worker binary, a real Kafka broker,
curl for every call. Each test uses connectors of its own (unique names) on a shared worker."""

import socket
import subprocess
import threading
from urllib.parse import quote

import pytest

from conftest import (GENERATOR, JSON_CONVERTER, STRING_CONVERTER, Worker, curl,
                      generator_config, tributary_bin, unique, wait_for)

pytestmark = pytest.mark.kafka


def assert_error(r, status, *fragments):
    """An error response: the status, a JSON content type and Kafka's {"error_code","message"}."""
    assert r.status == status, r
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    assert isinstance(r.json, dict), r
    assert r.json.get("error_code") == status, r
    assert isinstance(r.json.get("message"), str) and r.json["message"], r
    for f in fragments:
        assert f in r.json["message"], f"{f!r} not in {r.json['message']!r}"


def create(worker, name, config, **extra):
    body = {"name": name, "config": config}
    body.update(extra)
    return worker.call("POST", "/connectors", body=body)


# ---- Server, health, metrics -------------------------------------------------------------------


def test_root_reports_version_commit_and_cluster(worker):
    r = worker.get("/")
    assert r.status == 200
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json) >= {"version", "commit", "kafka_cluster_id"}
    assert r.json["kafka_cluster_id"]


def test_health(worker):
    r = worker.get("/health")
    assert r.status == 200
    assert r.json["status"] == "healthy"
    assert "message" in r.json


def test_metrics_are_prometheus_text(worker, connector):
    connector("metrics")
    r = worker.get("/metrics")
    assert r.status == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "tributary_" in r.text
    assert "# TYPE" in r.text


def sample(text, metric, **labels):
    """The value of one Prometheus sample, or None."""
    for line in text.splitlines():
        if not line.startswith(metric + "{"):
            continue
        body = line[len(metric) + 1:line.index("}")]
        got = dict(kv.split("=", 1) for kv in body.split(","))
        if all(got.get(k) == f'"{v}"' for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_per_connector_and_task_after_streaming(worker, connector):
    name = connector("metrics-stream", **{"rate.per.sec": "500"})

    def streamed():
        text = worker.get("/metrics").text
        written = sample(text, "tributary_source_records_written_total", connector=name, task="0")
        commits = sample(text, "tributary_offset_commit_success_total", connector=name, task="0")
        return text if written and written > 0 and commits and commits > 0 else None

    text = wait_for(streamed, 30, 0.5, "records written and an offset commit on /metrics")
    assert sample(text, "tributary_connector_state", connector=name, state="RUNNING") == 1
    assert sample(text, "tributary_connector_state", connector=name, state="FAILED") == 0
    assert sample(text, "tributary_task_state", connector=name, task="0", state="RUNNING") == 1
    polled = sample(text, "tributary_source_records_polled_total", connector=name, task="0")
    written = sample(text, "tributary_source_records_written_total", connector=name, task="0")
    assert polled >= written > 0
    assert sample(text, "tributary_produce_latency_seconds_count", connector=name, task="0") > 0
    assert sample(text, "tributary_poll_batch_size_count", connector=name, task="0") > 0
    assert 0 <= sample(text, "tributary_offset_commit_age_seconds", connector=name, task="0") < 30
    assert "# HELP tributary_source_records_written_total" in text
    # Deleting the connector removes its series.
    assert worker.call("DELETE", f"/connectors/{name}").status == 204
    text = worker.get("/metrics").text
    assert sample(text, "tributary_source_records_written_total", connector=name, task="0") is None
    assert sample(text, "tributary_connector_state", connector=name, state="RUNNING") is None


# ---- Routing errors --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/nope", "/connectors/x/nope", "/connector-plugins/x/y/z/w",
                                  "/admin", "/connectors//status"])
def test_unknown_path_is_404(worker, path):
    assert_error(worker.get(path), 404)


@pytest.mark.parametrize("method,path", [
    ("DELETE", "/connectors"),
    ("PUT", "/connectors"),
    ("POST", "/connectors/x/status"),
    ("GET", "/connectors/x/pause"),
    ("POST", "/connectors/x/stop"),
    ("GET", "/connectors/x/restart"),
    ("DELETE", "/connector-plugins"),
    ("POST", "/metrics"),
])
def test_wrong_method_is_405(worker, method, path):
    r = worker.call(method, path)
    assert_error(r, 405)
    assert "allow" in r.headers


def test_oversized_body_is_413_and_worker_survives(worker):
    name = unique("big")
    body = {"name": name, "config": generator_config("t", padding="x" * (1024 * 1024 + 10))}
    assert_error(worker.call("POST", "/connectors", body=body), 413)
    assert worker.get(f"/connectors/{name}").status == 404
    assert worker.get("/").status == 200


def test_garbage_on_the_socket_does_not_hurt(worker):
    for junk in [b"GARBAGE\r\n\r\n", b"\x00\xff\x13\x37\r\n\r\n", b"GET / HTTP/7.0\r\n\r\n",
                 b"POST /connectors HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", b"GET /"]:
        with socket.create_connection(("127.0.0.1", worker.port), timeout=10) as s:
            s.sendall(junk)
            s.shutdown(socket.SHUT_WR)
            data = b""
            try:
                while chunk := s.recv(4096):
                    data += chunk
            except OSError:
                pass
            assert data == b"" or data.startswith(b"HTTP/1.1 400"), data
    assert worker.get("/").status == 200
    assert worker.alive()


# ---- Plugins ---------------------------------------------------------------------------------


def test_connector_plugins_lists_connectors_only_by_default(worker):
    r = worker.get("/connector-plugins")
    assert r.status == 200
    classes = {p["class"]: p for p in r.json}
    assert GENERATOR in classes
    assert classes[GENERATOR]["type"] == "source"
    assert "version" in classes[GENERATOR]
    assert all(p["type"] in ("source", "sink") for p in r.json)


def test_connector_plugins_all(worker):
    r = worker.get("/connector-plugins?connectorsOnly=false")
    assert r.status == 200
    pairs = {(p["class"], p["type"]) for p in r.json}
    assert (GENERATOR, "source") in pairs
    # As in Kafka, JsonConverter and StringConverter are listed as converter and header_converter.
    for cls in (JSON_CONVERTER, STRING_CONVERTER):
        assert (cls, "converter") in pairs
        assert (cls, "header_converter") in pairs
    assert ("org.apache.kafka.connect.storage.SimpleHeaderConverter", "header_converter") in pairs
    assert {t for _, t in pairs} <= {"source", "sink", "converter", "header_converter",
                                     "transformation", "predicate"}
    assert len(pairs) == len(r.json)  # no entry twice
    # Every transform the transforms plugin brings: Kafka's (each $Key / $Value where Kafka has
    # both) and Debezium's.
    kafka = "org.apache.kafka.connect.transforms."
    sided = ("InsertField", "ReplaceField", "MaskField", "ExtractField", "HoistField", "Cast",
             "TimestampConverter", "SetSchemaMetadata", "Flatten", "HeaderFrom")
    plain = ("RegexRouter", "ValueToKey", "TimestampRouter", "InsertHeader", "DropHeaders",
             "Filter")
    expected = [kafka + n + side for n in sided for side in ("$Key", "$Value")]
    expected += [kafka + n for n in plain]
    expected += ["io.debezium.transforms." + n for n in (
        "ExtractNewRecordState", "Filter", "ContentBasedRouter", "outbox.EventRouter")]
    for cls in expected:
        assert (cls, "transformation") in pairs, cls
    for cls in ("TopicNameMatches", "HasHeaderKey", "RecordIsTombstone"):
        assert (f"org.apache.kafka.connect.transforms.predicates.{cls}", "predicate") in pairs


def test_transform_config_definition(worker):
    r = worker.get("/connector-plugins/org.apache.kafka.connect.transforms.RegexRouter/config")
    assert r.status == 200, r
    keys = {k["name"]: k for k in r.json}
    assert set(keys) == {"regex", "replacement"}
    assert keys["regex"]["required"] is True


def test_bad_transform_regex_is_reported_under_its_full_key(worker):
    name = unique("badroute")
    config = generator_config("t", name=name)
    config.update({"transforms": "route",
                   "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
                   "transforms.route.regex": "dbserver1.(.*",
                   "transforms.route.replacement": "cdc.$1"})
    r = worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate", body=config)
    assert r.status == 200, r
    assert r.json["error_count"] == 1, r.json
    errors = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]}
    assert errors.get("transforms.route.regex"), r.json
    assert_error(create(worker, name, config), 400, "transforms.route.regex")
    assert worker.get(f"/connectors/{name}").status == 404


@pytest.mark.parametrize("plugin", [GENERATOR, "GeneratorSource", "GeneratorSourceConnector"])
def test_plugin_config_definition(worker, plugin):
    r = worker.get(f"/connector-plugins/{plugin}/config")
    assert r.status == 200, r
    keys = {k["name"]: k for k in r.json}
    assert "topic" in keys
    topic = keys["topic"]
    assert set(topic) >= {"name", "type", "required", "default_value", "importance",
                          "documentation"}
    assert topic["required"] is True
    assert keys["count"]["default_value"] == "-1"


def test_plugin_config_unknown_plugin_is_404(worker):
    assert_error(worker.get("/connector-plugins/com.example.NoSuchConnector/config"), 404)


@pytest.mark.parametrize("plugin", [GENERATOR, "GeneratorSource", "GeneratorSourceConnector"])
def test_validate_valid_config(worker, plugin):
    # As in Kafka, "name" is a required key of every connector config.
    r = worker.call("PUT", f"/connector-plugins/{plugin}/config/validate",
                    body=generator_config("validate-topic", name="validated"))
    assert r.status == 200, r
    assert set(r.json) >= {"name", "error_count", "groups", "configs"}
    assert r.json["error_count"] == 0, r.json
    assert isinstance(r.json["groups"], list)
    assert r.json["configs"]
    for c in r.json["configs"]:
        assert set(c) >= {"definition", "value"}
        assert set(c["value"]) >= {"name", "value", "recommended_values", "errors", "visible"}
    topic = [c for c in r.json["configs"] if c["value"]["name"] == "topic"]
    assert topic and topic[0]["value"]["value"] == "validate-topic"


def test_validate_reports_missing_required_key(worker):
    config = generator_config("x", name="validated")
    del config["topic"]
    r = worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate", body=config)
    assert r.status == 200, r
    assert r.json["error_count"] == 1, r.json
    topic = [c for c in r.json["configs"] if c["value"]["name"] == "topic"]
    assert topic and topic[0]["value"]["errors"], r.json


def test_validate_rejects_mismatched_connector_class(worker):
    config = generator_config("x")
    config["connector.class"] = "io.debezium.connector.postgresql.PostgresConnector"
    r = worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate", body=config)
    assert_error(r, 400, "does not match")


def test_validate_rejects_malformed_body(worker):
    assert_error(worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate",
                             raw="{not json"), 400)
    assert_error(worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate",
                             body={"topic": {"nested": 1}}), 400, "topic")


# ---- Create --------------------------------------------------------------------------------


def test_create_echoes_the_config_as_given(worker):
    # As Kafka Connect: the config comes back with "name" added and nothing else (no defaults
    # such as tasks.max filled in).
    name = unique("echo")
    config = generator_config(unique("e2e-topic"))
    del config["tasks.max"]
    r = create(worker, name, config)
    try:
        assert r.status == 201, r
        assert r.json["config"] == dict(config, name=name), r.json
        worker.wait_state(name, "RUNNING", "RUNNING", tasks=1)
        assert worker.get(f"/connectors/{name}/config").json == dict(config, name=name)
    finally:
        worker.call("DELETE", f"/connectors/{name}")


def test_create_get_and_list(worker, connector):
    name = unique("create")
    topic = unique("e2e-topic")
    r = create(worker, name, generator_config(topic))
    try:
        assert r.status == 201, f"{r}\n{worker.log_tail()}"
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers["location"].endswith(f"/connectors/{name}")
        assert r.json["name"] == name
        assert r.json["type"] == "source"
        assert r.json["config"]["name"] == name
        assert r.json["config"]["topic"] == topic
        assert isinstance(r.json["tasks"], list)

        assert name in worker.get("/connectors").json
        info = worker.get(f"/connectors/{name}")
        assert info.status == 200
        assert set(info.json) >= {"name", "config", "tasks", "type"}
        s = worker.wait_state(name, "RUNNING", "RUNNING", tasks=1)
        assert s["name"] == name and s["type"] == "source"
        assert "worker_id" in s["connector"] and "trace" not in s["connector"]
        assert s["tasks"][0]["id"] == 0

        info = wait_for(lambda: (lambda j: j if j["tasks"] else None)(
            worker.get(f"/connectors/{name}").json), what="tasks in ConnectorInfo")
        assert info["tasks"] == [{"connector": name, "task": 0}]
        tasks = worker.get(f"/connectors/{name}/tasks")
        assert tasks.status == 200
        assert tasks.json[0]["id"] == {"connector": name, "task": 0}
        assert isinstance(tasks.json[0]["config"], dict)
        ts = worker.get(f"/connectors/{name}/tasks/0/status")
        assert ts.status == 200
        assert ts.json["id"] == 0 and ts.json["state"] == "RUNNING" and "worker_id" in ts.json
        assert_error(worker.get(f"/connectors/{name}/tasks/5/status"), 404)
        assert_error(worker.get(f"/connectors/{name}/tasks/abc/status"), 404)

        cfg = worker.get(f"/connectors/{name}/config")
        assert cfg.status == 200
        assert cfg.json == r.json["config"]
    finally:
        worker.call("DELETE", f"/connectors/{name}")


def test_create_accepts_numbers_and_booleans_as_strings(worker, connector):
    name = connector("types", config=None, **{
        "key.converter": JSON_CONVERTER,
        "key.converter.schemas.enable": False,
        "heartbeat.interval.ms": 10000,
        "rate.per.sec": 20,
        "count": -1,
    })
    cfg = worker.get(f"/connectors/{name}/config").json
    assert cfg["key.converter.schemas.enable"] == "false"
    assert cfg["heartbeat.interval.ms"] == "10000"
    assert cfg["rate.per.sec"] == "20"
    assert cfg["count"] == "-1"


def test_create_existing_is_409(worker, connector):
    name = connector("dup")
    assert_error(create(worker, name, generator_config("t")), 409, name)


def test_create_malformed_json_is_400(worker):
    assert_error(worker.call("POST", "/connectors", raw='{"name": "x", "config": {'), 400, "JSON")
    assert_error(worker.call("POST", "/connectors", raw="not json at all"), 400)
    assert_error(worker.call("POST", "/connectors", raw='["a", "b"]'), 400)
    assert_error(worker.call("POST", "/connectors", raw=""), 400)


@pytest.mark.parametrize("value,kind", [({"a": 1}, "object"), ([1, 2], "array"), (None, "null")])
def test_create_with_non_scalar_config_value_is_400_naming_the_key(worker, value, kind):
    config = generator_config("t")
    config["bad.key"] = value
    name = unique("types")
    assert_error(create(worker, name, config), 400, "bad.key")
    assert worker.get(f"/connectors/{name}").status == 404


def test_create_with_wrong_shapes_is_400(worker):
    assert_error(worker.call("POST", "/connectors", body={"name": 42, "config": {}}), 400, "name")
    assert_error(worker.call("POST", "/connectors", body={"name": "x", "config": "y"}), 400,
                 "config")
    assert_error(worker.call("POST", "/connectors", body={"name": "x", "config": ["y"]}), 400,
                 "config")


def test_create_missing_name_or_config_is_400(worker):
    assert_error(worker.call("POST", "/connectors", body={"config": generator_config("t")}), 400,
                 "name")
    assert_error(worker.call("POST", "/connectors", body={"name": unique("x")}), 400, "config")


@pytest.mark.parametrize("name", ["", "   ", "a/b", "/lead", "tab\tname"])
def test_create_with_invalid_name_is_400(worker, name):
    r = create(worker, name, generator_config("t"))
    assert_error(r, 400)
    assert name.strip() == "" or name.strip() not in worker.get("/connectors").json


def test_create_with_mismatched_config_name_is_400(worker):
    name = unique("mismatch")
    config = generator_config("t")
    config["name"] = "something-else"
    assert_error(create(worker, name, config), 400, "something-else", name)
    assert worker.get(f"/connectors/{name}").status == 404


def test_create_unknown_connector_class_is_400_naming_it(worker):
    config = generator_config("t")
    config["connector.class"] = "com.example.DoesNotExistConnector"
    name = unique("unknown")
    assert_error(create(worker, name, config), 400, "com.example.DoesNotExistConnector")
    assert worker.get(f"/connectors/{name}").status == 404


def test_create_missing_connector_class_is_400(worker):
    config = generator_config("t")
    del config["connector.class"]
    assert_error(create(worker, unique("noclass"), config), 400, "connector.class")


def test_create_missing_required_key_is_400_naming_it(worker):
    config = generator_config("t")
    del config["topic"]
    name = unique("notopic")
    assert_error(create(worker, name, config), 400, "topic")
    assert worker.get(f"/connectors/{name}").status == 404


def test_create_with_alias_class(worker, connector):
    name = connector("alias", config=generator_config(unique("e2e-topic"),
                                                      **{"connector.class": "GeneratorSource"}))
    assert worker.get(f"/connectors/{name}").json["type"] == "source"


@pytest.mark.parametrize("state,expected", [("PAUSED", "PAUSED"), ("STOPPED", "STOPPED"),
                                            ("RUNNING", "RUNNING")])
def test_create_with_initial_state(worker, connector, state, expected):
    name = connector("initial", initial_state=state)
    s = worker.wait_state(name, expected)
    if expected == "STOPPED":
        assert s["tasks"] == []


def test_create_with_invalid_initial_state_is_400(worker):
    assert_error(create(worker, unique("x"), generator_config("t"), initial_state="SLEEPING"), 400,
                 "initial_state")


def test_names_with_spaces_and_encoded_characters(worker):
    name = unique("my connector") + " ünï"
    path = "/connectors/" + quote(name, safe="")
    r = create(worker, name, generator_config(unique("e2e-topic")))
    try:
        assert r.status == 201, r
        assert r.headers["location"].endswith(path)
        got = worker.get(path)
        assert got.status == 200 and got.json["name"] == name
        assert worker.get(path + "/status").status == 200
        assert name in worker.get("/connectors").json
        assert worker.call("DELETE", path).status == 204
        assert worker.get(path).status == 404
    finally:
        worker.call("DELETE", path)


# ---- Unknown connector -----------------------------------------------------------------------


@pytest.mark.parametrize("method,suffix", [
    ("GET", ""), ("GET", "/config"), ("GET", "/status"), ("GET", "/tasks"),
    ("GET", "/tasks/0/status"), ("POST", "/tasks/0/restart"), ("POST", "/restart"),
    ("POST", "/restart?includeTasks=true"), ("PUT", "/pause"), ("PUT", "/resume"),
    ("PUT", "/stop"), ("DELETE", ""), ("GET", "/offsets"), ("DELETE", "/offsets"),
    ("GET", "/topics"),
])
def test_unknown_connector_is_404(worker, method, suffix):
    assert_error(worker.call(method, f"/connectors/{unique('ghost')}{suffix}"), 404)


# ---- Config updates --------------------------------------------------------------------------


def test_put_config_creates_then_updates(worker):
    name = unique("put")
    topic = unique("e2e-topic")
    try:
        r = worker.call("PUT", f"/connectors/{name}/config", body=generator_config(topic))
        assert r.status == 201, f"{r}\n{worker.log_tail()}"
        assert r.headers["location"].endswith(f"/connectors/{name}")
        assert r.json["name"] == name and r.json["config"]["name"] == name
        worker.wait_state(name, "RUNNING", "RUNNING")

        r = worker.call("PUT", f"/connectors/{name}/config",
                        body=generator_config(topic, **{"rate.per.sec": 10}))
        assert r.status == 200, r
        assert r.json["config"]["rate.per.sec"] == "10"
        assert worker.get(f"/connectors/{name}/config").json["rate.per.sec"] == "10"
        worker.wait_state(name, "RUNNING", "RUNNING")
    finally:
        worker.call("DELETE", f"/connectors/{name}")


def test_put_config_errors(worker, connector):
    name = connector("puterr")
    bad = generator_config("t")
    bad["name"] = "other"
    assert_error(worker.call("PUT", f"/connectors/{name}/config", body=bad), 400, "other")
    assert_error(worker.call("PUT", f"/connectors/{name}/config", raw="{"), 400)
    assert_error(worker.call("PUT", f"/connectors/{name}/config", body={"topic": [1]}), 400,
                 "topic")
    bad_class = generator_config("t", **{"connector.class": "com.example.Nope"})
    assert_error(worker.call("PUT", f"/connectors/{name}/config", body=bad_class), 400,
                 "com.example.Nope")
    assert worker.get(f"/connectors/{name}/config").json["connector.class"] == GENERATOR


def test_patch_config(worker, connector):
    name = connector("patch", **{"extra.key": "x"})
    r = worker.call("PATCH", f"/connectors/{name}/config",
                    body={"rate.per.sec": 5, "extra.key": None, "new.key": "y"})
    assert r.status == 200, r
    cfg = worker.get(f"/connectors/{name}/config").json
    assert cfg["rate.per.sec"] == "5"
    assert "extra.key" not in cfg
    assert cfg["new.key"] == "y"
    assert_error(worker.call("PATCH", f"/connectors/{name}/config", body={"a": {"b": 1}}), 400,
                 "'a'")
    worker.wait_state(name, "RUNNING", "RUNNING")


# ---- Listing with expand ---------------------------------------------------------------------


def test_expand_status_and_info(worker, connector):
    a = connector("expand")
    r = worker.get("/connectors?expand=status")
    assert r.status == 200
    assert set(r.json[a]) == {"status"}
    assert r.json[a]["status"]["connector"]["state"] == "RUNNING"
    r = worker.get("/connectors?expand=info")
    assert set(r.json[a]) == {"info"}
    assert r.json[a]["info"]["name"] == a
    r = worker.get("/connectors?expand=status&expand=info")
    assert set(r.json[a]) == {"status", "info"}
    r = worker.get("/connectors?expand=nonsense")
    assert r.json[a] == {}
    plain = worker.get("/connectors").json
    assert isinstance(plain, list) and a in plain


# ---- Lifecycle -------------------------------------------------------------------------------


def test_pause_resume_stop_transitions(worker, connector):
    name = connector("life")
    r = worker.call("PUT", f"/connectors/{name}/pause")
    assert r.status == 202 and r.text == ""
    worker.wait_state(name, "PAUSED", "PAUSED")
    assert worker.call("PUT", f"/connectors/{name}/pause").status == 202  # idempotent
    assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
    worker.wait_state(name, "RUNNING", "RUNNING")

    r = worker.call("PUT", f"/connectors/{name}/stop")
    assert r.status == 204 and r.text == ""
    s = worker.wait_state(name, "STOPPED", tasks=0)
    assert s["tasks"] == []
    assert worker.call("PUT", f"/connectors/{name}/stop").status == 204  # idempotent
    assert worker.get(f"/connectors/{name}/config").status == 200  # config kept

    assert worker.call("PUT", f"/connectors/{name}/resume").status == 202  # resume leaves STOPPED
    worker.wait_state(name, "RUNNING", "RUNNING", tasks=1)


def test_restart_semantics(worker, connector):
    name = connector("restart")
    r = worker.call("POST", f"/connectors/{name}/restart")
    assert r.status == 204 and r.text == ""
    r = worker.call("POST", f"/connectors/{name}/restart?includeTasks=false&onlyFailed=false")
    assert r.status == 204
    worker.wait_state(name, "RUNNING", "RUNNING")

    r = worker.call("POST", f"/connectors/{name}/restart?includeTasks=true&onlyFailed=false")
    assert r.status == 202, r
    assert r.json["name"] == name
    assert r.json["connector"]["state"] == "RESTARTING"
    assert r.json["tasks"] and all(t["state"] == "RESTARTING" for t in r.json["tasks"])
    worker.wait_state(name, "RUNNING", "RUNNING")

    # Nothing failed: onlyFailed restarts nothing, and the status says so.
    r = worker.call("POST", f"/connectors/{name}/restart?includeTasks=true&onlyFailed=true")
    assert r.status == 202, r
    assert r.json["connector"]["state"] == "RUNNING"
    assert all(t["state"] == "RUNNING" for t in r.json["tasks"])

    r = worker.call("POST", f"/connectors/{name}/tasks/0/restart")
    assert r.status == 204 and r.text == ""
    assert_error(worker.call("POST", f"/connectors/{name}/tasks/9/restart"), 404)
    worker.wait_state(name, "RUNNING", "RUNNING")


def test_delete(worker):
    name = unique("delete")
    assert create(worker, name, generator_config(unique("e2e-topic"))).status == 201
    worker.wait_state(name, "RUNNING")
    r = worker.call("DELETE", f"/connectors/{name}")
    assert r.status == 204 and r.text == ""
    assert_error(worker.get(f"/connectors/{name}"), 404)
    assert name not in worker.get("/connectors").json
    assert_error(worker.call("DELETE", f"/connectors/{name}"), 404)
    # The name can be used again.
    assert create(worker, name, generator_config(unique("e2e-topic"))).status == 201
    assert worker.call("DELETE", f"/connectors/{name}").status == 204


def test_concurrent_create_and_delete_of_one_name(worker):
    name = unique("race")
    config = generator_config(unique("e2e-topic"))
    results = []
    lock = threading.Lock()

    def hammer():
        for _ in range(6):
            c = create(worker, name, config).status
            d = worker.call("DELETE", f"/connectors/{name}").status
            with lock:
                results.append((c, d))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(results) == 24
    for c, d in results:
        assert c in (201, 409), results
        assert d in (204, 404), results
    assert any(c == 201 for c, _ in results)

    # Consistent final state: listed if and only if it can be read.
    listed = name in worker.get("/connectors").json
    info = worker.get(f"/connectors/{name}")
    assert info.status == (200 if listed else 404)
    worker.call("DELETE", f"/connectors/{name}")
    assert name not in worker.get("/connectors").json
    assert worker.get(f"/connectors/{name}").status == 404
    assert worker.alive()


# ---- Offsets and topics ----------------------------------------------------------------------


def test_offsets_lifecycle(worker, connector):
    name = connector("offsets", **{"rate.per.sec": 200, "count": 100})
    offsets = wait_for(lambda: (lambda j: j if j["offsets"] else None)(
        worker.get(f"/connectors/{name}/offsets").json), timeout=60, what="committed offsets")
    entry = offsets["offsets"][0]
    assert set(entry) == {"partition", "offset"}
    assert isinstance(entry["partition"], dict) and isinstance(entry["offset"], dict)

    # Only a STOPPED connector's offsets may change.
    body = {"offsets": [{"partition": entry["partition"], "offset": entry["offset"]}]}
    assert_error(worker.call("PATCH", f"/connectors/{name}/offsets", body=body), 400, "STOPPED")
    assert_error(worker.call("DELETE", f"/connectors/{name}/offsets"), 400, "STOPPED")

    assert worker.call("PUT", f"/connectors/{name}/stop").status == 204
    worker.wait_state(name, "STOPPED")
    assert worker.get(f"/connectors/{name}/offsets").json["offsets"], "offsets kept on stop"

    assert_error(worker.call("PATCH", f"/connectors/{name}/offsets", body={"offsets": []}), 400)
    assert_error(worker.call("PATCH", f"/connectors/{name}/offsets", body={}), 400)
    assert_error(worker.call("PATCH", f"/connectors/{name}/offsets", body={"offsets": "x"}), 400)
    assert_error(worker.call("PATCH", f"/connectors/{name}/offsets", raw="{"), 400)

    r = worker.call("PATCH", f"/connectors/{name}/offsets", body=body)
    assert r.status == 200, r
    assert isinstance(r.json["message"], str)
    got = worker.get(f"/connectors/{name}/offsets").json["offsets"]
    assert {"partition": entry["partition"], "offset": entry["offset"]} in got

    r = worker.call("PATCH", f"/connectors/{name}/offsets",
                    body={"offsets": [{"partition": entry["partition"], "offset": None}]})
    assert r.status == 200, r
    got = worker.get(f"/connectors/{name}/offsets").json["offsets"]
    assert all(o["partition"] != entry["partition"] for o in got), got

    r = worker.call("DELETE", f"/connectors/{name}/offsets")
    assert r.status == 200, r
    assert isinstance(r.json["message"], str)
    assert worker.get(f"/connectors/{name}/offsets").json == {"offsets": []}

    assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
    worker.wait_state(name, "RUNNING", "RUNNING")


def test_topics(worker, connector):
    topic = unique("e2e-topic")
    name = connector("topics", config=generator_config(topic, **{"rate.per.sec": 100}))
    r = wait_for(lambda: (lambda resp: resp if resp.status == 200 and topic in
                          resp.json.get(name, {}).get("topics", []) else None)(
        worker.get(f"/connectors/{name}/topics")), timeout=60, what="active topics")
    assert r.json == {name: {"topics": [topic]}}
    assert worker.call("PUT", f"/connectors/{name}/topics/reset").status == 202


# ---- Loggers ---------------------------------------------------------------------------------


def test_loggers(worker):
    r = worker.get("/admin/loggers")
    assert r.status == 200
    assert "root" in r.json and "level" in r.json["root"]

    logger = "io.tributary.e2e.test"
    r = worker.call("PUT", f"/admin/loggers/{logger}", body={"level": "DEBUG"})
    assert r.status == 200, r
    assert logger in r.json
    r = worker.get(f"/admin/loggers/{logger}")
    assert r.status == 200 and r.json["level"] == "DEBUG"
    assert logger in worker.get("/admin/loggers").json

    assert_error(worker.call("PUT", f"/admin/loggers/{logger}", body={}), 400, "level")
    assert_error(worker.call("PUT", f"/admin/loggers/{logger}", body={"level": "LOUD"}), 404,
                 "LOUD")
    assert_error(worker.call("PUT", f"/admin/loggers/{logger}", raw="{"), 400)
    assert worker.call("PUT", f"/admin/loggers/{logger}", body={"level": "INFO"}).status == 200


# ---- Restart of the worker -------------------------------------------------------------------


def test_connectors_survive_a_worker_restart(fresh_worker):
    w = fresh_worker.start()
    running = unique("persist")
    paused = unique("persist-paused")
    assert create(w, running, generator_config(unique("e2e-topic"))).status == 201
    assert create(w, paused, generator_config(unique("e2e-topic"))).status == 201
    w.wait_state(running, "RUNNING", "RUNNING")
    assert w.call("PUT", f"/connectors/{paused}/pause").status == 202
    w.wait_state(paused, "PAUSED", "PAUSED")

    code = w.stop()
    assert code == 0, f"worker exited with {code} on SIGTERM\n{w.log_tail()}"

    w.start()
    names = w.get("/connectors").json
    assert running in names and paused in names, f"{names}\n{w.log_tail()}"
    assert w.get(f"/connectors/{running}/config").json["name"] == running
    w.wait_state(running, "RUNNING", "RUNNING", timeout=60)
    w.wait_state(paused, "PAUSED", timeout=60)

    assert w.call("DELETE", f"/connectors/{running}").status == 204
    assert w.call("DELETE", f"/connectors/{paused}").status == 204
    assert w.stop() == 0
    w.start()
    names = w.get("/connectors").json
    assert running not in names and paused not in names
    assert w.stop() == 0


def test_second_worker_on_a_taken_port_fails_clearly(worker, kafka_broker, tmp_path):
    other = Worker(tmp_path / "other")
    other.port = worker.port
    text = other.props.read_text().splitlines()
    text = [f"listeners=http://127.0.0.1:{worker.port}" if line.startswith("listeners=") else line
            for line in text]
    other.props.write_text("\n".join(text) + "\n")
    proc = subprocess.run([str(tributary_bin()), "standalone", str(other.props)],
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode != 0
    output = (proc.stdout + proc.stderr).decode(errors="replace")
    assert f"127.0.0.1:{worker.port}" in output, output
    assert worker.get("/").status == 200


def test_curl_helper_sanity(worker):
    r = curl("GET", worker.url("/connectors"))
    assert r.status == 200 and isinstance(r.json, list)
