"""Transforms on real change events: the PostgreSQL connector on the real PostgreSQL, the chain
in the worker, the events read back from the real Kafka broker.

What each transform must do is Kafka's documented behaviour: RegexRouter renames a topic that
matches as a whole (`$1` groups); InsertField appends its fields after the envelope's; a
predicate limits a transform to the records it matches; `errors.tolerance` decides whether a
failing transform fails the task (with a trace naming it) or skips the record.
"""
import json
import time
import uuid

import pytest
from kafka import KafkaConsumer

from conftest import BOOTSTRAP, generator_config, unique, wait_for
from pg_util import (new_database, payloads, pg_config, pg_run,  # noqa: F401
                     psql, read_topic, wait_streaming)

pytestmark = pytest.mark.kafka

TABLES = """
CREATE TABLE orders (id integer PRIMARY KEY, status text);
CREATE TABLE customers (id integer PRIMARY KEY, name text);
INSERT INTO orders VALUES (1, 'new'), (2, 'paid');
INSERT INTO customers VALUES (1, 'ada');
"""



def fresh(tag):
    db = new_database(tables_sql=TABLES)
    return db, f"{tag}{uuid.uuid4().hex[:8]}", f"s_{uuid.uuid4().hex[:12]}", unique(tag)


def test_seed_route_and_timestamp_with_a_predicate(worker, pg_run):
    db, prefix, slot, name = fresh("route")
    cdc = f"cdc{uuid.uuid4().hex[:6]}"
    pg_run(name, pg_config(db, prefix, slot, **{
        "transforms": "route,timestamp",
        # The seed's route (section 6.1), to a prefix of this test's own.
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": f"{prefix}.public.(.*)",
        "transforms.route.replacement": f"{cdc}.$1",
        # The seed's InsertField timestamp, only on the orders topic.
        "transforms.timestamp.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.timestamp.timestamp.field": "cdc_ingested_at",
        "transforms.timestamp.static.field": "pipeline",
        "transforms.timestamp.static.value": "tributary",
        "transforms.timestamp.predicate": "isOrders",
        "predicates": "isOrders",
        "predicates.isOrders.type":
            "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.isOrders.pattern": r".*\.orders",
    }))
    orders = read_topic(f"{cdc}.orders", expect=2)
    customers = read_topic(f"{cdc}.customers", expect=1)
    assert [k["payload"] for k, _ in orders] == [{"id": 1}, {"id": 2}]
    value = orders[0][1]
    names = [f["field"] for f in value["schema"]["fields"]]
    envelope = [f["field"] for f in customers[0][1]["schema"]["fields"]]  # not stamped
    assert envelope[:3] == ["before", "after", "source"], envelope
    # InsertField appends after the envelope's own fields, and keeps its name.
    assert names == envelope + ["cdc_ingested_at", "pipeline"], names
    assert value["schema"]["name"] == customers[0][1]["schema"]["name"].replace(
        "customers", "orders")
    ts_field = value["schema"]["fields"][len(envelope)]
    assert ts_field == {"type": "int64", "optional": True,
                        "name": "org.apache.kafka.connect.data.Timestamp", "version": 1,
                        "field": "cdc_ingested_at"}
    # Debezium's records carry no timestamp when the chain runs: the field is null, as there.
    assert [(p["after"], p["cdc_ingested_at"], p["pipeline"]) for p in payloads(orders)] == [
        ({"id": 1, "status": "new"}, None, "tributary"),
        ({"id": 2, "status": "paid"}, None, "tributary")]
    # The customers topic is routed but not stamped.
    assert "pipeline" not in payloads(customers)[0]
    assert payloads(customers)[0]["after"] == {"id": 1, "name": "ada"}
    # Nothing went to the original topics.
    assert read_topic(f"{prefix}.public.orders", idle_s=1, timeout=5) == []


