"""The MySQL / MariaDB connector's modes against the real MariaDB and Kafka: every snapshot.mode,
the locking modes with select overrides, MariaDbConnector's GTIDs and transaction metadata,
heartbeats, skipped operations, and validation that names the key at fault."""
import json
import re
import time
import uuid

import pytest

from conftest import Worker, wait_for
from mysql_util import MARIADB_CLASS, create_connector, mysql, mysql_config, new_database
from test_mysql_restarts import ids_of, read_values

pytestmark = pytest.mark.kafka


def ops_of(values):
    return [(v["payload"]["op"], (v["payload"]["after"] or v["payload"]["before"] or {}).get("id"))
            for v in values if v and "op" in v["payload"]]


@pytest.fixture
def worker(tmp_path):
    w = Worker(tmp_path / "worker")
    w.start()
    yield w
    w.stop()


def setup_table(tag):
    db = new_database(tag)
    prefix = f"{tag}{uuid.uuid4().hex[:8]}"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); "
              "INSERT INTO t VALUES (1, 'a'), (2, 'b');")
    return db, prefix


@pytest.mark.parametrize("mode", ["initial", "initial_only", "no_data", "schema_only", "never",
                                  "when_needed", "always"])
def test_snapshot_modes(mode, worker, tmp_path):
    db, prefix = setup_table("sm")
    name = f"sm-{mode}"
    create_connector(worker, name, mysql_config(db, prefix, 5601, **{"snapshot.mode": mode}))
    topic = f"{prefix}.{db}.t"
    snapshots = mode not in ("no_data", "schema_only", "never")
    if snapshots:
        assert [o for o in ops_of(read_values(topic, lambda v: len(v) >= 2, 60))] == \
            [("r", 1), ("r", 2)]
    # Streaming must have started from the snapshot's position: an insert now appears (or, for
    # initial_only, does not).
    time.sleep(1)
    mysql(db, "INSERT INTO t VALUES (3, 'c');")
    if mode == "initial_only":
        values = read_values(topic, lambda v: False, 8)
        assert ops_of(values) == [("r", 1), ("r", 2)], ops_of(values)
        # The schema was recorded all the same.
        hist = read_values(f"schema-history.{prefix}", lambda v: len(v) > 0, 20)
        assert any("CREATE TABLE `t`" in h["ddl"] for h in hist), hist
        return
    values = read_values(topic, lambda v: ("c", 3) in ops_of(v), 60)
    expected = ([("r", 1), ("r", 2)] if snapshots else []) + [("c", 3)]
    assert ops_of(values) == expected, ops_of(values)
    # Restart: only `always` snapshots again.
    worker.stop()
    mysql(db, "INSERT INTO t VALUES (4, 'd');")
    worker.start()
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
    values = read_values(topic, lambda v: ("c", 4) in ops_of(v), 60)
    again = [("r", 1), ("r", 2), ("r", 3)] if mode == "always" else []
    assert ops_of(values) == expected + again + [("c", 4)] or (
        mode == "always" and ops_of(values) == expected + [("r", 1), ("r", 2), ("r", 3), ("r", 4)]
    ), ops_of(values)


@pytest.mark.parametrize("locking", ["minimal", "extended", "none"])
def test_locking_modes_and_select_overrides(locking, worker):
    db, prefix = setup_table("lk")
    mysql(db, "CREATE TABLE u (id INT PRIMARY KEY, keep BOOL); "
              "INSERT INTO u VALUES (1, TRUE), (2, FALSE), (3, TRUE);")
    cfg = mysql_config(db, prefix, 5602, **{
        "snapshot.locking.mode": locking, "snapshot.fetch.size": "1",
        "snapshot.select.statement.overrides": f"{db}.u",
        f"snapshot.select.statement.overrides.{db}.u": f"SELECT * FROM {db}.u WHERE keep"})
    create_connector(worker, f"lk-{locking}", cfg)
    assert ids_of(read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 2, 60)) == [1, 2]
    assert ids_of(read_values(f"{prefix}.{db}.u", lambda v: len(v) >= 2, 60)) == [1, 3]
    # No lock is left behind: DDL and writes go on.
    mysql(db, "ALTER TABLE t ADD COLUMN w INT; INSERT INTO t VALUES (5, 'e', 5);")
    values = read_values(f"{prefix}.{db}.t", lambda v: 5 in ids_of(v), 60)
    assert values[-1]["payload"]["after"] == {"id": 5, "v": "e", "w": 5}


