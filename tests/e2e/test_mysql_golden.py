"""Differential test against the real Debezium MySQL and MariaDB connectors: MySqlConnector and
MariaDbConnector run the fixture and changes that tests/golden/mysql/gen.sh ran through Debezium's
MySqlConnector 2.7.4 and MariaDbConnector 2.7.0 on MariaDB 10.11 (see its README), and every record
of every table topic must equal Debezium's, field by field and in order: key bytes, value bytes and
headers, after masking what differs between any two runs (wall-clock timestamps, binlog file and
position, source.version), the topic prefix and the database name.

The schema change topic <prefix>, the transaction topic <prefix>.transaction and the schema history
topic are compared too: the history's documents as text (Debezium writes them pretty-printed), with
positions and times masked. MariaDB GTIDs (`<domain>-<server>-<sequence>`, in source.gtid,
transaction ids and the history's positions) are compared relative to the GTID state the snapshot
read: the test server has run other tests' transactions first.
"""
import json
import re
import time
import uuid

import pytest

from conftest import REPO, Worker, wait_for
from mysql_util import mysql, mysql_config, new_database
from test_postgres_golden import BOOTSTRAP, KafkaConsumer, consume_all, diff, list_topics, loads

pytestmark = pytest.mark.kafka

GOLDEN = REPO / "tests" / "golden" / "mysql"


def golden_records(name):
    out = {}
    for f in sorted((GOLDEN / name).glob("*.jsonl")):
        recs = [json.loads(line) for line in f.read_text().splitlines() if line.strip()]
        out[recs[0]["topic"]] = recs
    return out


GTID = re.compile(r"^(\d+)-(\d+)-(\d+)$")


def snapshot_gtid_seq(history):
    """The sequence number of the GTID state in the first history record (read by the snapshot),
    or None for MySqlConnector's history, which has no GTIDs on MariaDB."""
    first = json.loads(history[0]["value"])["position"].get("gtids")
    return int(GTID.match(first).group(3)) if first else None


def rebase_gtid(text, base):
    """`D-S-N` as `D-S-+K`, K = N minus the sequence number of the snapshot's GTID state. A GTID
    set (comma-separated) is rebased member by member."""
    if text is None or base is None:
        return text
    out = []
    for g in text.split(","):
        m = GTID.match(g.strip())
        assert m, f"not a MariaDB GTID: {g!r}"
        out.append(f"{m.group(1)}-{m.group(2)}-+{int(m.group(3)) - base}")
    return ",".join(out)


def normalize(key, value, prefix, db, base=None):
    """(key, value) with prefix and database replaced and volatile fields masked."""
    def sub(s):
        if s is None:
            return None
        return s.replace(f"{prefix}.{db}.", "PREFIX.DB.")
    k = loads(sub(key)) if key is not None else None
    v = loads(sub(value)) if value is not None else None
    if v is not None:
        p = v["payload"]
        for f in ("ts_ms", "ts_us", "ts_ns"):
            p[f] = "*"
        src = p["source"]
        assert src["db"] == db and src["name"] == prefix, src
        for f in ("db", "name", "version", "ts_ms", "ts_us", "ts_ns", "file", "pos"):
            src[f] = "*"
        src["gtid"] = rebase_gtid(src["gtid"], base)
        if p.get("transaction"):
            p["transaction"]["id"] = rebase_gtid(p["transaction"]["id"], base)
    return k, v


