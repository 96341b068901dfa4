"""The PostgreSQL connector when its surroundings fail: PostgreSQL restarted while streaming (the
task stays RUNNING, reconnects after retriable.restart.connector.wait.ms and resumes after the
last event it returned), the Kafka broker restarted while streaming (the producer holds and
retries; the slot does not advance past what Kafka acknowledged), and the worker killed with
SIGKILL in the middle of a snapshot (the snapshot starts again on restart). In every case each
committed row is found in Kafka; duplicates are allowed (at-least-once), losses are not."""
import re
import signal
import subprocess
import time
import uuid

import pytest

from conftest import REPO, Worker, free_port, wait_for
from pg_util import (RowWriter, drop_slot, new_database, payloads, pg_config, private_postgres,
                     psql, read_topic)

pytestmark = pytest.mark.kafka

KAFKA_SH = REPO / "tests" / "env" / "kafka.sh"
TABLE = "CREATE TABLE t (id integer PRIMARY KEY, v text)"


def row_ids(recs):
    return [p["after"]["id"] for p in payloads(recs, ("r", "c"))]


def read_all_rows(topic, last_id, bootstrap=None, timeout=120):
    """The records of `topic`, read until every row id 1..last_id arrived (a retaken snapshot
    repeats rows, so counting records is not enough) or `timeout` passed."""
    kw = {"bootstrap": bootstrap} if bootstrap else {}
    return read_topic(topic, expect=last_id, timeout=timeout,
                      until=lambda recs: len(set(row_ids(recs))) >= last_id, **kw)


def ids_in(topic, last_id, bootstrap=None):
    return row_ids(read_all_rows(topic, last_id, bootstrap))


def snapshot_table(rows, tag, port=None):
    """A new database whose table t holds rows 1..rows; returns (db, topic prefix, slot)."""
    kw = {"port": port} if port else {}
    db = new_database(tables_sql=TABLE + "; INSERT INTO t SELECT g, 'snap' FROM "
                                         f"generate_series(1, {rows}) g", **kw)
    run = uuid.uuid4().hex[:8]
    return db, f"{tag}{run}", f"{tag}_{run}"


def assert_all(ids, last_id):
    missing = set(range(1, last_id + 1)) - set(ids)
    assert not missing, f"{len(missing)} of {last_id} rows missing, e.g. {sorted(missing)[:10]}"


def metric(w, name, connector):
    for line in w.get("/metrics").text.splitlines():
        if line.startswith(name + "{") and f'connector="{connector}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return None


def test_postgres_restart_while_streaming(tmp_path):
    with private_postgres() as (port, restart):
        db = new_database(port=port, tables_sql=TABLE)
        run = uuid.uuid4().hex[:8]
        prefix, slot = f"pr{run}", f"pr_{run}"
        w = Worker(tmp_path / "w")
        w.start()
        writer = RowWriter(db, port=port)
        try:
            config = pg_config(db, prefix, slot, port=port,
                               **{"retriable.restart.connector.wait.ms": "1000"})
            assert w.call("POST", "/connectors", body={"name": "pr", "config": config}).status \
                == 201
            w.wait_state("pr", "RUNNING", "RUNNING", timeout=60)
            writer.start()
            time.sleep(3)
            restart(pause_s=2)
            # The task stays RUNNING through the outage and reconnects on its own.
            wait_for(lambda: metric(w, "debezium_metrics_Connected", "pr") == 1 and
                     writer.failures > 0, 60, what="reconnected after the restart")
            time.sleep(3)
            last = writer.stop()
            assert w.status("pr")["tasks"][0]["state"] == "RUNNING", w.status("pr")
            assert_all(ids_in(f"{prefix}.public.t", last), last)
            wait_for(lambda: re.search(r"lost the connection to PostgreSQL",
                                       w.log_path.read_text()), 30, 0.2, "the loss logged")
        finally:
            writer.stop()
            w.stop()


