"""The seed lesson's Exercise 1 end to end (../shared/seed/cdc-with-debezium.md): the `orders`
table with REPLICA IDENTITY FULL, the section 3.1 connector JSON (deploy/connectors/
inventory-connector.json: the lesson's config as pure JSON, booleans and numbers as the lesson
writes them) registered with curl, INSERT / UPDATE / DELETE, and the lesson's own section 5.1
consumer (tests/e2e/seed_consumer.py) reading the events. Only the server's address and the
database name are changed (each run gets a fresh database).
"""
import json
import os
import time
import uuid

import pytest

import seed_consumer
from conftest import BOOTSTRAP, REPO, Worker, wait_for
from pg_util import PG_HOST, PG_PORT, psql

pytestmark = pytest.mark.kafka

CONNECTOR_JSON = REPO / "deploy" / "connectors" / "inventory-connector.json"

ORDERS_DDL = (REPO / "deploy" / "sql" / "orders.sql").read_text()  # the lesson's table


def test_exercise1_insert_update_delete_reach_the_seed_consumer(tmp_path, monkeypatch):
    db = f"seed_{uuid.uuid4().hex[:8]}"
    psql("postgres", "postgres", sql=f"CREATE DATABASE {db} OWNER debezium")
    psql(db, "debezium", sql=ORDERS_DDL)
    # The operator creates the publication (FOR ALL TABLES needs a superuser).
    psql(db, "postgres", sql="CREATE PUBLICATION dbz_publication FOR ALL TABLES")
    psql(db, "debezium", sql="INSERT INTO orders (customer, amount, status, created_at) "
                             "VALUES ('alice', 10.00, 'new', '2024-01-02 03:04:05')")

    body = json.loads(CONNECTOR_JSON.read_text())
    body["config"].update({"database.hostname": PG_HOST, "database.port": PG_PORT,
                           "database.dbname": db})
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        r = w.call("POST", "/connectors", body=body)
        assert r.status == 201, r
        assert r.json["config"]["key.converter.schemas.enable"] == "false"
        w.wait_state("inventory-connector", "RUNNING", "RUNNING", timeout=60)

        psql(db, "debezium", sql="INSERT INTO orders (customer, amount, status, created_at) "
                                 "VALUES ('bob', 99.99, 'new', '2024-05-06 07:08:09.5')")
        psql(db, "debezium", sql="UPDATE orders SET status = 'cancelled' WHERE customer = 'bob'")
        psql(db, "debezium", sql="DELETE FROM orders WHERE customer = 'alice'")

        # The lesson's consumer, its apply_* hooks recording what they are given.
        applied = []
        monkeypatch.setattr(seed_consumer, "apply_insert",
                            lambda t, row: applied.append(("insert", t, None, row)))
        monkeypatch.setattr(seed_consumer, "apply_update",
                            lambda t, old, new: applied.append(("update", t, old, new)))
        monkeypatch.setattr(seed_consumer, "apply_delete",
                            lambda t, row: applied.append(("delete", t, row, None)))
        consumer = seed_consumer.create_cdc_consumer([BOOTSTRAP], "dbserver1.public.orders")
        events = []
        deadline = time.time() + 60
        try:
            while time.time() < deadline and len(events) < 5:
                for msgs in consumer.poll(timeout_ms=500).values():
                    for m in msgs:
                        v = m.value
                        if v is not None and v["payload"]["source"]["db"] != db:
                            continue  # an earlier run's database on a shared broker
                        if v is None and not events:
                            continue
                        events.append((m.key, v))
                        seed_consumer.process_change_event(v)
                        consumer.commit()
        finally:
            consumer.close()
        status = w.status("inventory-connector")
        assert status["tasks"][0]["state"] == "RUNNING", status
    finally:
        w.stop()
        psql("postgres", "postgres",
             sql="SELECT pg_drop_replication_slot('debezium_slot') FROM pg_replication_slots "
                 "WHERE slot_name = 'debezium_slot'")

    ops = [v["payload"]["op"] if v else None for _, v in events]
    assert ops == ["r", "c", "u", "d", None], events
    # Keys without schema (key.converter.schemas.enable=false), values with schema.
    assert events[0][0] == {"order_id": 1}
    assert events[1][0] == {"order_id": 2}
    assert events[4][0] == {"order_id": 1}  # the tombstone of alice's row
    value = events[1][1]
    assert value["schema"]["name"] == "dbserver1.public.orders.Envelope"
    after_fields = {f["field"]: f for f in value["schema"]["fields"][1]["fields"]}
    assert after_fields["amount"]["type"] == "string"  # decimal.handling.mode=string
    assert after_fields["created_at"]["name"] == "org.apache.kafka.connect.data.Timestamp"
    bob = {"order_id": 2, "customer": "bob", "amount": "99.99", "status": "new",
           "created_at": 1714979289500}
    assert value["payload"]["before"] is None
    assert value["payload"]["after"] == bob
    # REPLICA IDENTITY FULL: the whole old row in UPDATE and DELETE events.
    upd = events[2][1]["payload"]
    assert upd["before"] == bob
    assert upd["after"] == dict(bob, status="cancelled")
    dele = events[3][1]["payload"]
    assert dele["before"] == {"order_id": 1, "customer": "alice", "amount": "10.00",
                              "status": "new", "created_at": 1704164645000}
    assert dele["after"] is None
    assert [a[0] for a in applied] == ["insert", "insert", "update", "delete"]
    assert all(a[1] == "public.orders" for a in applied)