def test_failing_transform_fails_the_task_naming_it(worker, pg_run):
    db, prefix, slot, name = fresh("failing")
    pg_run(name, pg_config(db, prefix, slot, **{
        "transforms": "bad",
        # Kafka's InsertField only inserts offsets into sink records: every record fails.
        "transforms.bad.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.bad.offset.field": "off",
    }), task_state="FAILED")
    trace = worker.status(name)["tasks"][0]["trace"]
    assert "Error in transform 'bad'" in trace, trace
    assert f"to topic '{prefix}.public." in trace, trace
    assert "Only SinkRecord supported for [field insertion]" in trace, trace


def test_errors_tolerance_all_skips_failing_records_and_counts_them(worker, pg_run):
    db, prefix, slot, name = fresh("tolerant")
    pg_run(name, pg_config(db, prefix, slot, **{
        "transforms": "route,bad",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": f"{prefix}.public.(.*)",
        "transforms.route.replacement": f"{prefix}.$1",
        # Fails on the orders topic only.
        "transforms.bad.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.bad.offset.field": "off",
        "transforms.bad.predicate": "isOrders",
        "predicates": "isOrders",
        "predicates.isOrders.type": "TopicNameMatches",
        "predicates.isOrders.pattern": r".*\.orders",
        "errors.tolerance": "all",
        "errors.log.enable": "true",
    }))
    customers = read_topic(f"{prefix}.customers", expect=1)
    assert payloads(customers)[0]["after"] == {"id": 1, "name": "ada"}
    assert read_topic(f"{prefix}.orders", idle_s=1, timeout=5) == []

    def failed():
        for line in worker.get("/metrics").text.splitlines():
            if line.startswith("tributary_source_records_failed_total") and name in line:
                return float(line.rsplit(" ", 1)[1]) >= 2
        return False
    wait_for(failed, timeout=30)
    assert worker.status(name)["tasks"][0]["state"] == "RUNNING"


def test_seed_exercise_3_route_unwrap_and_timestamp(worker, pg_run):
    """The seed's Exercise 3 chain: RegexRouter to cdc.$1, ExtractNewRecordState with the seed's
    options and add.fields=op,source.ts_ms, then InsertField's timestamp."""
    db, prefix, slot, name = fresh("ex3")
    psql(db, "debezium", sql="ALTER TABLE orders REPLICA IDENTITY FULL")
    cdc = f"cdc{uuid.uuid4().hex[:6]}"
    pg_run(name, pg_config(db, prefix, slot, **{
        "transforms": "route,unwrap,ts",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": f"{prefix}.public.(.*)",
        "transforms.route.replacement": f"{cdc}.$1",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.unwrap.drop.tombstones": "false",
        "transforms.unwrap.delete.handling.mode": "rewrite",
        "transforms.unwrap.add.fields": "op,source.ts_ms",
        "transforms.ts.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.ts.timestamp.field": "cdc_processed_at",
    }))
    read_topic(f"{cdc}.orders", expect=2, idle_s=0)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="UPDATE orders SET status = 'cancelled' WHERE id = 1;"
                             "DELETE FROM orders WHERE id = 2;")
    recs = read_topic(f"{cdc}.orders", expect=5)
    values = [v["payload"] if v else None for _, v in recs]
    flat = [{k: p[k] for k in p if k not in ("__source_ts_ms",)} if p else None for p in values]
    assert flat == [
        {"id": 1, "status": "new", "__deleted": "false", "__op": "r", "cdc_processed_at": None},
        {"id": 2, "status": "paid", "__deleted": "false", "__op": "r", "cdc_processed_at": None},
        {"id": 1, "status": "cancelled", "__deleted": "false", "__op": "u",
         "cdc_processed_at": None},
        {"id": 2, "status": "paid", "__deleted": "true", "__op": "d", "cdc_processed_at": None},
        None,  # the delete's tombstone, kept by drop.tombstones=false
    ], flat
    assert all(isinstance(p["__source_ts_ms"], int) and p["__source_ts_ms"] > 0
               for p in values if p)
    schema = recs[2][1]["schema"]
    assert schema["name"] == f"{prefix}.public.orders.Value"
    assert [f["field"] for f in schema["fields"]] == [
        "id", "status", "__deleted", "__op", "__source_ts_ms", "cdc_processed_at"]
    # Keys are the row keys, unchanged.
    assert [k["payload"] for k, _ in recs] == [{"id": 1}, {"id": 2}, {"id": 1}, {"id": 2},
                                               {"id": 2}]


