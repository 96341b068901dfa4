"""The PostgreSQL connector at the edges of its replication slot, against the real PostgreSQL,
Kafka broker and worker binary:

- a stored offset whose slot an operator dropped while the connector was stopped: with
  snapshot.mode=initial or no_data the task fails, naming the slot and the database (a new slot
  would only hold the changes from then on, so those made meanwhile would be lost without a
  word); with when_needed a new snapshot brings every row;
- heartbeats while only tables the connector does not capture write: the slot's
  confirmed_flush_lsn follows the WAL (so PostgreSQL can recycle it) and so do the stored
  offsets, with a publication of every table (the other tables' changes reach the connector and
  are filtered out) and with one of the captured table only (PostgreSQL 15 then sends nothing but
  keepalives for them); without heartbeats the second holds every byte written since;
- a slot another session streams from (pg_recvlogical, as a replaced task's walsender that has
  not gone yet) when the task starts: the task waits slot.retry.delay.ms between attempts, with
  a warning naming the slot and the other session's pid, and streams once the slot is free; held
  past slot.max.retries attempts, the task fails naming the slot.
"""
import pathlib
import subprocess
import time
import uuid

import pytest

from conftest import unique, wait_for
from pg_util import (PG_HOST, PG_PORT, new_database, payloads, pg_config,  # noqa: F401
                     pg_run, psql, read_topic, wait_streaming)

PG_RECVLOGICAL = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/pg_recvlogical"))

pytestmark = pytest.mark.kafka


def slot_row(db, slot):
    """(active, confirmed_flush_lsn) of the slot, or None when it does not exist."""
    out = psql(db, "postgres", sql="SELECT active, confirmed_flush_lsn FROM pg_replication_slots "
                                   f"WHERE slot_name = '{slot}'").strip()
    return tuple(out.split("|")) if out else None


def wal_lsn(db):
    """pg_current_wal_lsn() as a number of bytes."""
    return int(psql(db, "postgres",
                    sql="SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").strip())


def slot_lag(db, slot):
    """Bytes of WAL between the slot's confirmed_flush_lsn and the server's current position."""
    return int(psql(db, "postgres",
                    sql="SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                        f"::bigint FROM pg_replication_slots WHERE slot_name = '{slot}'").strip())


def stored_offset(worker, name):
    r = worker.get(f"/connectors/{name}/offsets")
    assert r.status == 200, r
    offsets = r.json["offsets"]
    return offsets[0]["offset"] if offsets else None


def ids(records, ops=("r", "c")):
    return [p["after"]["id"] for p in payloads(records, ops)]


@pytest.mark.parametrize("mode", ["initial", "no_data"])
def test_a_dropped_slot_fails_the_task_then_when_needed_snapshots_every_row(worker, pg_run, mode):
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY, v text);"
                                 "INSERT INTO t SELECT g, 'row' FROM generate_series(1, 3) g")
    prefix, slot, name = f"se{run}", f"se_{run}", unique("pg-slot-gone")
    topic = f"{prefix}.public.t"
    config = pg_config(db, prefix, slot, **{"snapshot.mode": mode})
    pg_run(name, config)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (4, 'streamed')")
    first = read_topic(topic, expect=4 if mode == "initial" else 1)
    assert ids(first) == ([1, 2, 3, 4] if mode == "initial" else [4]), ids(first)
    # The streamed change's offset is stored: Debezium's keys in its order, the change's LSN,
    # transaction and commit time (the worker computes it from the change's LazyOffset).
    wait_for(lambda: (lambda o: o and "snapshot" not in o)(stored_offset(worker, name)), 30,
             what="a streamed offset stored")
    streamed = payloads(first, ("c",))[-1]["source"]
    offset = stored_offset(worker, name)
    assert list(offset) == ["lsn_proc", "lsn_commit", "lsn", "txId", "ts_usec"], offset
    assert offset["lsn"] == offset["lsn_proc"] == streamed["lsn"], (offset, streamed)
    assert offset["txId"] == streamed["txId"], (offset, streamed)
    assert offset["ts_usec"] == streamed["ts_us"], (offset, streamed)

    assert worker.call("PUT", f"/connectors/{name}/stop").status == 204
    worker.wait_state(name, "STOPPED", timeout=30)
    wait_for(lambda: (slot_row(db, slot) or ("t",))[0] == "f", 30, what="slot released")
    # The operator drops the slot; rows are written meanwhile.
    psql(db, "postgres", sql=f"SELECT pg_drop_replication_slot('{slot}')")
    assert slot_row(db, slot) is None
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'while stopped' FROM generate_series(5, 7) g")

    assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
    status = worker.wait_state(name, "RUNNING", "FAILED", timeout=60)
    trace = status["tasks"][0].get("trace", "")
    assert f"Replication slot '{slot}' of database '{db}' does not exist" in trace, trace
    assert f"DELETE /connectors/{name}/offsets" in trace, trace
    assert "snapshot.mode=when_needed" in trace, trace
    # It did not stream on from a new slot: no slot was made, nothing more reached the topic.
    assert slot_row(db, slot) is None
    assert ids(read_topic(topic, expect=len(first), idle_s=1)) == ids(first)

    # when_needed: a new slot and a new snapshot with every row, then streaming from there.
    r = worker.call("PUT", f"/connectors/{name}/config",
                    body=dict(config, **{"snapshot.mode": "when_needed"}))
    assert r.status in (200, 201), r
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (8, 'after')")
    recs = read_topic(topic, expect=len(first) + 8,
                      until=lambda recs: 8 in ids(recs[len(first):]))
    later = recs[len(first):]
    snap = payloads(later, "r")
    assert sorted(p["after"]["id"] for p in snap) == list(range(1, 8)), ids(later)
    assert [p["source"]["snapshot"] for p in snap][0] == "first"
    assert [p["source"]["snapshot"] for p in snap][-1] == "last"
    assert ids(later, ("c",)) == [8], ids(later)
    assert "taking a new snapshot (snapshot.mode=when_needed)" in worker.log_path.read_text()