def run_golden(config_name, tmp_path):
    golden = golden_records(config_name)
    run = uuid.uuid4().hex[:8]
    db = new_database("golden")
    prefix = f"g{run}"
    mysql(db, sql_file=GOLDEN / "fixture.sql")
    cfg = json.loads((GOLDEN / f"connector-{config_name}.json").read_text())["config"]
    if "table.include.list" in cfg:
        cfg["table.include.list"] = cfg["table.include.list"].replace("inventory", db)
    for k in [k for k in cfg if k.startswith("snapshot.select.statement.overrides")]:
        cfg[k.replace("inventory.", f"{db}.")] = cfg.pop(k).replace("inventory", db)
    cls = cfg["connector.class"]
    cfg.update(mysql_config(db, prefix, cfg["database.server.id"]))
    cfg["connector.class"] = cls
    # The snapshot has ended when the topic of Debezium's last snapshot record has a record, or,
    # under snapshot.mode=no_data, when the schema change topic holds the snapshot's records.
    last = next((r["topic"] for t, recs in golden.items() for r in recs
                 if t.startswith("dbserver1.inventory.") and r["value"]
                 and '"snapshot":"last"' in r["value"]), None)
    if last:
        last = last.replace("dbserver1.inventory.", f"{prefix}.{db}.")
    snapshot_ddl = sum(1 for r in golden["dbserver1"]
                       if '"snapshot":"true"' in r["value"] or '"snapshot":"last"' in r["value"])
    w = Worker(tmp_path / "worker")
    w.start()
    name = "inventory-connector"
    try:
        r = w.call("POST", "/connectors", body={"name": name, "config": cfg})
        assert r.status == 201, r
        w.wait_state(name, "RUNNING", "RUNNING", timeout=60)

        def seen(topic):
            s = w.status(name)
            assert not s["tasks"] or s["tasks"][0]["state"] != "FAILED", s["tasks"][0].get("trace")
            return topic in list_topics(prefix)

        def schema_changes(n):
            seen(prefix)
            if prefix not in topics():
                return False
            return len(consume_all([prefix], timeout=5)[prefix]) >= n
        if last:
            wait_for(lambda: seen(last), 120, 0.5, "the end of the snapshot")
        else:
            wait_for(lambda: schema_changes(snapshot_ddl), 120, 0.5, "the snapshot's schema changes")
        time.sleep(1)
        mysql(db, sql_file=GOLDEN / "changes.sql")
        wait_for(lambda: seen(f"{prefix}.{db}.zz_end_marker"), 120, 0.5, "the end-marker record")
        time.sleep(3)
        assert w.stop() == 0
    finally:
        w.kill()
    ours = consume_all(sorted(list_topics(prefix) | {prefix}))
    return golden, ours, prefix, db


def topics():
    consumer = KafkaConsumer(bootstrap_servers=[BOOTSTRAP])
    try:
        return consumer.topics()
    finally:
        consumer.close()


def normalize_schema_change(key, value, prefix, db, base=None):
    """A schema change record with the prefix and database names replaced and times and binlog
    positions masked."""
    def sub(s):
        return s.replace(prefix, "PREFIX").replace(db, "DB")
    k = loads(sub(key))
    v = loads(sub(value))
    p = v["payload"]
    p["ts_ms"] = "*"
    for f in ("version", "ts_ms", "ts_us", "ts_ns", "file", "pos"):
        p["source"][f] = "*"
    p["source"]["gtid"] = rebase_gtid(p["source"]["gtid"], base)
    # A multi-table RENAME names its tables in the order of a Java HashSet of "db.table" ids,
    # which depends on the database name (random here): compared as a set. The order itself is
    # checked against this golden in tests/unit (JavaHashMap).
    if p["source"]["table"] and "," in p["source"]["table"]:
        p["source"]["table"] = sorted(p["source"]["table"].split(","))
    return k, v


def normalize_history(text, prefix, db, base=None):
    text = text.replace(prefix, "PREFIX").replace(db, "DB")
    text = re.sub(r'"(ts_sec|ts_ms|pos)" : \d+', r'"\1" : *', text)
    text = re.sub(r'"(gtids|transaction_id)" : "([^"]*)"',
                  lambda m: f'"{m.group(1)}" : "{rebase_gtid(m.group(2), base)}"', text)
    return re.sub(r'"file" : "[^"]*"', '"file" : *', text)


def normalize_transaction(key, value, prefix, db, base):
    """A <prefix>.transaction record (BEGIN / END) with its id rebased and its time masked."""
    k = loads(key)
    k["payload"]["id"] = rebase_gtid(k["payload"]["id"], base)
    v = loads(value.replace(f'"{db}.', '"DB.'))
    p = v["payload"]
    p["id"] = rebase_gtid(p["id"], base)
    p["ts_ms"] = "*"
    # Listed in the order of a Java HashMap of "db.table" names, which depends on the database
    # name (random here): compared as a set. The order itself is checked against this golden in
    # tests/unit (TransactionEndListsCollectionsInHashMapOrder).
    if p["data_collections"]:
        p["data_collections"].sort(key=lambda c: c["data_collection"])
    return k, v


def history_topic(ours, prefix):
    return consume_all([f"schema-history.{prefix}"])[f"schema-history.{prefix}"]


@pytest.mark.parametrize("config_name", ["default", "precise_string_connect", "double_hex",
                                         "tables_filter", "tables_filter_captured_ddl",
                                         "mariadb_default", "mariadb_double_hex",
                                         "mariadb_snapshot"])
