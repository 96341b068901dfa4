"""kill -9 of the worker while the PostgreSQL connector streams: rows keep being inserted (in
small transactions) while the worker is killed with SIGKILL and started again; a consumer then
finds every inserted row in the topic (duplicates are allowed, only since the last offset flush)."""
import json
import signal
import subprocess
import threading
import time
import uuid

import pytest
from kafka import KafkaConsumer

from conftest import BOOTSTRAP, Worker, wait_for
from pg_util import PG_HOST, PG_PORT, PSQL, psql

pytestmark = pytest.mark.kafka


def read_ids(topic, expect, timeout=90):
    consumer = KafkaConsumer(topic, bootstrap_servers=[BOOTSTRAP], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"k9pg-{uuid.uuid4()}",
                             value_deserializer=lambda m: json.loads(m.decode()) if m else None)
    ids = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = 0
        for msgs in consumer.poll(timeout_ms=1000, max_records=100000).values():
            for m in msgs:
                got += 1
                if m.value and m.value["payload"]["op"] in ("r", "c"):
                    ids.append(m.value["payload"]["after"]["id"])
        if got == 0 and len(set(ids)) >= expect:
            break
    consumer.close()
    return ids


def test_kill9_mid_stream_loses_no_row(tmp_path):
    run = uuid.uuid4().hex[:8]
    db, prefix, slot = f"k9_{run}", f"k9{run}", f"k9_{run}"
    psql("postgres", "postgres", sql=f"CREATE DATABASE {db} OWNER debezium")
    psql(db, "debezium", sql="CREATE TABLE t (id integer PRIMARY KEY, v text)")
    psql(db, "postgres", sql="CREATE PUBLICATION dbz_publication FOR ALL TABLES")
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'snap' FROM generate_series(1, 500) g")
    config = {
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": PG_HOST, "database.port": PG_PORT, "database.user": "debezium",
        "database.password": "dbz_password", "database.dbname": db, "topic.prefix": prefix,
        "slot.name": slot, "publication.autocreate.mode": "disabled",
    }
    w = Worker(tmp_path / "worker")
    w.start()
    total = 500
    stop = threading.Event()
    errors = []

    def writer():
        # 40 rows per transaction through one psql session, until told to stop.
        nonlocal total
        p = subprocess.Popen([str(PSQL[-1]), "-X", "-q", "-h", PG_HOST, "-p", PG_PORT,
                              "-U", "debezium", "-d", db], stdin=subprocess.PIPE, text=True,
                             env={"PGPASSWORD": "dbz_password"})
        try:
            while not stop.is_set():
                lo = total + 1
                p.stdin.write(f"INSERT INTO t SELECT g, 'x' FROM generate_series({lo}, "
                              f"{lo + 39}) g;\n")
                p.stdin.flush()
                total += 40
                time.sleep(0.01)
            p.stdin.write("\\q\n")
            p.stdin.flush()
            p.wait(30)
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)
    try:
        r = w.call("POST", "/connectors", body={"name": "k9", "config": config})
        assert r.status == 201, r
        w.wait_state("k9", "RUNNING", "RUNNING", timeout=60)
        t = threading.Thread(target=writer)
        t.start()
        time.sleep(3)
        w.stop(signal.SIGKILL)
        time.sleep(1)
        w.start()
        w.wait_state("k9", "RUNNING", "RUNNING", timeout=60)
        time.sleep(3)
        stop.set()
        t.join(60)
        assert not errors, errors
        ids = read_ids(f"{prefix}.public.t", total)
        missing = set(range(1, total + 1)) - set(ids)
        assert not missing, f"{len(missing)} rows missing of {total}, e.g. {sorted(missing)[:10]}"
        status = w.status("k9")
        assert status["tasks"][0]["state"] == "RUNNING", status
    finally:
        stop.set()
        w.stop()
        psql("postgres", "postgres",
             sql=f"SELECT pg_drop_replication_slot('{slot}') FROM pg_replication_slots "
                 f"WHERE slot_name = '{slot}'")