def write_uncaptured_wal(db, seconds):
    """Inserts ~200 kB rows of 1 kB into table other, one transaction per psql run, for
    `seconds`; returns the bytes of WAL written meanwhile (the whole server's)."""
    start = wal_lsn(db)
    deadline = time.monotonic() + seconds
    next_id = 1
    while time.monotonic() < deadline:
        psql(db, "debezium", sql="INSERT INTO other SELECT g, repeat('x', 1000) FROM "
                                 f"generate_series({next_id}, {next_id + 199}) g")
        next_id += 200
        time.sleep(0.1)
    return start, wal_lsn(db) - start


def test_heartbeats_let_the_slot_follow_while_only_uncaptured_tables_write(worker, pg_run):
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql="CREATE TABLE captured (id integer PRIMARY KEY, v text);"
                                 "CREATE TABLE other (id integer PRIMARY KEY, v text)")
    common = {"table.include.list": "public.captured", "snapshot.mode": "no_data"}
    # name -> (prefix, slot, config): a publication of every table (dbz_publication, made by
    # new_database) and two of the captured table only, with and without heartbeats.
    shapes = {}
    for shape, extra in {
        "all": {"heartbeat.interval.ms": "1000"},
        "only": {"heartbeat.interval.ms": "1000", "publication.name": f"cap_{run}_h",
                 "publication.autocreate.mode": "filtered"},
        "none": {"heartbeat.interval.ms": "0", "publication.name": f"cap_{run}_n",
                 "publication.autocreate.mode": "filtered"},
    }.items():
        prefix, slot = f"hb{shape}{run}", f"hb_{shape}_{run}"
        shapes[shape] = (unique(f"pg-hb-{shape}"), prefix, slot,
                         pg_config(db, prefix, slot, **common, **extra))
    for name, prefix, slot, config in shapes.values():
        pg_run(name, config)
        wait_streaming(db, slot)
    tables = psql(db, "postgres", sql="SELECT pubname || ':' || tablename FROM "
                                      "pg_publication_tables ORDER BY 1").split()
    assert f"cap_{run}_h:captured" in tables and f"cap_{run}_n:captured" in tables, tables
    assert f"cap_{run}_h:other" not in tables, tables

    # One captured change: each connector emits it, and its offset is stored.
    psql(db, "debezium", sql="INSERT INTO captured VALUES (1, 'x')")
    for name, prefix, slot, config in shapes.values():
        assert ids(read_topic(f"{prefix}.public.captured", expect=1)) == [1]
        wait_for(lambda: stored_offset(worker, name), 30, what=f"{name}'s offset stored")

    # Then only the other table writes, in many transactions.
    start, written = write_uncaptured_wal(db, 12)
    assert written > 4_000_000, written

    def lags():
        return {shape: slot_lag(db, s[2]) for shape, s in shapes.items()}
    # With heartbeats the slots keep up (heartbeat -> Kafka -> offset flush -> commit ->
    # confirmed flush LSN), both with the other table's changes filtered out by the connector
    # and with nothing but keepalives for them.
    wait_for(lambda: all(lags()[s] < written / 4 for s in ("all", "only")), 40,
             what=f"the heartbeat slots within a quarter of the {written} bytes written")
    # Their stored offsets move past the other table's writes too (a heartbeat's offset is the
    # position fully processed, not the last captured change's).
    for shape in ("all", "only"):
        name = shapes[shape][0]
        wait_for(lambda: stored_offset(worker, name)["lsn"] >= start + written * 0.9, 30,
                 what=f"{name}'s stored offset past the writes")
    # Without heartbeats, a publication of the captured table only gives the connector nothing
    # to confirm: the slot holds everything written since the captured change.
    assert lags()["none"] > written * 0.9, (lags(), written)
    for name, prefix, slot, config in shapes.values():
        assert worker.status(name)["tasks"][0]["state"] == "RUNNING"
    # The captured table still streams through all three.
    psql(db, "debezium", sql="INSERT INTO captured VALUES (2, 'y')")
    for name, prefix, slot, config in shapes.values():
        assert ids(read_topic(f"{prefix}.public.captured", expect=2)) == [1, 2]