def test_mariadb_connector_gtids_and_transaction_metadata(worker):
    db, prefix = setup_table("gt")
    mysql(db, "CREATE TABLE o (id INT PRIMARY KEY);")
    cfg = mysql_config(db, prefix, 5603, **{"connector.class": MARIADB_CLASS,
                                             "provide.transaction.metadata": "true",
                                             "include.query": "true"})
    create_connector(worker, "gt", cfg)
    read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 2, 60)
    time.sleep(1)
    mysql(db, "BEGIN; INSERT INTO t VALUES (3, 'c'); INSERT INTO o VALUES (1); "
              "UPDATE t SET v = 'z' WHERE id = 1; COMMIT;")
    gtid = mysql(None, "SELECT @@gtid_binlog_pos").strip()
    values = read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 4, 60)
    streamed = [v["payload"] for v in values[2:]]
    assert [p["op"] for p in streamed] == ["c", "u"]
    for p in streamed:
        assert p["source"]["connector"] == "mariadb"
        assert p["source"]["gtid"] == gtid, (p["source"], gtid)
        assert p["transaction"]["id"] == gtid
    # include.query: each row event's statement, from its Annotate_rows event.
    assert [p["source"]["query"] for p in streamed] == [
        "INSERT INTO t VALUES (3, 'c')", "UPDATE t SET v = 'z' WHERE id = 1"], streamed
    assert [p["transaction"]["total_order"] for p in streamed] == [1, 3]
    assert [p["transaction"]["data_collection_order"] for p in streamed] == [1, 2]
    assert values[0]["schema"]["fields"][2]["name"] == "io.debezium.connector.mariadb.Source"
    tx = read_values(f"{prefix}.transaction", lambda v: len(v) >= 2, 30)
    assert [t["payload"]["status"] for t in tx] == ["BEGIN", "END"], tx
    end = tx[1]["payload"]
    assert end["id"] == gtid and end["event_count"] == 3
    assert sorted((c["data_collection"], c["event_count"]) for c in end["data_collections"]) == \
        [(f"{db}.o", 1), (f"{db}.t", 2)]


def test_heartbeats_and_skipped_operations(worker):
    db, prefix = setup_table("hb")
    cfg = mysql_config(db, prefix, 5604, **{"heartbeat.interval.ms": "300",
                                             "skipped.operations": "u,d"})
    create_connector(worker, "hb", cfg)
    read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 2, 60)
    time.sleep(1)
    mysql(db, "UPDATE t SET v = 'x' WHERE id = 1; DELETE FROM t WHERE id = 2; "
              "INSERT INTO t VALUES (9, 'n');")
    values = read_values(f"{prefix}.{db}.t", lambda v: 9 in ids_of(v), 60)
    assert ops_of(values) == [("r", 1), ("r", 2), ("c", 9)], ops_of(values)
    hb = read_values(f"__debezium-heartbeat.{prefix}", lambda v: len(v) >= 2, 30)
    assert len(hb) >= 2
    assert hb[0]["payload"]["ts_ms"] > 0
    assert hb[0]["schema"]["name"] == "io.debezium.connector.common.Heartbeat"


def test_validation_names_the_key(worker):
    db, prefix = setup_table("va")
    good = mysql_config(db, prefix, 5605)

    def errors(cfg):
        r = worker.call("PUT", "/connector-plugins/MySqlConnector/config/validate",
                        body=dict(cfg, name="va"))
        assert r.status == 200, r
        return {c["value"]["name"]: c["value"]["errors"] for c in r.json["configs"]
                if c["value"]["errors"]}
    assert errors(good) == {}
    e = errors(dict(good, **{"database.password": "wrong"}))
    assert list(e) == ["database.password"], e
    assert "tributary" in e["database.password"][0] and "wrong" not in e["database.password"][0]
    e = errors(dict(good, **{"database.port": "1"}))
    assert "database.hostname" in e, e
    missing = dict(good)
    del missing["schema.history.internal.kafka.topic"]
    assert "schema.history.internal.kafka.topic" in errors(missing)
    e = errors(dict(good, **{"snapshot.locking.mode": "minimal_percona"}))
    assert "snapshot.locking.mode" in e, e
    # Debezium keys Tributary does not implement: refused when they would change the records
    # (unmasked PII, other topics), silent at Debezium's defaults.
    e = errors(dict(good, **{"column.mask.with.8.chars": "inventory.customers.email",
                             "schema.history.internal":
                                 "io.debezium.storage.file.history.FileSchemaHistory",
                             "topic.naming.strategy":
                                 "io.debezium.schema.DefaultTopicNamingStrategy",
                             "snapshot.max.threads": "4"}))
    assert sorted(e) == ["column.mask.with.8.chars", "schema.history.internal"], e
    assert "unmasked values" in e["column.mask.with.8.chars"][0], e
    mysql(None, "CREATE USER IF NOT EXISTS 'nogrants'@'%' IDENTIFIED BY 'pw';")
    e = errors(dict(good, **{"database.user": "nogrants", "database.password": "pw"}))
    text = json.dumps(e)
    for grant in ("REPLICATION SLAVE", "REPLICATION CLIENT", "SELECT", "RELOAD"):
        assert grant in text, e


