"""The PostgreSQL connector's snapshot modes, filters, a column type change mid-stream, the
queue-size check and its metrics on /metrics, against the real PostgreSQL and Kafka broker.

Each test has a database, slot and topic prefix of its own; connectors run on the module's
shared worker. What each snapshot mode must do is Debezium 2.7's documented behaviour:
  initial       snapshot when there is no offset (or the last one was mid-snapshot), then stream
  initial_only  snapshot as `initial`, then stop producing (no streaming)
  no_data       no snapshot, stream only (`never` and `schema_only` are older names of it)
  when_needed   snapshot when there is no offset or its position cannot be resumed from
  always        snapshot at every start, then stream
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import unique, wait_for
from pg_util import (drop_slot, new_database, payloads, pg_config, pg_run,  # noqa: F401
                     private_postgres, psql, read_topic, wait_streaming)

pytestmark = pytest.mark.kafka

TABLE = "CREATE TABLE t (id integer PRIMARY KEY, v text, n integer);" \
        "INSERT INTO t SELECT g, 'row ' || g, g FROM generate_series(1, 3) g;"



def fresh(mode):
    run = uuid.uuid4().hex[:8]
    db = new_database(tables_sql=TABLE)
    return db, f"m{run}", f"m_{run}", unique(f"pg-{mode}")


def ops(records):
    return [p["op"] for p in payloads(records)]


def recreate(worker, name, config):
    """Deletes the connector and creates it again under the same name: its committed offsets
    are kept (as in Kafka Connect), so this is a restart of the connector."""
    assert worker.call("DELETE", f"/connectors/{name}").status == 204
    wait_for(lambda: worker.get(f"/connectors/{name}").status == 404, 30, what="deleted")
    wait_for(lambda: psql(config["database.dbname"], "postgres",
                          sql="SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                              f"'{config['slot.name']}' AND active").strip() == "0",
             30, what="slot released")
    r = worker.call("POST", "/connectors", body={"name": name, "config": config})
    assert r.status == 201, r
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)


def connector_metrics(worker, name):
    """Debezium's metrics, as its JMX exporter names them, of connector `name` on /metrics:
    {(metric, context, table): value}."""
    out = {}
    for line in worker.get("/metrics").text.splitlines():
        m = re.match(r'^(debezium_metrics_\w+|tributary_postgres_\w+)\{([^}]*)\} (\S+)$', line)
        if m and f'connector="{name}"' in m.group(2):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            out[(m.group(1), labels.get("context"), labels.get("table"))] = float(m.group(3))
    return out


def streaming(metric):
    return ("debezium_metrics_" + metric, "streaming", None)


@pytest.mark.parametrize("mode", ["initial", "no_data", "never", "schema_only"])
def test_snapshot_then_stream_or_stream_only(worker, pg_run, mode):
    db, prefix, slot, name = fresh(mode)
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": mode}))
    if mode == "initial":
        read_topic(f"{prefix}.public.t", expect=3, idle_s=0)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (4, 'row 4', 4)")
    recs = read_topic(f"{prefix}.public.t", expect=4 if mode == "initial" else 1)
    if mode == "initial":
        assert ops(recs) == ["r", "r", "r", "c"], ops(recs)
        snap = payloads(recs, "r")
        assert [p["source"]["snapshot"] for p in snap] == ["first", "true", "last"]
        assert [p["after"]["id"] for p in snap] == [1, 2, 3]
    else:
        assert ops(recs) == ["c"], ops(recs)
    assert payloads(recs, "c")[0]["after"] == {"id": 4, "v": "row 4", "n": 4}
    assert payloads(recs, "c")[0]["source"]["snapshot"] == "false"


def test_initial_only_snapshots_and_does_not_stream(worker, pg_run):
    db, prefix, slot, name = fresh("initial_only")
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": "initial_only"}))
    recs = read_topic(f"{prefix}.public.t", expect=3)
    assert ops(recs) == ["r", "r", "r"]
    psql(db, "debezium", sql="INSERT INTO t VALUES (4, 'row 4', 4)")
    time.sleep(3)
    assert ops(read_topic(f"{prefix}.public.t", expect=3)) == ["r", "r", "r"]
    assert worker.status(name)["tasks"][0]["state"] == "RUNNING"
    # A restart after the completed snapshot does not snapshot again.
    recreate(worker, name, pg_config(db, prefix, slot, **{"snapshot.mode": "initial_only"}))
    time.sleep(3)
    assert ops(read_topic(f"{prefix}.public.t", expect=3)) == ["r", "r", "r"]


def test_always_snapshots_at_every_start(worker, pg_run):
    db, prefix, slot, name = fresh("always")
    config = pg_config(db, prefix, slot, **{"snapshot.mode": "always"})
    pg_run(name, config)
    assert ops(read_topic(f"{prefix}.public.t", expect=3)) == ["r"] * 3
    wait_streaming(db, slot)
    time.sleep(2)  # an offset flush
    recreate(worker, name, config)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (4, 'row 4', 4)")
    recs = read_topic(f"{prefix}.public.t", expect=7)
    # A second full snapshot, then the insert streamed (the slot kept it).
    assert ops(recs)[:6] == ["r"] * 6, ops(recs)
    assert [p["after"]["id"] for p in payloads(recs, "r")] == [1, 2, 3, 1, 2, 3]
    assert ops(recs)[6:] == ["c"], ops(recs)


def test_when_needed_snapshots_only_without_a_usable_offset(worker, pg_run):
    db, prefix, slot, name = fresh("when_needed")
    config = pg_config(db, prefix, slot, **{"snapshot.mode": "when_needed"})
    pg_run(name, config)
    assert ops(read_topic(f"{prefix}.public.t", expect=3)) == ["r"] * 3
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (4, 'row 4', 4)")
    assert ops(read_topic(f"{prefix}.public.t", expect=4)) == ["r", "r", "r", "c"]
    time.sleep(2)  # an offset flush past the insert
    # A restart with a usable offset: no snapshot, nothing repeated.
    recreate(worker, name, config)
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (5, 'row 5', 5)")
    assert ops(read_topic(f"{prefix}.public.t", expect=5)) == ["r", "r", "r", "c", "c"]
    # The slot is gone (its position cannot be resumed from): a new snapshot.
    assert worker.call("DELETE", f"/connectors/{name}").status == 204
    wait_for(lambda: worker.get(f"/connectors/{name}").status == 404, 30, what="deleted")
    time.sleep(1)
    drop_slot(slot)
    r = worker.call("POST", "/connectors", body={"name": name, "config": config})
    assert r.status == 201, r
    recs = read_topic(f"{prefix}.public.t", expect=10)
    assert ops(recs) == ["r", "r", "r", "c", "c", "r", "r", "r", "r", "r"], ops(recs)


def test_filters_and_metrics(worker, pg_run):
    db = new_database(tables_sql=(
        "CREATE TABLE a (id integer PRIMARY KEY, name text, secret text);"
        "CREATE TABLE b (id integer PRIMARY KEY, v text);"
        "CREATE SCHEMA s2;"
        "CREATE TABLE s2.c (id integer PRIMARY KEY, v text);"
        "CREATE TABLE s2.d (id integer PRIMARY KEY, v text);"
        "INSERT INTO a VALUES (1, 'one', 'hidden'), (2, 'two', 'hidden');"
        "INSERT INTO b VALUES (1, 'b');"
        "INSERT INTO s2.c VALUES (1, 'c');"
        "INSERT INTO s2.d VALUES (1, 'd');"))
    run = uuid.uuid4().hex[:8]
    prefix, slot, name = f"f{run}", f"f_{run}", unique("pg-filters")
    pg_run(name, pg_config(db, prefix, slot, **{
        "table.include.list": "public.a,s2.*",
        "table.exclude.list": "s2.d",
        "column.exclude.list": "public.a.secret",
    }))
    a = read_topic(f"{prefix}.public.a", expect=2)
    assert [p["after"] for p in payloads(a)] == [{"id": 1, "name": "one"},
                                                {"id": 2, "name": "two"}]
    psql(db, "debezium", sql="BEGIN; INSERT INTO a VALUES (3, 'three', 'x'); "
                             "UPDATE b SET v = 'bb'; INSERT INTO s2.c VALUES (2, 'c2'); "
                             "DELETE FROM s2.d; COMMIT;")
    txid = int(psql(db, "debezium", sql="BEGIN; UPDATE a SET name = 'uno' WHERE id = 1; "
                                        "SELECT txid_current(); COMMIT;").split()[0])
    a = read_topic(f"{prefix}.public.a", expect=4)
    assert [p["op"] for p in payloads(a)] == ["r", "r", "c", "u"]
    assert "secret" not in payloads(a)[2]["after"]
    c = read_topic(f"{prefix}.s2.c", expect=2)
    assert [p["after"]["id"] for p in payloads(c)] == [1, 2]
    topics = set(worker.get(f"/connectors/{name}/topics").json[name]["topics"])
    assert topics == {f"{prefix}.public.a", f"{prefix}.s2.c"}, topics

    def metrics():
        return connector_metrics(worker, name)

    m = wait_for(lambda: (lambda m: m if m.get(streaming("LastTransactionId")) == txid and
                          ("tributary_postgres_slot_retained_wal_bytes", None, None) in m
                          else None)(metrics()), 30, what="metrics after the last change")
    assert m[("debezium_metrics_SnapshotCompleted", "snapshot", None)] == 1
    assert m[("debezium_metrics_SnapshotRunning", "snapshot", None)] == 0
    assert m[("debezium_metrics_TotalTableCount", "snapshot", None)] == 2
    assert m[("debezium_metrics_RemainingTableCount", "snapshot", None)] == 0
    assert m[("debezium_metrics_RowsScanned", "snapshot", "public.a")] == 2
    assert m[("debezium_metrics_RowsScanned", "snapshot", "s2.c")] == 1
    assert m[("debezium_metrics_TotalNumberOfEventsSeen", "snapshot", None)] == 3
    assert m[streaming("TotalNumberOfEventsSeen")] == 3  # a c, c c, a u
    assert m[streaming("TotalNumberOfCreateEventsSeen")] == 2
    assert m[streaming("TotalNumberOfUpdateEventsSeen")] == 1
    assert m[streaming("NumberOfEventsFiltered")] == 2  # b's update, s2.d's delete
    assert m[streaming("NumberOfCommittedTransactions")] >= 2
    assert m[streaming("Connected")] == 1
    assert m[streaming("QueueTotalCapacity")] == 8192
    assert 0 <= m[streaming("MilliSecondsBehindSource")] < 60000
    assert m[("tributary_postgres_slot_retained_wal_bytes", None, None)] > 0


def test_type_change_mid_stream_reaches_the_next_event(worker, pg_run):
    db, prefix, slot, name = fresh("alter")
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": "no_data"}))
    wait_streaming(db, slot)
    psql(db, "debezium", sql="INSERT INTO t VALUES (10, 'x', 10);"
                             "ALTER TABLE t ALTER COLUMN n TYPE bigint;"
                             "INSERT INTO t VALUES (11, 'y', 9000000000);"
                             "ALTER TABLE t ALTER COLUMN v TYPE numeric(6,2) USING 1.5;"
                             "INSERT INTO t VALUES (12, '2.25', 1);")
    recs = [v for _, v in read_topic(f"{prefix}.public.t", expect=3)]

    def field(value, name):
        after = [f for f in value["schema"]["fields"] if f["field"] == "after"][0]
        return [f for f in after["fields"] if f["field"] == name][0]
    assert field(recs[0], "n")["type"] == "int32"
    assert field(recs[1], "n")["type"] == "int64"
    assert recs[1]["payload"]["after"]["n"] == 9000000000
    v = field(recs[2], "v")
    assert v["type"] == "bytes" and v["name"] == "org.apache.kafka.connect.data.Decimal", v
    assert v["parameters"] == {"scale": "2", "connect.decimal.precision": "6"}, v
    assert recs[2]["payload"]["after"]["v"] == "AOE="  # 2.25 -> unscaled 225 -> 0x00e1


def test_reader_reads_ahead_within_max_queue_size_while_paused(worker, pg_run):
    # The reader thread decodes ahead of poll() into a queue: at most half a batch ahead, and
    # the queue plus the batch the worker holds within max.queue.size (min(250 - 100, 100 / 2) =
    # 50 queued here). With the task paused (no polls) the reader reads exactly that many
    # changes, then waits; resumed, every change arrives in order.
    db, prefix, slot, name = fresh("queue")
    pg_run(name, pg_config(db, prefix, slot, **{"snapshot.mode": "no_data",
                                               "max.batch.size": "100", "max.queue.size": "250"}))
    wait_streaming(db, slot)
    assert worker.call("PUT", f"/connectors/{name}/pause").status == 202
    worker.wait_state(name, "PAUSED", "PAUSED", timeout=30)
    psql(db, "debezium", sql="INSERT INTO t SELECT g, 'q', g FROM generate_series(100, 1099) g;")
    m = wait_for(lambda: (lambda m: m if m.get(streaming("TotalNumberOfEventsSeen")) == 50
                          else None)(connector_metrics(worker, name)), 30, what="a full queue")
    assert m[streaming("QueueTotalCapacity")] == 250
    assert m[streaming("QueueRemainingCapacity")] == 200
    assert m[streaming("CurrentQueueSizeInBytes")] > 0
    time.sleep(2)  # the reader must stay stopped at the bound
    m = connector_metrics(worker, name)
    assert m[streaming("TotalNumberOfEventsSeen")] == 50, m
    assert worker.call("PUT", f"/connectors/{name}/resume").status == 202
    got = payloads(read_topic(f"{prefix}.public.t", expect=1000))
    assert [p["after"]["id"] for p in got] == list(range(100, 1100))
    m = wait_for(lambda: (lambda m: m if m.get(streaming("TotalNumberOfEventsSeen")) == 1000
                          else None)(connector_metrics(worker, name)), 30, what="every event")
    assert m[streaming("QueueRemainingCapacity")] == 250


def test_queue_size_must_exceed_batch_size(worker):
    config = pg_config("inventory", "q", "q_slot", **{"max.batch.size": "100",
                                                     "max.queue.size": "100"})
    r = worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate",
                    body=dict(config, name="q"))
    assert r.status == 200, r
    errors = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]}
    assert any("must be larger than max.batch.size" in e for e in errors["max.queue.size"]), r.json
    r = worker.call("POST", "/connectors", body={"name": unique("q"), "config": config})
    assert r.status == 400 and "max.queue.size" in r.json["message"], r


def test_debezium_keys_tributary_does_not_implement_are_refused_or_warned(worker, pg_run):
    """A Debezium key that would change the records (masked columns, adjusted schema names) is
    refused naming it, at validation and at creation; one with no effect on the records
    (snapshot.max.threads) starts the connector with a WARN line saying so."""
    config = pg_config("inventory", "uk", "uk_slot", **{
        "column.mask.hash.SHA-256.with.salt.s1": "inventory.customers.email",
        "schema.name.adjustment.mode": "avro"})
    r = worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate",
                    body=dict(config, name="uk"))
    assert r.status == 200, r
    errors = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]
              if c["value"]["errors"]}
    assert sorted(errors) == ["column.mask.hash.SHA-256.with.salt.s1",
                              "schema.name.adjustment.mode"], errors
    assert "unhashed values" in errors["column.mask.hash.SHA-256.with.salt.s1"][0], errors
    r = worker.call("POST", "/connectors", body={"name": unique("uk"), "config": config})
    assert r.status == 400 and "schema.name.adjustment.mode" in r.json["message"], r

    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY)")
    run = uuid.uuid4().hex[:8]
    name = unique("uk-ok")
    pg_run(name, pg_config(db, f"uk{run}", f"uk_{run}", **{
        "snapshot.max.threads": "4", "schema.name.adjustment.mode": "none"}))
    wait_for(lambda: "snapshot.max.threads is set but has no effect in Tributary"
             in worker.log_path.read_text(errors="replace"), 30, what="the warning")


def test_client_tls_files_reach_libpq(worker):
    """database.sslrootcert (with .sslcert, .sslkey, .sslpassword) is libpq's: against a server
    with TLS on, verify-ca checks the server against the file named, and a file that does not
    exist is what validation reports."""
    certs = pathlib.Path(tempfile.mkdtemp(prefix="tributary-pg-tls-"))
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(certs / "server.key"),
                        "-out", str(certs / "server.crt")], check=True, capture_output=True)
        shutil.chown(certs, "postgres")
        for f in certs.iterdir():
            shutil.chown(f, "postgres")
        os.chmod(certs / "server.key", 0o600)
        tls = (f"ssl = on\nssl_cert_file = '{certs}/server.crt'\n"
               f"ssl_key_file = '{certs}/server.key'\n")
        with private_postgres(tls) as (port, _):
            def errors(**extra):
                config = pg_config("inventory", "tls", "tls_slot", port=port,
                                   **{"database.sslmode": "verify-ca", **extra})
                r = worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate",
                                body=dict(config, name="tls"))
                assert r.status == 200, r
                return [e for c in r.json["configs"] for e in c["value"]["errors"]]
            assert errors(**{"database.sslrootcert": str(certs / "server.crt")}) == []
            e = errors(**{"database.sslrootcert": "/nonexistent/root.crt",
                          "database.sslpassword": "key-secret"})
            assert any('"/nonexistent/root.crt" does not exist' in x for x in e), e
            assert all("key-secret" not in x for x in e), e
    finally:
        shutil.rmtree(certs, ignore_errors=True)


def test_snapshot_reads_every_text_and_array_value_as_the_stream_does(worker, pg_run):
    # The snapshot reads tables through COPY's text format (tab-separated with backslash
    # escapes); the stream gets pgoutput's plain text. Rows holding the characters COPY escapes
    # must come out the same both ways: rows 1-5 snapshotted, 101-105 streamed.
    values = ["tab\there", "new\nline and cr\r", "back\\slash \\N and \\\\", "\\N",
              "bell\b form\f vtab\v ünïcödé ✓"]
    db = new_database(tables_sql="CREATE TABLE t (id integer PRIMARY KEY, v text, "
                                 "a text[], b bytea)")
    run = uuid.uuid4().hex[:8]
    prefix, slot, name = f"cp{run}", f"cp_{run}", unique("pg-copy")

    def insert(offset):
        rows = ", ".join(
            f"({i + offset}, $q${v}$q$, ARRAY[$q${v}$q$, NULL, 'x,y', '\"q\"'], "
            f"convert_to($q${v}$q$, 'UTF8'))" for i, v in enumerate(values, 1))
        psql(db, "debezium", sql=f"INSERT INTO t VALUES {rows}")
    insert(0)
    pg_run(name, pg_config(db, prefix, slot))
    read_topic(f"{prefix}.public.t", expect=5, idle_s=0)
    wait_streaming(db, slot)
    insert(100)
    recs = payloads(read_topic(f"{prefix}.public.t", expect=10))
    snap = {p["after"]["id"]: p["after"] for p in recs if p["op"] == "r"}
    stream = {p["after"]["id"] - 100: p["after"] for p in recs if p["op"] == "c"}
    assert len(snap) == 5 and len(stream) == 5
    for i, v in enumerate(values, 1):
        s, c = dict(snap[i]), dict(stream[i])
        s.pop("id"), c.pop("id")
        assert s == c, (i, s, c)
        assert s["v"] == v and s["a"] == [v, None, "x,y", '"q"'], s


def test_snapshot_select_statement_overrides(worker, pg_run):
    db, prefix, slot, name = fresh("override")
    pg_run(name, pg_config(db, prefix, slot, **{
        "snapshot.select.statement.overrides": "public.t",
        "snapshot.select.statement.overrides.public.t":
            "SELECT * FROM public.t WHERE id > 1 ORDER BY id DESC;",
    }))
    snap = payloads(read_topic(f"{prefix}.public.t", expect=2))
    assert [p["after"]["id"] for p in snap] == [3, 2], snap
    assert [p["source"]["snapshot"] for p in snap] == ["first", "last"]
    assert snap[0]["after"] == {"id": 3, "v": "row 3", "n": 3}


def test_snapshot_override_without_its_statement_is_rejected(worker):
    config = pg_config("inventory", "ov", f"ov_{uuid.uuid4().hex[:8]}",
                       **{"snapshot.select.statement.overrides": "public.t"})
    r = worker.call("PUT", "/connector-plugins/PostgresConnector/config/validate",
                    body=dict(config, name="ov"))
    assert r.status == 200, r
    errors = {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]}
    assert errors.get("snapshot.select.statement.overrides.public.t"), r.json
    r = worker.call("POST", "/connectors", body={"name": unique("pg-ov"), "config": config})
    assert r.status == 400, r
    assert "snapshot.select.statement.overrides.public.t" in r.json["message"], r
