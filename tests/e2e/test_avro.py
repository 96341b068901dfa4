"""Avro + Schema Registry end to end (issue 13; the seed's section 7.2 and Exercise 4): the real
worker, PostgreSQL, Kafka and a real Confluent-API schema registry (Apicurio Registry,
tests/env/registry.sh; $TRIBUTARY_TEST_REGISTRY is its ccompat base URL), events read back by
real clients: confluent-kafka's AvroDeserializer with its SchemaRegistryClient, and fastavro on
the raw bytes with the schema fetched by id.

The section 7.2 JSON is deploy/connectors/inventory-connector-avro.json, registered as it is but
for the server addresses, the database, and two names that would collide with other tests on a
shared broker and server: topic.prefix (the seed test reads dbserver1.* as JSON) and slot.name.
"""
import base64
import decimal
import io
import json
import os
import socket
import struct
import threading
import time
import uuid

import fastavro
import pytest
from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer

from conftest import BOOTSTRAP, REPO, Worker, curl, wait_for
from pg_util import PG_HOST, PG_PORT, drop_slot, new_database, psql, read_topic

pytestmark = pytest.mark.kafka

REGISTRY = os.environ.get("TRIBUTARY_TEST_REGISTRY", "http://127.0.0.1:18081/apis/ccompat/v7")
AVRO = "io.confluent.connect.avro.AvroConverter"
CONNECTOR_JSON = REPO / "deploy" / "connectors" / "inventory-connector-avro.json"
ORDERS_DDL = (REPO / "deploy" / "sql" / "orders.sql").read_text()
# The orders table plus a NOT NULL column without a default: Exercise 4's breaking change drops it.
ORDERS_WITH_SKU_DDL = ORDERS_DDL + ("ALTER TABLE orders ADD COLUMN sku VARCHAR(10) NOT NULL "
                                    "DEFAULT 'x'; ALTER TABLE orders ALTER COLUMN sku DROP DEFAULT;")


def registry(method, path, body=None, base=REGISTRY):
    r = curl(method, base + path, body=body,
             headers=["Content-Type: application/vnd.schemaregistry.v1+json"])
    return r


def set_compatibility(subject, level):
    r = registry("PUT", f"/config/{subject}", {"compatibility": level})
    assert r.status == 200 and r.json["compatibility"] == level, r


def seed_avro_config(db, prefix, slot, registry_url=REGISTRY, **extra):
    config = json.loads(CONNECTOR_JSON.read_text())["config"]
    config.update({
        "database.hostname": PG_HOST, "database.port": PG_PORT, "database.dbname": db,
        "key.converter.schema.registry.url": registry_url,
        "value.converter.schema.registry.url": registry_url,
        "schema.history.internal.kafka.bootstrap.servers": BOOTSTRAP,
        "topic.prefix": prefix, "slot.name": slot,
    })
    config.update(extra)
    return config


def read_raw(topic, expect, timeout=90, idle_s=2.0):
    """(key bytes, value bytes) of `topic` through confluent-kafka (librdkafka)."""
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"avro-{uuid.uuid4()}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    out = []
    deadline = time.time() + timeout
    last = time.time()
    try:
        while time.time() < deadline:
            m = c.poll(0.5)
            if m is None:
                if len(out) >= expect and time.time() - last >= idle_s:
                    break
                continue
            if m.error():
                continue
            out.append((m.key(), m.value()))
            last = time.time()
    finally:
        c.close()
    return out


_schemas = {}


def plain_times(schema):
    """The schema without the date / time / timestamp logical types: fastavro turns them into
    Python dates, which cannot hold PostgreSQL's dates before year 1."""
    if isinstance(schema, list):
        return [plain_times(s) for s in schema]
    if isinstance(schema, dict):
        out = {k: plain_times(v) for k, v in schema.items()}
        if out.get("logicalType") in ("date", "time-millis", "timestamp-millis"):
            del out["logicalType"]
        return out
    return schema