def connector_metrics(worker, name):
    """Debezium's metrics on /metrics of connector `name`: {(metric, context, table): value}."""
    out = {}
    for line in worker.get("/metrics").text.splitlines():
        m = re.match(r'^(debezium_metrics_\w+|tributary_mysql_\w+)\{([^}]*)\} (\S+)$', line)
        if m and f'connector="{name}"' in m.group(2):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            out[(m.group(1), labels.get("context"), labels.get("table"), labels.get("plugin"))] = \
                float(m.group(3))
    return out


def test_metrics(worker):
    db, prefix = setup_table("mx")
    create_connector(worker, "mx", mysql_config(db, prefix, 5606, **{"skipped.operations": "d"}))
    read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 2, 60)
    time.sleep(1)
    mysql(db, "INSERT INTO t VALUES (3, 'c'), (4, 'd'); UPDATE t SET v = 'u' WHERE id = 1; "
              "DELETE FROM t WHERE id = 2;")
    read_values(f"{prefix}.{db}.t", lambda v: len(v) >= 5, 60)

    def s(metric):
        return ("debezium_metrics_" + metric, "streaming", None, "mysql")

    def done():
        m = connector_metrics(worker, "mx")
        # A transaction with nothing to send is counted at the next batch or the server's
        # heartbeat (at most 5 s later).
        return m if m.get(s("TotalNumberOfEventsSeen")) == 3 and \
            m.get(s("NumberOfEventsFiltered")) == 1 else None
    m = wait_for(done, 30, 0.5, "the streaming counters")
    assert m[s("TotalNumberOfCreateEventsSeen")] == 2
    assert m[s("TotalNumberOfUpdateEventsSeen")] == 1
    assert m[s("TotalNumberOfDeleteEventsSeen")] == 0
    assert m[s("NumberOfEventsFiltered")] == 1  # the skipped delete
    assert m[s("NumberOfCommittedTransactions")] >= 3
    assert m[s("Connected")] == 1
    assert m[s("BinlogPosition")] > 4
    assert m[s("IsGtidModeEnabled")] == 1
    assert m[s("MilliSecondsBehindSource")] >= 0
    snap = ("debezium_metrics_TotalNumberOfEventsSeen", "snapshot", None, "mysql")
    assert m[snap] == 2
    assert m[("debezium_metrics_SnapshotCompleted", "snapshot", None, "mysql")] == 1
    assert m[("debezium_metrics_RowsScanned", "snapshot", f"{db}.t", "mysql")] == 2
    assert m[("debezium_metrics_RemainingTableCount", "snapshot", None, "mysql")] == 0
    assert m[("tributary_mysql_binlog_file_number", None, None, None)] >= 1


@pytest.mark.parametrize("mode", ["no_data", "recovery"])
def test_restart_right_after_a_schema_only_snapshot_loses_nothing(mode, worker):
    """A no_data snapshot sends only schema records; the last one's offset must say the snapshot
    is done, or a restart takes it again at the new binlog end and skips what was written while
    the worker was down (recovery: the same on a restart after rebuilding the history)."""
    db, prefix = setup_table("so")
    name = f"so-{mode}"
    cfg = mysql_config(db, prefix, 5607, **{"snapshot.mode": "no_data"})
    create_connector(worker, name, cfg)
    if mode == "recovery":
        mysql(db, "INSERT INTO t VALUES (3, 'c');")
        read_values(f"{prefix}.{db}.t", lambda v: 3 in ids_of(v), 60)
    # The schema records are out (and their offset committed) before the stop.
    read_values(prefix, lambda v: any("CREATE TABLE" in x["payload"]["ddl"] for x in v if x), 60)
    time.sleep(2)
    worker.stop()
    mysql(db, "INSERT INTO t VALUES (4, 'd');")
    worker.start()
    if mode == "recovery":
        r = worker.call("PUT", f"/connectors/{name}/config",
                        body=dict(cfg, **{"snapshot.mode": "recovery"}))
        assert r.status == 200, r
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
    mysql(db, "INSERT INTO t VALUES (5, 'e');")
    values = read_values(f"{prefix}.{db}.t", lambda v: 5 in ids_of(v), 60)
    assert 4 in ids_of(values), ops_of(values)