def test_matches_real_debezium(config_name, tmp_path):
    golden, ours, prefix, db = run_golden(config_name, tmp_path)
    failures = []
    ghist = golden["schema-history.inventory"]
    ohist = history_topic(ours, prefix)
    gbase, obase = snapshot_gtid_seq(ghist), snapshot_gtid_seq(ohist)
    if (gbase is None) != (obase is None):
        failures.append(f"history: GTID state at the snapshot {ohist[0]['value']!r}, "
                        f"Debezium wrote {ghist[0]['value']!r}")
    grecs = golden["dbserver1"]
    orecs = ours.get(prefix, [])
    if len(orecs) != len(grecs):
        failures.append(f"schema change topic: {len(orecs)} records, Debezium wrote {len(grecs)}")
    for i, (g, o) in enumerate(zip(grecs, orecs)):
        gk, gv = normalize_schema_change(g["key"], g["value"], "dbserver1", "inventory", gbase)
        ok, ov = normalize_schema_change(o["key"], o["value"], prefix, db, obase)
        if json.dumps(ok) != json.dumps(gk):
            failures.append(f"schema change {i}: key\n ours   {o['key']}\n theirs {g['key']}")
        elif json.dumps(ov["schema"]) != json.dumps(gv["schema"]):
            failures.append(f"schema change {i}: schema" + diff(ov["schema"], gv["schema"]))
        elif json.dumps(ov["payload"]) != json.dumps(gv["payload"]):
            failures.append(f"schema change {i}: payload" + diff(ov["payload"], gv["payload"]))
    if len(ohist) != len(ghist):
        failures.append(f"history topic: {len(ohist)} records, Debezium wrote {len(ghist)}")
    for i, (g, o) in enumerate(zip(ghist, ohist)):
        gt = normalize_history(g["value"], "dbserver1", "inventory", gbase)
        ot = normalize_history(o["value"], prefix, db, obase)
        if gt != ot or o["key"] is not None:
            failures.append(f"history record {i}:" + diff(ot, gt))
    gtx = golden.get("dbserver1.transaction", [])
    otx = ours.get(f"{prefix}.transaction", [])
    if len(otx) != len(gtx):
        failures.append(f"transaction topic: {len(otx)} records, Debezium wrote {len(gtx)}")
    for i, (g, o) in enumerate(zip(gtx, otx)):
        gk, gv = normalize_transaction(g["key"], g["value"], "dbserver1", "inventory", gbase)
        ok, ov = normalize_transaction(o["key"], o["value"], prefix, db, obase)
        if json.dumps([ok, ov]) != json.dumps([gk, gv]):
            failures.append(f"transaction record {i}:" + diff([ok, ov], [gk, gv]))
            break
    for gtopic, grecs in golden.items():
        if not gtopic.startswith("dbserver1.inventory."):
            continue
        topic = gtopic.replace("dbserver1.inventory.", f"{prefix}.{db}.")
        orecs = ours.get(topic, [])
        if len(orecs) != len(grecs):
            failures.append(f"{topic}: {len(orecs)} records, Debezium wrote {len(grecs)}")
            continue
        for i, (g, o) in enumerate(zip(grecs, orecs)):
            where = f"{topic} record {i}"
            gk, gv = normalize(g["key"], g["value"], "dbserver1", "inventory", gbase)
            ok, ov = normalize(o["key"], o["value"], prefix, db, obase)
            if json.dumps(ok) != json.dumps(gk):
                failures.append(f"{where}: key\n ours   {o['key']}\n theirs {g['key']}")
                break
            if gv is None or ov is None:
                if ov != gv:
                    failures.append(f"{where}: value\n ours   {o['value']}\n theirs {g['value']}")
                continue
            if json.dumps(ov["schema"]) != json.dumps(gv["schema"]):
                failures.append(f"{where}: schema" + diff(ov["schema"], gv["schema"]))
                break
            if json.dumps(ov["payload"]) != json.dumps(gv["payload"]):
                failures.append(f"{where}: payload" + diff(ov["payload"], gv["payload"]))
                continue
            gh = [[h, v] for h, v in g["headers"]]
            oh = [[h, v] for h, v in o["headers"]]
            if oh != gh:
                failures.append(f"{where}: headers {oh} != {gh}")
    assert not failures, "\n".join(failures)