def test_broker_restart_while_streaming(tmp_path):
    kdir, kport = tmp_path / "kafka", free_port()
    subprocess.run([str(KAFKA_SH), "start", str(kdir), str(kport)], check=True)
    bootstrap = f"127.0.0.1:{kport}"
    db = new_database(tables_sql=TABLE)
    run = uuid.uuid4().hex[:8]
    prefix, slot = f"br{run}", f"br_{run}"
    w = Worker(tmp_path / "w", extra={"bootstrap.servers": bootstrap})
    writer = RowWriter(db)
    try:
        w.start()
        assert w.call("POST", "/connectors",
                      body={"name": "br", "config": pg_config(db, prefix, slot)}).status == 201
        w.wait_state("br", "RUNNING", "RUNNING", timeout=60)
        writer.start()
        time.sleep(3)
        subprocess.run([str(KAFKA_SH), "stop", str(kdir)], check=True)
        time.sleep(4)  # the broker is away: the task keeps its records, the slot stays put
        assert w.status("br")["tasks"][0]["state"] == "RUNNING"
        subprocess.run([str(KAFKA_SH), "start", str(kdir), str(kport)], check=True)
        time.sleep(3)
        last = writer.stop()
        assert_all(ids_in(f"{prefix}.public.t", last, bootstrap=bootstrap), last)
        assert w.status("br")["tasks"][0]["state"] == "RUNNING"
    finally:
        writer.stop()
        w.kill()
        subprocess.run([str(KAFKA_SH), "stop", str(kdir)])
        drop_slot(slot)


def test_kill9_mid_snapshot_then_restart(tmp_path):
    rows = 150000
    db, prefix, slot = snapshot_table(rows, "ks")
    w = Worker(tmp_path / "w")
    w.start()
    try:
        config = pg_config(db, prefix, slot, **{"snapshot.fetch.size": "2000"})
        assert w.call("POST", "/connectors", body={"name": "ks", "config": config}).status == 201

        # Killed once part of the snapshot is in Kafka (and its offsets possibly flushed).
        wait_for(lambda: (metric(w, "tributary_source_records_written_total", "ks") or 0) >= 5000,
                 60, 0.05, "part of the snapshot acknowledged by Kafka")
        assert metric(w, "debezium_metrics_SnapshotCompleted", "ks") == 0
        w.stop(signal.SIGKILL)
        w.start()
        w.wait_state("ks", "RUNNING", "RUNNING", timeout=60)
        wait_for(lambda: metric(w, "debezium_metrics_SnapshotCompleted", "ks") == 1, 120, 0.5,
                 "the snapshot done after the restart")
        psql(db, "debezium", sql=f"INSERT INTO t VALUES ({rows + 1}, 'after')")
        recs = read_all_rows(f"{prefix}.public.t", rows + 1, timeout=180)
        assert_all(row_ids(recs), rows + 1)
        # The restarted snapshot is complete on its own: first ... last, every row once.
        snap = [p for p in payloads(recs, "r")]
        firsts = [i for i, p in enumerate(snap) if p["source"]["snapshot"] == "first"]
        assert len(firsts) == 2, "one interrupted and one complete snapshot"
        second = snap[firsts[-1]:]
        assert second[-1]["source"]["snapshot"] == "last"
        assert sorted(p["after"]["id"] for p in second) == list(range(1, rows + 1))
        assert payloads(recs, "c")[-1]["after"]["id"] == rows + 1
    finally:
        w.kill()
        time.sleep(1)
        drop_slot(slot)


def test_postgres_restart_mid_snapshot(tmp_path):
    # The connection drops while the snapshot runs: the task stays RUNNING, reconnects and takes
    # the snapshot again; every row arrives and the metrics show one completed snapshot.
    rows = 300000
    with private_postgres() as (port, restart):
        db, prefix, slot = snapshot_table(rows, "ps", port=port)
        w = Worker(tmp_path / "w")
        w.start()
        try:
            # Small batches stretch the snapshot so that the restart lands inside it.
            config = pg_config(db, prefix, slot, port=port,
                               **{"retriable.restart.connector.wait.ms": "1000",
                                  "max.batch.size": "128", "max.queue.size": "256"})
            assert w.call("POST", "/connectors", body={"name": "ps", "config": config}).status \
                == 201
            wait_for(lambda: (metric(w, "tributary_source_records_written_total", "ps") or 0)
                     >= 1000, 60, 0.05, "part of the snapshot acknowledged by Kafka")
            restart(pause_s=1)
            # Noticed at the task's next read (it may be waiting on Kafka back-pressure first).
            wait_for(lambda: "lost the connection to PostgreSQL" in w.log_path.read_text(), 60,
                     0.2, "the lost connection noticed")
            wait_for(lambda: metric(w, "debezium_metrics_SnapshotCompleted", "ps") == 1 and
                     metric(w, "debezium_metrics_Connected", "ps") == 1, 120, 0.5,
                     "the snapshot done after the reconnect")
            assert metric(w, "debezium_metrics_SnapshotAborted", "ps") == 0
            assert w.status("ps")["tasks"][0]["state"] == "RUNNING", w.status("ps")
            psql(db, "debezium", port=port, sql=f"INSERT INTO t VALUES ({rows + 1}, 'after')")
            assert_all(ids_in(f"{prefix}.public.t", rows + 1), rows + 1)
        finally:
            w.stop()