def fastavro_decode(data, base=REGISTRY, raw_times=False):
    """Confluent's wire format decoded by hand: magic 0, the schema id, Avro binary."""
    if data is None:
        return None
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0, data[:5]
    key = (base, schema_id, raw_times)
    if key not in _schemas:
        r = registry("GET", f"/schemas/ids/{schema_id}", base=base)
        assert r.status == 200, r
        schema = json.loads(r.json["schema"])
        _schemas[key] = fastavro.parse_schema(plain_times(schema) if raw_times else schema)
    return fastavro.schemaless_reader(io.BytesIO(data[5:]), _schemas[key])


def confluent_decode(records, base=REGISTRY):
    """confluent-kafka's AvroDeserializer, as a Confluent consumer decodes. Without a
    SerializationContext: with one, confluent-kafka 2.16 asks GET /schemas/ids/{id}?subject=...,
    which Apicurio 2.4.2 answers 400 ("Failed to discover artifact type from content"); without
    it the client reads the writer schema by id alone, as older clients did."""
    client = SchemaRegistryClient({"url": base})
    deser = AvroDeserializer(client)
    return [(deser(k, None) if k is not None else None, deser(v, None) if v is not None else None)
            for k, v in records]


def same(json_value, avro_value, path="$"):
    """Asserts a JsonConverter payload equals the Avro datum: decimals (base64 in JSON, Decimal in
    Avro) and bytes compared by value."""
    if isinstance(avro_value, decimal.Decimal):
        raw = base64.b64decode(json_value)
        unscaled = int.from_bytes(raw, "big", signed=True)
        exp = -avro_value.as_tuple().exponent
        assert decimal.Decimal(unscaled).scaleb(-exp) == avro_value, path
    elif isinstance(avro_value, bytes):
        assert base64.b64decode(json_value) == avro_value, path
    elif isinstance(avro_value, dict):
        assert isinstance(json_value, dict) and set(json_value) == set(avro_value), \
            f"{path}: {json_value} vs {avro_value}"
        for k in avro_value:
            same(json_value[k], avro_value[k], f"{path}.{k}")
    else:
        assert json_value == avro_value, f"{path}: {json_value!r} vs {avro_value!r}"


def subjects():
    r = registry("GET", "/subjects")
    assert r.status == 200, r
    return set(r.json)


@pytest.fixture
def cleanup(worker):
    made = []
    yield made
    for name, slot in made:
        worker.call("DELETE", f"/connectors/{name}")
    time.sleep(1)
    for _, slot in made:
        drop_slot(slot)


def create(worker, cleanup, name, config, task_state="RUNNING"):
    r = worker.call("POST", "/connectors", body={"name": name, "config": config})
    assert r.status == 201, r
    cleanup.append((name, config["slot.name"]))
    return worker.wait_state(name, "RUNNING", task_state, timeout=60)