def hold_slot(db, slot):
    """pg_recvlogical streaming from `slot` (as the superuser): the slot is active in its session
    until the process ends. Returns (process, its walsender's pid)."""
    cmd = [str(PG_RECVLOGICAL[-1]) if PG_RECVLOGICAL else "pg_recvlogical", "-h", PG_HOST,
           "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-S", slot, "--start",
           "-o", "proto_version=1", "-o", "publication_names=dbz_publication", "-f", "/dev/null"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def active_pid():
        assert proc.poll() is None, f"pg_recvlogical ended: {proc.stderr.read()}"
        out = psql(db, "postgres", sql="SELECT active_pid FROM pg_replication_slots "
                                       f"WHERE slot_name = '{slot}' AND active").strip()
        return out or None
    try:
        return proc, wait_for(active_pid, 30, what=f"pg_recvlogical streaming from {slot}")
    except BaseException:
        release_slot(proc)
        raise


def release_slot(proc):
    proc.terminate()
    proc.wait(30)


def stopped_with_slot_free(worker, db, name, slot):
    assert worker.call("PUT", f"/connectors/{name}/stop").status == 204
    worker.wait_state(name, "STOPPED", timeout=30)
    wait_for(lambda: (slot_row(db, slot) or ("t",))[0] == "f", 30, what="slot released")


def test_a_slot_active_elsewhere_is_waited_for_then_streamed_from(worker, pg_run):
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY, v text)")
    prefix, slot, name = f"sa{run}", f"sa_{run}", unique("pg-slot-active")
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": "no_data",
                                                "slot.retry.delay.ms": "1000"}))
    wait_streaming(db, slot)
    stopped_with_slot_free(worker, db, name, slot)

    # Another session streams from the slot when the task starts again (resume does not
    # validate, as a task restarted by the worker would not).
    holder, pid = hold_slot(db, slot)
    try:
        held_at = time.monotonic()
        assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
        warning = (f"Replication slot '{slot}' is active in another session (pid {pid}); "
                   "trying again in 1000 ms (retry 1 of 6, slot.max.retries)")
        wait_for(lambda: warning in worker.log_path.read_text(), 30,
                 what="the slot-active warning")
        # Released about 3 s after it was taken; the task takes the slot at a later attempt.
        time.sleep(max(0.0, 3.0 - (time.monotonic() - held_at)))
        tasks = worker.status(name)["tasks"]
        assert not any(t["state"] == "FAILED" for t in tasks), tasks
    finally:
        release_slot(holder)
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=30)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (1, 'after the wait')")
    assert ids(read_topic(f"{prefix}.public.t", expect=1)) == [1]
    assert worker.status(name)["tasks"][0]["state"] == "RUNNING"


def test_a_slot_held_past_the_retries_fails_the_task_naming_it(worker, pg_run):
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY, v text)")
    prefix, slot, name = f"sb{run}", f"sb_{run}", unique("pg-slot-held")
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": "no_data",
                                                "slot.max.retries": "1",
                                                "slot.retry.delay.ms": "1000"}))
    wait_streaming(db, slot)
    stopped_with_slot_free(worker, db, name, slot)

    holder, pid = hold_slot(db, slot)
    try:
        started = time.monotonic()
        assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
        status = worker.wait_state(name, "RUNNING", "FAILED", timeout=30)
        # One retry, one second after the first attempt.
        assert time.monotonic() - started >= 1.0
        trace = status["tasks"][0].get("trace", "")
        assert (f"Replication slot '{slot}' is active in another session (pid {pid}); "
                "stop the other consumer or choose another slot.name") in trace, trace
        assert "slot.max.retries=1" in trace, trace
        assert holder.poll() is None, "the slot's other session was left alone"
    finally:
        release_slot(holder)


def test_updating_a_running_connector_replaces_its_task_without_losing_a_change(worker, pg_run):
    """PUT .../config on a running connector: validation used to refuse it because the
    connector's own task held the slot ("active in another session"). The update is accepted,
    the old task lets go of the slot, its replacement takes it (waiting if it must) and streams
    on from the committed position: every row written before, during and after the update
    arrives, none twice."""
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY, v text)")
    prefix, slot, name = f"up{run}", f"up_{run}", unique("pg-update")
    cfg = pg_config(db, prefix, slot, **{"snapshot.mode": "no_data",
                                         "slot.retry.delay.ms": "500"})
    pg_run(name, cfg)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'before' FROM generate_series(1, 50) g")
    cfg = dict(cfg, **{"heartbeat.interval.ms": "1000"})
    r = worker.call("PUT", f"/connectors/{name}/config", body=cfg)
    assert r.status == 200, r
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'during' FROM generate_series(51, 100) g")
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'after' FROM generate_series(101, 150) g")
    got = ids(read_topic(f"{prefix}.public.t", expect=150))
    assert sorted(set(got)) == list(range(1, 151)), got
    assert len(got) == 150, "a change arrived twice"
