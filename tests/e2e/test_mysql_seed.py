"""The seed lesson's Exercise 1 and Exercise 3 on MySQL / MariaDB: the lesson's `orders` table
(deploy/sql/orders-mysql.sql), the lesson's connector config for MySQL
(deploy/connectors/inventory-connector-mysql.json: the section 3.1 settings with MySqlConnector's
keys) registered over REST, INSERT / UPDATE / DELETE read by the lesson's section 5.1 consumer
(tests/e2e/seed_consumer.py), and the Exercise 3 chain RegexRouter -> ExtractNewRecordState ->
InsertField. Only the server's address, the database and the history brokers are changed."""
import json
import time
import uuid

import pytest

from conftest import BOOTSTRAP, REPO, Worker
from mysql_util import MYSQL_HOST, MYSQL_PORT, mysql, new_database
from seed_checks import check_exercise1_events, read_with_seed_consumer
from test_mysql_restarts import read_values

pytestmark = pytest.mark.kafka

CONNECTOR_JSON = REPO / "deploy" / "connectors" / "inventory-connector-mysql.json"
ORDERS_DDL = (REPO / "deploy" / "sql" / "orders-mysql.sql").read_text()


def lesson_config(db, prefix=None, **extra):
    body = json.loads(CONNECTOR_JSON.read_text())
    cfg = body["config"]
    cfg.update({"database.hostname": MYSQL_HOST, "database.port": MYSQL_PORT,
                "database.include.list": db,
                "table.include.list": f"{db}.orders,{db}.customers",
                "schema.history.internal.kafka.bootstrap.servers": BOOTSTRAP,
                "schema.history.internal.kafka.topic": f"schema-history.{db}"})
    if prefix:
        cfg["topic.prefix"] = prefix
    cfg.update(extra)
    return body


def test_exercise1_insert_update_delete_reach_the_seed_consumer(tmp_path, monkeypatch):
    db = new_database("seed")
    mysql(db, ORDERS_DDL + "INSERT INTO orders (customer, amount, status, created_at) "
                           "VALUES ('alice', 10.00, 'new', '2024-01-02 03:04:05');")
    body = lesson_config(db)
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        r = w.call("POST", "/connectors", body=body)
        assert r.status == 201, r
        w.wait_state("inventory-connector", "RUNNING", "RUNNING", timeout=60)
        topic = f"dbserver1.{db}.orders"
        read_values(topic, lambda v: len(v) >= 1, 60)
        time.sleep(1)
        mysql(db, "INSERT INTO orders (customer, amount, status, created_at) "
                  "VALUES ('bob', 99.99, 'new', '2024-05-06 07:08:09.5');"
                  "UPDATE orders SET status = 'cancelled' WHERE customer = 'bob';"
                  "DELETE FROM orders WHERE customer = 'alice';")
        events, applied = read_with_seed_consumer(monkeypatch, topic)
        assert w.status("inventory-connector")["tasks"][0]["state"] == "RUNNING"
    finally:
        w.stop()
    check_exercise1_events(events, applied, f"dbserver1.{db}.orders.Envelope")
    # The lesson's consumer names the table "<source.schema>.<source.table>"; a MySQL source block
    # has `db`, not `schema` (as in Debezium), so the name it builds is ".orders".
    assert all(a[1] == ".orders" for a in applied), applied


def test_exercise3_route_unwrap_and_timestamp(tmp_path):
    db = new_database("ex3")
    prefix = f"ex3{uuid.uuid4().hex[:6]}"
    cdc = f"cdc{uuid.uuid4().hex[:6]}"
    mysql(db, ORDERS_DDL + "INSERT INTO orders (customer, amount, status) VALUES "
                           "('ann', 1.00, 'new'), ('ben', 2.00, 'paid');")
    body = lesson_config(db, prefix, **{
        "transforms": "route,unwrap,ts",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": f"{prefix}\\.{db}\\.(.*)",
        "transforms.route.replacement": f"{cdc}.$1",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.unwrap.drop.tombstones": "false",
        "transforms.unwrap.delete.handling.mode": "rewrite",
        "transforms.unwrap.add.fields": "op,source.ts_ms",
        "transforms.ts.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.ts.timestamp.field": "cdc_processed_at"})
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        r = w.call("POST", "/connectors", body=body)
        assert r.status == 201, r
        w.wait_state("inventory-connector", "RUNNING", "RUNNING", timeout=60)
        read_values(f"{cdc}.orders", lambda v: len(v) >= 2, 60)
        time.sleep(1)
        mysql(db, "UPDATE orders SET status = 'cancelled' WHERE order_id = 1;"
                  "DELETE FROM orders WHERE order_id = 2;")
        values = read_values(f"{cdc}.orders", lambda v: len(v) >= 5, 60)
    finally:
        w.stop()
    payloads = [v["payload"] if v else None for v in values]
    flat = [{k: p[k] for k in ("order_id", "status", "__deleted", "__op", "cdc_processed_at")}
            if p else None for p in payloads]
    assert flat == [
        {"order_id": 1, "status": "new", "__deleted": "false", "__op": "r", "cdc_processed_at": None},
        {"order_id": 2, "status": "paid", "__deleted": "false", "__op": "r", "cdc_processed_at": None},
        {"order_id": 1, "status": "cancelled", "__deleted": "false", "__op": "u",
         "cdc_processed_at": None},
        {"order_id": 2, "status": "paid", "__deleted": "true", "__op": "d", "cdc_processed_at": None},
        None,
    ], flat
    assert all(isinstance(p["__source_ts_ms"], int) and p["__source_ts_ms"] > 0
               for p in payloads if p)
    schema = values[2]["schema"]
    assert schema["name"] == f"{prefix}.{db}.orders.Value"
    assert [f["field"] for f in schema["fields"]] == [
        "order_id", "customer", "amount", "status", "created_at", "__deleted", "__op",
        "__source_ts_ms", "cdc_processed_at"]