def test_seed_filter_keeps_only_cancelled_order_updates(worker, pg_run):
    db, prefix, slot, name = fresh("filter")
    pg_run(name, pg_config(db, prefix, slot, **{
        "snapshot.mode": "no_data",
        "transforms": "filter",
        "transforms.filter.type": "io.debezium.transforms.Filter",
        "transforms.filter.language": "jsr223.groovy",
        "transforms.filter.condition": "value.op == 'u' && value.after.status == 'cancelled'",
    }))
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO orders VALUES (3, 'new');"
                             "UPDATE orders SET status = 'shipped' WHERE id = 1;"
                             "UPDATE orders SET status = 'cancelled' WHERE id = 2;"
                             "DELETE FROM orders WHERE id = 3;")
    recs = read_topic(f"{prefix}.public.orders", expect=2)
    # The cancelled update, and the delete's tombstone (null.handling.mode=keep passes it).
    assert [(p["op"], p["after"]) for p in payloads(recs)] == [
        ("u", {"id": 2, "status": "cancelled"})]
    assert recs[1] == ({"schema": recs[1][0]["schema"], "payload": {"id": 3}}, None)


OUTBOX = """
CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2));
CREATE TABLE outbox (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id   VARCHAR(255) NOT NULL,
    type           VARCHAR(255) NOT NULL,
    payload        JSONB NOT NULL,
    created_at     TIMESTAMP DEFAULT NOW()
);
"""


def read_with_headers(topic, expect, timeout=60):
    """(key, value, headers) of `topic`'s records, JSON decoded, headers as a dict of text."""
    consumer = KafkaConsumer(topic, bootstrap_servers=[BOOTSTRAP], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"ex5-{uuid.uuid4()}")
    out = []
    deadline = time.time() + timeout
    while time.time() < deadline and len(out) < expect:
        for msgs in consumer.poll(timeout_ms=500).values():
            for m in msgs:
                out.append((json.loads(m.key) if m.key else None,
                            json.loads(m.value) if m.value else None,
                            {k: v.decode() for k, v in m.headers}))
    consumer.close()
    return out


def test_seed_exercise_5_outbox_event_router(worker, pg_run):
    """The seed's Exercise 5: orders and outbox written in one transaction, the connector
    capturing only the outbox with the EventRouter routing by aggregate_type to
    <aggregate_type>.events with aggregate_id as the key; a rolled-back transaction produces
    nothing."""
    db = new_database(tables_sql=OUTBOX)
    prefix, slot, name = f"ex5{uuid.uuid4().hex[:8]}", f"s_{uuid.uuid4().hex[:12]}", unique("ex5")
    aggregate = f"order{uuid.uuid4().hex[:6]}"
    pg_run(name, pg_config(db, prefix, slot, **{
        "snapshot.mode": "no_data",
        "table.include.list": "public.outbox",
        "transforms": "outbox",
        "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
        "transforms.outbox.table.field.event.key": "aggregate_id",
        "transforms.outbox.table.field.event.payload": "payload",
        "transforms.outbox.route.by.field": "aggregate_type",
        "transforms.outbox.route.topic.replacement": "${routedByValue}.events",
    }))
    wait_streaming(db, slot)

    def create_order(customer_id, amount, commit=True):
        psql(db, "debezium", sql=(
            "BEGIN;"
            f"INSERT INTO orders (customer_id, amount) VALUES ({customer_id}, {amount});"
            "INSERT INTO outbox (aggregate_type, aggregate_id, type, payload) VALUES "
            f"('{aggregate}', currval('orders_id_seq')::text, 'OrderCreated', "
            f"jsonb_build_object('customer_id', {customer_id}, 'amount', {amount}));"
            + ("COMMIT;" if commit else "ROLLBACK;")))

    create_order(7, 10.5)
    create_order(8, 99, commit=False)  # the service "crashes" before committing
    create_order(9, 20)
    events = read_with_headers(f"{aggregate}.events", expect=2)
    # Nothing more arrives (the rolled-back order's event would be a third).
    time.sleep(2)
    assert len(read_with_headers(f"{aggregate}.events", expect=3, timeout=4)) == 2
    ids = psql(db, "debezium", sql="SELECT id FROM outbox ORDER BY created_at, aggregate_id")
    assert [h["id"] for _, _, h in events] == ids.split(), events
    assert [k["payload"] for k, _, _ in events] == ["1", "3"]  # order 2 was rolled back
    assert [json.loads(v["payload"]) for _, v, _ in events] == [
        {"amount": 10.5, "customer_id": 7}, {"amount": 20, "customer_id": 9}]
    assert events[0][1]["schema"]["name"] == "io.debezium.data.Json"
    # Only the outbox is captured: no topic for orders.
    assert read_topic(f"{prefix}.public.orders", idle_s=1, timeout=4) == []