def test_seed_7_2_avro_events_equal_the_json_events(worker, cleanup):
    db = new_database(tables_sql=ORDERS_DDL)
    psql(db, "debezium", sql="INSERT INTO orders (customer, amount, status, created_at) "
                             "VALUES ('alice', 10.00, 'new', '2024-01-02 03:04:05')")
    tag = uuid.uuid4().hex[:8]
    avro_prefix, json_prefix = f"avro{tag}", f"json{tag}"
    create(worker, cleanup, f"avro-{tag}", seed_avro_config(db, avro_prefix, f"avro_{tag}"))
    create(worker, cleanup, f"json-{tag}",
           seed_avro_config(db, json_prefix, f"json_{tag}",
                            **{"key.converter": "org.apache.kafka.connect.json.JsonConverter",
                               "value.converter": "org.apache.kafka.connect.json.JsonConverter"}))
    for sql in ["INSERT INTO orders (customer, amount, status, created_at) "
                "VALUES ('bob', -99.99, 'new', '2024-05-06 07:08:09.5')",
                "INSERT INTO orders (customer, amount, status) VALUES (NULL, NULL, 'ünïcødé ✓')",
                "UPDATE orders SET status = 'cancelled', amount = 12345678.91 "
                "WHERE customer = 'bob'",
                "DELETE FROM orders WHERE customer = 'alice'"]:
        psql(db, "debezium", sql=sql)

    # snapshot r, c, c, u, d + tombstone
    avro_topic, json_topic = f"{avro_prefix}.public.orders", f"{json_prefix}.public.orders"
    raw = read_raw(avro_topic, expect=6)
    js = read_topic(json_topic, expect=6)
    assert len(raw) == 6 and len(js) == 6, (raw, js)
    assert raw[-1][1] is None and js[-1][1] is None  # the tombstones
    assert {f"{avro_topic}-key", f"{avro_topic}-value"} <= subjects()
    # The registered schemas, byte for byte: tests/golden/avro (checked by hand against
    # docs/AVRODATA.md's rules; see tests/golden/README.md).
    for part in ("key", "value"):
        r = registry("GET", f"/subjects/{avro_topic}-{part}/versions/latest")
        assert r.status == 200, r
        golden = (REPO / "tests" / "golden" / "avro" / f"postgres-orders-{part}.avsc").read_text()
        assert r.json["schema"] == golden.strip().replace("${prefix}", avro_prefix), part

    by_confluent = confluent_decode(raw)
    by_fastavro = [(fastavro_decode(k), fastavro_decode(v)) for k, v in raw]
    assert by_confluent == by_fastavro
    for (akey, aval), (jkey, jval) in zip(by_fastavro, js):
        same(jkey["payload"], akey)
        if aval is None:
            continue
        jp = jval["payload"]
        if aval["op"] == "r":  # each connector snapshots at its own time
            same(jp["after"], aval["after"])
            continue
        for k in ("ts_ms", "ts_us", "ts_ns"):  # when each connector handled the change
            jp.pop(k, None), aval.pop(k, None)
        assert jp["source"].pop("name") == json_prefix and aval["source"].pop("name") == avro_prefix
        same(jp, aval)

    # The seed's claim: Avro is at least 50% smaller than JSON with schemas.
    avro_bytes = sum(len(v) for _, v in raw if v)
    json_bytes = sum(len(json.dumps(v, separators=(",", ":"))) for _, v in js if v)
    print(f"value bytes for 5 events: Avro {avro_bytes}, JSON with schemas {json_bytes} "
          f"({100 * (1 - avro_bytes / json_bytes):.0f}% fewer)")
    assert avro_bytes <= 0.5 * json_bytes


def test_exercise4_schema_evolution_under_backward_full_and_none(worker, cleanup):
    db = new_database(tables_sql=ORDERS_WITH_SKU_DDL)
    tag = uuid.uuid4().hex[:8]
    prefix, name = f"ex4{tag}", f"ex4-{tag}"
    topic = f"{prefix}.public.orders"
    value_subject = f"{topic}-value"
    create(worker, cleanup, name, seed_avro_config(db, prefix, f"ex4_{tag}"))
    psql(db, "debezium", sql="INSERT INTO orders (customer, sku) VALUES ('old', 'a1')")
    wait_for(lambda: len(read_raw(topic, 1, timeout=10)) >= 1, 60, what="the first event")
    # (Set once the subject exists: Apicurio 2.4.2 shows but does not enforce a level set before.)
    set_compatibility(value_subject, "BACKWARD")

    def versions():
        r = registry("GET", f"/subjects/{value_subject}/versions")
        assert r.status == 200, r
        return r.json

    assert len(versions()) == 1
    # Step 1-2: ADD COLUMN nullable, accepted under BACKWARD; new events carry it, and an old
    # event read with the new schema has it as null.
    psql(db, "debezium", sql="ALTER TABLE orders ADD COLUMN priority VARCHAR(10)")
    psql(db, "debezium", sql="INSERT INTO orders (customer, sku, priority) "
                             "VALUES ('new', 'b2', 'high')")
    raw = read_raw(topic, expect=2)
    assert len(raw) == 2 and len(versions()) == 2
    new_event = fastavro_decode(raw[1][1])
    assert new_event["after"]["priority"] == "high"
    new_id = struct.unpack(">I", raw[1][1][1:5])[0]
    old_id = struct.unpack(">I", raw[0][1][1:5])[0]
    assert new_id != old_id
    writer = fastavro.parse_schema(json.loads(registry("GET", f"/schemas/ids/{old_id}").json["schema"]))
    reader = fastavro.parse_schema(json.loads(registry("GET", f"/schemas/ids/{new_id}").json["schema"]))
    old_as_new = fastavro.schemaless_reader(io.BytesIO(raw[0][1][5:]), writer, reader)
    assert old_as_new["after"]["priority"] is None and old_as_new["after"]["customer"] == "old"

    # Step 5 first: under FULL another nullable column is accepted too.
    set_compatibility(value_subject, "FULL")
    psql(db, "debezium", sql="ALTER TABLE orders ADD COLUMN note VARCHAR(20)")
    psql(db, "debezium", sql="INSERT INTO orders (customer, sku, note) VALUES ('n', 'c3', 'hi')")
    wait_for(lambda: len(versions()) == 3, 60, what="version 3 under FULL")

    # Step 4: drop a non-nullable column under FULL: old readers cannot read the new events, the
    # registry refuses the schema and the task fails naming the subject and the change.
    psql(db, "debezium", sql="ALTER TABLE orders DROP COLUMN sku")
    psql(db, "debezium", sql="INSERT INTO orders (customer) VALUES ('after-drop')")
    status = worker.wait_state(name, "RUNNING", "FAILED", timeout=60)
    trace = status["tasks"][0]["trace"]
    assert f"subject '{value_subject}'" in trace, trace
    assert "409" in trace, trace
    assert "removed field 'sku' (string, no default)" in trace, trace
    assert len(versions()) == 3

    # Under NONE the same change is accepted: the restarted task re-reads the uncommitted event.
    set_compatibility(value_subject, "NONE")
    r = worker.call("POST", f"/connectors/{name}/tasks/0/restart")
    assert r.status in (200, 204), r
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
    wait_for(lambda: len(versions()) == 4, 60, what="version 4 under NONE")
    raw = read_raw(topic, expect=4)
    customers = [fastavro_decode(v)["after"]["customer"] for _, v in raw if v]
    assert customers[:4] == ["old", "new", "n", "after-drop"], customers


