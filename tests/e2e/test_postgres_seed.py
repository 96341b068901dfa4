"""The seed lesson's Exercise 1 end to end (../shared/seed/cdc-with-debezium.md): the `orders`
table with REPLICA IDENTITY FULL, the section 3.1 connector JSON (deploy/connectors/
inventory-connector.json: the lesson's config as pure JSON, booleans and numbers as the lesson
writes them) registered with curl, INSERT / UPDATE / DELETE, and the lesson's own section 5.1
consumer (tests/e2e/seed_consumer.py) reading the events. Only the server's address and the
database name are changed (each run gets a fresh database).
"""
import json
import uuid

import pytest

from conftest import REPO, Worker
from pg_util import PG_HOST, PG_PORT, psql
from seed_checks import check_exercise1_events, read_with_seed_consumer

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

        # The lesson's consumer; an earlier run's database on a shared broker is skipped.
        events, applied = read_with_seed_consumer(
            monkeypatch, "dbserver1.public.orders",
            keep=lambda v, seen: v["payload"]["source"]["db"] == db if v is not None
            else bool(seen))
        status = w.status("inventory-connector")
        assert status["tasks"][0]["state"] == "RUNNING", status
    finally:
        w.stop()
        psql("postgres", "postgres",
             sql="SELECT pg_drop_replication_slot('debezium_slot') FROM pg_replication_slots "
                 "WHERE slot_name = 'debezium_slot'")

    check_exercise1_events(events, applied, "dbserver1.public.orders.Envelope")
    assert all(a[1] == "public.orders" for a in applied)