def test_cast_and_timestamp_converter_on_unwrapped_rows(worker, pg_run):
    """Kafka's Cast and TimestampConverter after ExtractNewRecordState, on the types Debezium
    gives PostgreSQL columns: numeric as a Connect Decimal, timestamp(3) as epoch milliseconds
    (io.debezium.time.Timestamp, an int64), timestamptz as ISO text (ZonedTimestamp)."""
    db = new_database(tables_sql="""
        CREATE TABLE readings (id integer PRIMARY KEY, amount numeric(10,2), taken timestamp(3),
                               taken_tz timestamptz);
        INSERT INTO readings VALUES
          (1, 12.50, '2024-03-01 12:34:56.789', '2024-03-01 12:34:56.789+00'),
          (2, -0.07, '1969-12-31 23:59:59.999', '1999-12-31 23:00:00-01');
    """)
    prefix, slot, name = f"cast{uuid.uuid4().hex[:8]}", f"s_{uuid.uuid4().hex[:12]}", unique("cast")
    pg_run(name, pg_config(db, prefix, slot, **{
        "transforms": "unwrap,cast,taken,tz",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
        "transforms.cast.spec": "id:string, amount:float64",
        "transforms.taken.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
        "transforms.taken.field": "taken",
        "transforms.taken.target.type": "string",
        "transforms.taken.format": "yyyy-MM-dd HH:mm:ss.SSS",
        "transforms.tz.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
        "transforms.tz.field": "taken_tz",
        "transforms.tz.target.type": "unix",
        "transforms.tz.unix.precision": "seconds",
        # SimpleDateFormat parses a prefix: the fraction and the zone after the seconds are
        # ignored, as in Kafka.
        "transforms.tz.format": "yyyy-MM-dd'T'HH:mm:ss",
    }))
    recs = read_topic(f"{prefix}.public.readings", expect=2, idle_s=0)
    values = [v["payload"] for _, v in recs]
    # Expected from the rows by hand: 2024-03-01T12:34:56Z = 1709296496 s;
    # 1999-12-31 23:00:00-01 = 2000-01-01T00:00:00Z = 946684800 s.
    assert values == [
        {"id": "1", "amount": 12.5, "taken": "2024-03-01 12:34:56.789", "taken_tz": 1709296496},
        {"id": "2", "amount": -0.07, "taken": "1969-12-31 23:59:59.999", "taken_tz": 946684800},
    ], values
    types = {f["field"]: (f["type"], f.get("name")) for f in recs[0][1]["schema"]["fields"]}
    assert types == {"id": ("string", None), "amount": ("double", None),
                     "taken": ("string", None), "taken_tz": ("int64", None)}, types


def test_cast_and_timestamp_converter_configs_are_checked(worker):
    config = generator_config("t", name=unique("castcfg"))
    config.update({"transforms": "cast,ts",
              "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
              "transforms.cast.spec": "amount:decimal",
              "transforms.ts.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
              "transforms.ts.target.type": "string"})
    r = worker.call("PUT", "/connector-plugins/GeneratorSource/config/validate", body=config)
    assert r.status == 200, r
    errors = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]
              if c["value"]["errors"]}
    assert "Invalid type found in casting spec: decimal" in " ".join(
        errors.get("transforms.cast.spec", [])), r.json
    assert "requires format option" in " ".join(errors.get("transforms.ts.format", [])), r.json