def test_errors_tolerance_all_skips_and_counts_a_refused_schema(worker, cleanup):
    db = new_database(tables_sql=ORDERS_WITH_SKU_DDL)
    tag = uuid.uuid4().hex[:8]
    prefix, name = f"tol{tag}", f"tol-{tag}"
    topic = f"{prefix}.public.orders"
    create(worker, cleanup, name,
           seed_avro_config(db, prefix, f"tol_{tag}", **{"errors.tolerance": "all",
                                                         "errors.log.enable": "true"}))
    psql(db, "debezium", sql="INSERT INTO orders (customer, sku) VALUES ('one', 'a')")
    wait_for(lambda: len(read_raw(topic, 1, timeout=10)) >= 1, 60, what="the first event")
    set_compatibility(f"{topic}-value", "FULL")
    psql(db, "debezium", sql="ALTER TABLE orders DROP COLUMN sku")
    psql(db, "debezium", sql="INSERT INTO orders (customer) VALUES ('skipped')")

    def failed():
        text = worker.get("/metrics").text
        for line in text.splitlines():
            if line.startswith("tributary_source_records_failed_total") and name in line:
                return float(line.split()[-1])
        return 0.0

    wait_for(lambda: failed() >= 1, 60, what="the refused record counted")
    assert worker.status(name)["tasks"][0]["state"] == "RUNNING"
    raw = read_raw(topic, expect=1)
    assert [fastavro_decode(v)["after"]["customer"] for _, v in raw] == ["one"]


class Proxy:
    """A TCP forwarder in front of the registry that can be cut and restored: a registry outage
    as the worker sees it, with the real registry (and its schemas) behind it."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.up = True
        self.conns = []
        self.sock.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            if not self.up:
                c.close()
                continue
            try:
                t = socket.create_connection(self.target)
            except OSError:
                c.close()
                continue
            self.conns += [c, t]
            for a, b in ((c, t), (t, c)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.up = False
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.sock.close()


def test_registry_down_at_start_and_mid_stream_fails_then_loses_nothing(worker, cleanup):
    host_port = REGISTRY.split("//", 1)[1].split("/", 1)
    rhost, rport = host_port[0].rsplit(":", 1)
    proxy = Proxy(rhost, int(rport))
    url = f"http://127.0.0.1:{proxy.port}/{host_port[1]}"
    try:
        db = new_database(tables_sql=ORDERS_DDL)
        tag = uuid.uuid4().hex[:8]
        prefix, name = f"down{tag}", f"down-{tag}"
        topic = f"{prefix}.public.orders"
        retries = {"key.converter.max.retries": "2", "value.converter.max.retries": "2",
                   "key.converter.retries.wait.ms": "100",
                   "value.converter.retries.wait.ms": "100"}
        psql(db, "debezium", sql="INSERT INTO orders (customer) VALUES ('s1'), ('s2')")
        # Down at start: the snapshot's first record cannot be registered; the task fails with a
        # clear message instead of skipping anything.
        proxy.cut()
        r = worker.call("POST", "/connectors",
                        body={"name": name,
                              "config": seed_avro_config(db, prefix, f"down_{tag}", url,
                                                         **retries)})
        assert r.status == 201, r
        cleanup.append((name, f"down_{tag}"))
        status = worker.wait_state(name, "RUNNING", "FAILED", timeout=90)
        trace = status["tasks"][0]["trace"]
        assert "no record is skipped" in trace and f"subject '{topic}-key'" in trace, trace
        assert "3 tries" in trace, trace

        proxy.restore()
        assert worker.call("POST", f"/connectors/{name}/tasks/0/restart").status in (200, 204)
        worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
        psql(db, "debezium", sql="INSERT INTO orders (customer) VALUES ('c1')")
        wait_for(lambda: len(read_raw(topic, 3, timeout=10)) >= 3, 60, what="3 events")

        # Down mid-stream: cached schemas need no registry; a new column does, and fails.
        proxy.cut()
        psql(db, "debezium", sql="INSERT INTO orders (customer) VALUES ('c2')")
        psql(db, "debezium", sql="ALTER TABLE orders ADD COLUMN priority VARCHAR(10)")
        psql(db, "debezium", sql="INSERT INTO orders (customer, priority) VALUES ('c3', 'p')")
        status = worker.wait_state(name, "RUNNING", "FAILED", timeout=90)
        assert "no record is skipped" in status["tasks"][0]["trace"]
        proxy.restore()
        assert worker.call("POST", f"/connectors/{name}/tasks/0/restart").status in (200, 204)
        worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
        psql(db, "debezium", sql="INSERT INTO orders (customer, priority) VALUES ('c4', 'q')")
        raw = read_raw(topic, expect=6, timeout=60)
        customers = {fastavro_decode(v)["after"]["customer"] for _, v in raw if v}
        assert customers == {"s1", "s2", "c1", "c2", "c3", "c4"}, customers
    finally:
        proxy.close()


# ---- Every PostgreSQL type of the Debezium goldens, through Avro -------------------------------

def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def same_as_golden(j, a, path):
    """Asserts a value of a Debezium JSON golden (numbers kept as ("num", text)) equals the fastavro
    decoding of ours (read with plain_times): decimals, bytes and floats compared by value."""
    if isinstance(j, tuple):
        text = j[1]
        if isinstance(a, bool) or a is None:
            raise AssertionError(f"{path}: {text} vs {a!r}")
        if isinstance(a, int):
            assert int(text) == a, f"{path}: {text} vs {a}"
        elif isinstance(a, float):
            f = float(text)
            assert a == f or a == f32(f) or (a != a and f != f), f"{path}: {text} vs {a!r}"
        elif isinstance(a, decimal.Decimal):
            assert decimal.Decimal(text) == a, f"{path}: {text} vs {a}"
        else:
            raise AssertionError(f"{path}: {text} vs {a!r}")
    elif isinstance(a, decimal.Decimal):
        same(j, a, path)
    elif isinstance(a, bytes):
        assert base64.b64decode(j) == a, path
    elif isinstance(a, float):  # NaN and infinities: quoted by Jackson
        assert isinstance(j, str) and str(a).replace("inf", "Infinity").replace("nan", "NaN") \
            .replace("InfinityInfinity", "Infinity") == j, f"{path}: {j!r} vs {a!r}"
    elif isinstance(a, dict):
        assert isinstance(j, dict) and set(j) == set(a), f"{path}: {j} vs {a}"
        for k in a:
            same_as_golden(j[k], a[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(j, list) and len(j) == len(a), f"{path}: {j} vs {a}"
        for i, (x, y) in enumerate(zip(j, a)):
            same_as_golden(x, y, f"{path}[{i}]")
    else:
        assert j == a, f"{path}: {j!r} vs {a!r}"


@pytest.mark.parametrize("config_name", ["default", "string_connect", "double_micro"])
def test_every_golden_postgres_type_through_avro(config_name, tmp_path):
    from test_postgres_golden import (golden_database, golden_records, loads,
                                      run_golden_changes, snapshot_twins, use_twins)
    golden = golden_records(config_name)
    run = uuid.uuid4().hex[:8]
    db, prefix, slot = f"avrogold_{run}", f"ag{run}", f"avrogold_{run}"
    cfg = golden_database(config_name, db, tmp_path, **{
        "topic.prefix": prefix, "slot.name": slot,
        "key.converter": AVRO, "key.converter.schema.registry.url": REGISTRY,
        "value.converter": AVRO, "value.converter.schema.registry.url": REGISTRY})
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        run_golden_changes(w, "avro-golden", cfg, db)
    finally:
        w.kill()
        drop_slot(slot)

    twins = snapshot_twins(golden)
    checked = 0
    for gtopic, grecs in golden.items():
        if gtopic.startswith("__debezium-heartbeat"):
            continue
        topic = gtopic.replace("dbserver1", prefix)
        raw = read_raw(topic, expect=len(grecs), timeout=30, idle_s=1.0)
        assert len(raw) == len(grecs), f"{topic}: {len(raw)} records, Debezium wrote {len(grecs)}"
        for i, (g, (k, v)) in enumerate(zip(grecs, raw)):
            where = f"{topic} record {i}"
            gk = loads(g["key"].replace("dbserver1", prefix)) if g["key"] is not None else None
            gv = loads(g["value"].replace("dbserver1", prefix)) if g["value"] is not None else None
            ak, av = fastavro_decode(k, raw_times=True), fastavro_decode(v, raw_times=True)
            if gtopic.endswith(".transaction"):  # ids and times differ between any two runs
                assert set(gk["payload"]) == set(ak), where
                assert gv["payload"]["status"] == av["status"], where
                assert set(gv["payload"]) == set(av), where
                continue
            same_as_golden(gk["payload"] if gk else None, ak, f"{where} key")
            if gv is None or av is None:
                assert gv is None and av is None, where
                continue
            gp = gv["payload"]
            use_twins(gtopic, gp, twins)
            assert gp["op"] == av["op"], where
            for part in ("before", "after"):
                if gp[part] is None or av[part] is None:
                    assert gp[part] is None and av[part] is None, f"{where} {part}"
                    continue
                # A null of a column with a default: JsonConverter writes the default
                # (replace.null.with.default), AvroData writes the null.
                struct_schema = next(f for f in gv["schema"]["fields"] if f["field"] == part)
                defaults = {f["field"]: f.get("default") for f in struct_schema["fields"]}
                for name, avro_value in av[part].items():
                    jv = gp[part][name]
                    if avro_value is None and jv is not None:
                        assert jv == defaults[name], f"{where} {part}.{name}: {jv} vs null"
                        continue
                    same_as_golden(jv, avro_value, f"{where} {part}.{name}")
                assert set(gp[part]) == set(av[part]), f"{where} {part}"
            checked += 1
    print(f"{config_name}: {checked} change events equal to Debezium's through Avro")
    assert checked > 50


def test_converter_settings_are_validated_with_the_connector(worker):
    config = seed_avro_config("nodb", "p", "s")
    del config["value.converter.schema.registry.url"]
    config["key.converter.max.retries"] = "-1"
    r = worker.call("POST", "/connectors", body={"name": f"badconv-{uuid.uuid4().hex[:6]}",
                                                 "config": config})
    assert r.status == 400, r
    assert '"value.converter.schema.registry.url"' in r.json["message"], r
    assert "key.converter.max.retries" in r.json["message"], r
    v = worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate", body=config)
    assert v.status == 200, v
    errors = {c["value"]["name"]: c["value"]["errors"] for c in v.json["configs"]
              if c["value"]["errors"]}
    assert "value.converter.schema.registry.url" in errors, errors
    assert "key.converter.max.retries" in errors, errors
