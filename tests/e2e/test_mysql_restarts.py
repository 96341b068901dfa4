"""Restarts of the MySQL / MariaDB connector against the real MariaDB and Kafka: a worker stopped
while the schema changes resumes with the schema in force at each event's binlog position (read
back from the schema history topic); kill -9 of the worker mid-stream and mid-snapshot loses no
row; MariaDB restarted while streaming; a purged binlog fails clearly, or takes a new snapshot
under snapshot.mode=when_needed; an event corrupted in the binlog file fails its checksum."""
import json
import os
import signal
import subprocess
import threading
import time
import uuid

import pytest
from kafka import KafkaConsumer

from conftest import BOOTSTRAP, Worker, free_port, wait_for
from mysql_util import (MARIADB_CLASS, MYSQL_HOST, MYSQL_PORT, REPO, create_connector, mysql,
                        mysql_config, new_database, private_mariadb, restart_mariadb)

pytestmark = pytest.mark.kafka


def read_values(topic, stop_when, timeout=90):
    """Every value of `topic` (JSON, tombstones as None) until stop_when(values) holds after a
    quiet poll."""
    consumer = KafkaConsumer(topic, bootstrap_servers=[BOOTSTRAP], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"myr-{uuid.uuid4()}",
                             value_deserializer=lambda m: json.loads(m.decode()) if m else None)
    values = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = 0
        for msgs in consumer.poll(timeout_ms=1000, max_records=100000).values():
            for m in msgs:
                got += 1
                values.append(m.value)
        if got == 0 and stop_when(values):
            break
    consumer.close()
    return values


def ids_of(values):
    return [v["payload"]["after"]["id"] for v in values
            if v and v["payload"]["op"] in ("r", "c")]


def test_restart_after_ddl_uses_the_schema_of_each_position(tmp_path):
    """Rows written before, between and after two ALTERs that ran while the worker was down
    decode with the columns they were written with; nothing is lost or repeated."""
    db = new_database("rs")
    prefix = f"rs{uuid.uuid4().hex[:8]}"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10)); INSERT INTO t VALUES (1, 'snap');")
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        create_connector(w, "rs", mysql_config(db, prefix, 5501))
        mysql(db, "ALTER TABLE t ADD COLUMN b INT DEFAULT 7; INSERT INTO t VALUES (2, 'one', 2);")
        topic = f"{prefix}.{db}.t"
        assert len(ids_of(read_values(topic, lambda v: len(ids_of(v)) >= 2, 60))) >= 2
        assert w.stop() == 0
        # While the worker is down: a row with b, then b dropped and c added, then a row with c.
        mysql(db, "INSERT INTO t VALUES (3, 'two', 3); ALTER TABLE t DROP COLUMN b; "
                  "ALTER TABLE t ADD COLUMN c DATE; INSERT INTO t VALUES (4, 'three', '2024-02-29');")
        w.start()
        w.wait_state("rs", "RUNNING", "RUNNING", timeout=60)
        values = read_values(topic, lambda v: set(ids_of(v)) >= {1, 2, 3, 4})
        rows = {v["payload"]["after"]["id"]: v for v in values if v and v["payload"]["after"]}
        assert sorted(ids_of(values)) == [1, 2, 3, 4], ids_of(values)  # no loss, no repeat
        after3 = rows[3]["payload"]["after"]
        assert after3 == {"id": 3, "a": "two", "b": 3}, after3
        fields3 = [f["field"] for f in rows[3]["schema"]["fields"][1]["fields"]]
        assert fields3 == ["id", "a", "b"]
        after4 = rows[4]["payload"]["after"]
        assert after4 == {"id": 4, "a": "three", "c": 19782}, after4
        status = w.status("rs")
        assert status["tasks"][0]["state"] == "RUNNING", status
        # The history holds the DDL read after the restart too.
        hist = read_values(f"schema-history.{prefix}",
                           lambda v: any(h and "DROP COLUMN b" in h["ddl"] for h in v), 30)
        assert any("DROP COLUMN b" in h["ddl"] for h in hist if h), [h["ddl"] for h in hist]
    finally:
        w.stop()


def test_mariadb_offset_right_before_a_ddl_reads_the_ddl_once(tmp_path):
    """MariaDbConnector writes a DDL's history position as Debezium does: the start of the DDL's
    transaction, the GTID set before it and `event: 1`. An offset at that very place with no
    event done (set here by PATCH, as an operator would) must read the DDL again from the binlog
    and not also apply it from the history: applied twice, DROP COLUMN fails the task."""
    db = new_database("rd")
    prefix = f"rd{uuid.uuid4().hex[:8]}"
    name = "rd"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT); "
              "INSERT INTO t VALUES (1, 'snap', 1);")
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        create_connector(w, name, mysql_config(db, prefix, 5520, **{
            "connector.class": MARIADB_CLASS, "provide.transaction.metadata": "true"}))
        topic = f"{prefix}.{db}.t"
        assert ids_of(read_values(topic, lambda v: 1 in ids_of(v), 60)) == [1]
        file, pos = mysql(None, "SHOW MASTER STATUS").split("\t")[:2]
        gtids = mysql(None, "SELECT @@gtid_binlog_pos").strip()
        mysql(db, "ALTER TABLE t DROP COLUMN b; INSERT INTO t VALUES (2, 'two');")
        assert ids_of(read_values(topic, lambda v: 2 in ids_of(v), 60)) == [1, 2]
        hist = read_values(f"schema-history.{prefix}",
                           lambda v: any(h and "DROP COLUMN b" in h["ddl"] for h in v), 30)
        alter = next(h for h in hist if h and "DROP COLUMN b" in h["ddl"])
        assert alter["position"]["pos"] == int(pos) and alter["position"]["gtids"] == gtids, alter
        assert alter["position"]["event"] == 1, alter

        assert w.call("PUT", f"/connectors/{name}/stop").status == 204
        w.wait_state(name, "STOPPED", timeout=30)
        body = {"offsets": [{"partition": {"server": prefix},
                             "offset": {"file": file, "pos": int(pos), "gtids": gtids,
                                        "server_id": 1}}]}
        r = w.call("PATCH", f"/connectors/{name}/offsets", body=body)
        assert r.status == 200, r
        assert w.call("PUT", f"/connectors/{name}/resume").status == 202
        values = read_values(topic, lambda v: ids_of(v).count(2) == 2, 60)
        status = w.status(name)
        assert status["tasks"][0]["state"] == "RUNNING", status
        assert ids_of(values) == [1, 2, 2], ids_of(values)
        again = [v for v in values if v and v["payload"]["after"]["id"] == 2][1]
        assert again["payload"]["after"] == {"id": 2, "a": "two"}, again["payload"]
    finally:
        w.stop()


def test_table_renamed_into_the_captured_set_decodes_with_its_recorded_schema(tmp_path):
    """Under Debezium's default store.only.captured.tables.ddl=false the definitions of the
    captured database's other tables are kept and recorded too: a table ALTERed while not
    captured, then renamed into table.include.list while the worker was down, decodes with the
    columns the history and the binlog give it at that position (not the server's current ones,
    which have another column by then)."""
    db = new_database("rn")
    prefix = f"rn{uuid.uuid4().hex[:8]}"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t VALUES (1, 'snap');"
              "CREATE TABLE staging (id INT PRIMARY KEY, v VARCHAR(10));")
    cfg = mysql_config(db, prefix, 5508, **{"table.include.list": f"{db}\\.t"})
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        create_connector(w, "rn", cfg)
        topic = f"{prefix}.{db}.t"
        mysql(db, "ALTER TABLE staging ADD COLUMN x INT; INSERT INTO t VALUES (2, 'live');")
        assert len(ids_of(read_values(topic, lambda v: len(ids_of(v)) >= 2, 60))) >= 2
        assert w.stop() == 0
        mysql(db, "ALTER TABLE staging ADD COLUMN y VARCHAR(5);"
                  "RENAME TABLE t TO t_old, staging TO t;"
                  "INSERT INTO t VALUES (3, 'moved', 30, 'yy');"
                  "ALTER TABLE t ADD COLUMN z INT; INSERT INTO t VALUES (4, 'z', 40, 'y4', 4);")
        w.start()
        w.wait_state("rn", "RUNNING", "RUNNING", timeout=60)
        values = read_values(topic, lambda v: set(ids_of(v)) >= {1, 2, 3, 4})
        rows = {v["payload"]["after"]["id"]: v["payload"]["after"] for v in values
                if v and v["payload"]["after"]}
        assert sorted(ids_of(values)) == [1, 2, 3, 4], ids_of(values)
        assert rows[3] == {"id": 3, "v": "moved", "x": 30, "y": "yy"}, rows[3]
        assert rows[4] == {"id": 4, "v": "z", "x": 40, "y": "y4", "z": 4}, rows[4]
        assert w.status("rn")["tasks"][0]["state"] == "RUNNING"
        # The history holds the non-captured table's DDL, as Debezium's default does.
        hist = read_values(f"schema-history.{prefix}",
                           lambda v: any(h and "ADD COLUMN y" in h["ddl"] for h in v), 30)
        assert any("ADD COLUMN x" in h["ddl"] for h in hist if h), [h["ddl"] for h in hist]
    finally:
        w.stop()


def writer_thread(db, first, stop, errors, counter, port=None):
    """Inserts rows in 20-row transactions through one mariadb session until told to stop."""
    def run():
        p = subprocess.Popen(["mariadb", "--protocol=TCP", "-h", MYSQL_HOST, "-P",
                              str(port or MYSQL_PORT), "-uroot", db], stdin=subprocess.PIPE,
                             text=True, stderr=subprocess.PIPE)
        try:
            n = first
            while not stop.is_set():
                values = ",".join(f"({i}, 'x')" for i in range(n, n + 20))
                p.stdin.write(f"INSERT INTO t (id, v) VALUES {values};\n")
                p.stdin.flush()
                n += 20
                counter[0] = n - 1
                time.sleep(0.01)
            p.stdin.close()
            p.wait(30)
        except Exception as e:  # noqa: BLE001 (reported by the test)
            errors.append(e)
    t = threading.Thread(target=run)
    t.start()
    return t


def test_kill9_mid_stream_loses_no_row(tmp_path):
    db = new_database("k9")
    prefix = f"k9{uuid.uuid4().hex[:8]}"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));"
              "INSERT INTO t SELECT seq, 'snap' FROM seq_1_to_500;")
    w = Worker(tmp_path / "worker")
    w.start()
    stop, errors, counter = threading.Event(), [], [500]
    try:
        create_connector(w, "k9", mysql_config(db, prefix, 5502))
        t = writer_thread(db, 501, stop, errors, counter)
        time.sleep(3)
        w.stop(signal.SIGKILL)
        time.sleep(1)
        w.start()
        w.wait_state("k9", "RUNNING", "RUNNING", timeout=60)
        time.sleep(3)
        stop.set()
        t.join(60)
        assert not errors, errors
        total = counter[0]
        ids = ids_of(read_values(f"{prefix}.{db}.t", lambda v: len(set(ids_of(v))) >= total))
        missing = set(range(1, total + 1)) - set(ids)
        assert not missing, f"{len(missing)} rows missing of {total}, e.g. {sorted(missing)[:10]}"
        assert w.status("k9")["tasks"][0]["state"] == "RUNNING"
    finally:
        stop.set()
        w.stop()


def test_kill9_mid_snapshot_loses_no_row(tmp_path):
    db = new_database("k9s")
    prefix = f"k9s{uuid.uuid4().hex[:8]}"
    total = 300000
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40));"
              f"INSERT INTO t SELECT seq, repeat('s', 40) FROM seq_1_to_{total};")
    w = Worker(tmp_path / "worker")
    w.start()
    try:
        cfg = mysql_config(db, prefix, 5503, **{"max.batch.size": "512", "max.queue.size": "1024"})
        r = w.call("POST", "/connectors", body={"name": "k9s", "config": cfg})
        assert r.status == 201, r
        topic = f"{prefix}.{db}.t"
        assert len(read_values(topic, lambda v: len(v) > 1000, 60)) > 1000
        w.stop(signal.SIGKILL)
        first = read_values(topic, lambda v: len(v) > 0, 10)
        assert len(first) < total, "the snapshot ended before the kill: make the table bigger"
        w.start()
        w.wait_state("k9s", "RUNNING", "RUNNING", timeout=60)
        mysql(db, "INSERT INTO t VALUES (0, 'after');")
        ids = ids_of(read_values(topic, lambda v: len(set(ids_of(v))) >= total + 1, 180))
        missing = set(range(0, total + 1)) - set(ids)
        assert not missing, f"{len(missing)} rows missing, e.g. {sorted(missing)[:10]}"
    finally:
        w.stop()


def test_mariadb_restart_while_streaming_loses_no_row(tmp_path):
    with private_mariadb(tmp_path / "mdb") as port:
        db = new_database("mr", port=port)
        prefix = f"mr{uuid.uuid4().hex[:8]}"
        mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t VALUES (1, 'a');",
              port=port)
        w = Worker(tmp_path / "worker")
        w.start()
        try:
            cfg = mysql_config(db, prefix, 5504, port=port,
                               **{"retriable.restart.connector.wait.ms": "500"})
            create_connector(w, "mr", cfg)
            topic = f"{prefix}.{db}.t"
            assert 1 in ids_of(read_values(topic, lambda v: 1 in ids_of(v), 60))
            mysql(db, "INSERT INTO t VALUES (2, 'b');", port=port)
            assert 2 in ids_of(read_values(topic, lambda v: 2 in ids_of(v), 60))
            restart_mariadb(tmp_path / "mdb", port)
            mysql(db, "INSERT INTO t VALUES (3, 'c');", port=port)
            values = read_values(topic, lambda v: set(ids_of(v)) >= {1, 2, 3}, 90)
            assert sorted(ids_of(values)) == [1, 2, 3], ids_of(values)
            assert w.status("mr")["tasks"][0]["state"] == "RUNNING"
        finally:
            w.stop()


@pytest.mark.parametrize("mode", ["initial", "when_needed"])
def test_purged_binlog(mode, tmp_path):
    with private_mariadb(tmp_path / "mdb") as port:
        db = new_database("pb", port=port)
        prefix = f"pb{uuid.uuid4().hex[:8]}"
        mysql(db, "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);", port=port)
        w = Worker(tmp_path / "worker")
        w.start()
        try:
            cfg = mysql_config(db, prefix, 5505, port=port, **{"snapshot.mode": mode})
            create_connector(w, "pb", cfg)
            mysql(db, "INSERT INTO t VALUES (2);", port=port)
            topic = f"{prefix}.{db}.t"
            assert len(ids_of(read_values(topic, lambda v: len(ids_of(v)) >= 2, 60))) >= 2
            assert w.stop() == 0
            mysql(db, "INSERT INTO t VALUES (3); FLUSH BINARY LOGS; FLUSH BINARY LOGS;", port=port)
            last = mysql(None, "SHOW MASTER STATUS", port=port).split("\t")[0]

            def purged():
                # The server keeps a file a replica thread still reads: until the old binlog
                # connection is gone on its side, PURGE leaves it (with a warning).
                mysql(None, f"PURGE BINARY LOGS TO '{last}'", port=port)
                logs = [line.split("\t")[0] for line in
                        mysql(None, "SHOW BINARY LOGS", port=port).splitlines()]
                return logs == [last]
            wait_for(purged, 30, 0.5, "the old binlog files to be purged")
            w.start()
            if mode == "initial":
                s = wait_for(lambda: (lambda s: s if s["tasks"] and s["tasks"][0]["state"] == "FAILED"
                                      else None)(w.status("pb")), 60, 0.5, "the task to fail")
                trace = s["tasks"][0]["trace"]
                assert "no longer available on the server" in trace, trace
                assert "snapshot.mode=when_needed" in trace, trace
            else:
                w.wait_state("pb", "RUNNING", "RUNNING", timeout=60)
                values = read_values(topic, lambda v: 3 in ids_of(v), 60)
                assert 3 in ids_of(values), ids_of(values)  # a new snapshot has row 3
        finally:
            w.stop()


def test_corrupted_binlog_event_fails_its_checksum(tmp_path):
    """A byte flipped in a binlog file (a disk that lies): the server sends the event as it is
    (master_verify_checksum is off by default), and the connector's own CRC32 check fails the task
    with an error naming the event's position instead of streaming a wrong row."""
    with private_mariadb(tmp_path / "mdb") as port:
        db = new_database("cs", port=port)
        prefix = f"cs{uuid.uuid4().hex[:8]}"
        mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(64));"
                  "INSERT INTO t VALUES (1, 'fine');", port=port)
        w = Worker(tmp_path / "worker")
        w.start()
        try:
            create_connector(w, "cs", mysql_config(db, prefix, 5506, port=port))
            topic = f"{prefix}.{db}.t"
            mysql(db, "INSERT INTO t VALUES (2, 'fine too');", port=port)
            assert 2 in ids_of(read_values(topic, lambda v: 2 in ids_of(v), 60))
            assert w.stop() == 0  # its offset is before the next event
            marker = b"corrupt-me-" + uuid.uuid4().hex.encode()
            mysql(db, f"INSERT INTO t VALUES (3, '{marker.decode()}'); FLUSH BINARY LOGS;",
                  port=port)
            binlogs = sorted((tmp_path / "mdb" / "binlog").glob("mariadb-bin.0*"))
            hits = [f for f in binlogs if marker in f.read_bytes()]
            assert hits, "the row's bytes are in a binlog file"
            data = bytearray(hits[0].read_bytes())
            at = data.rindex(marker)  # the rows event (after the statement's annotation)
            data[at] ^= 0x01
            hits[0].write_bytes(bytes(data))
            w.start()
            s = wait_for(lambda: (lambda s: s if s["tasks"] and s["tasks"][0]["state"] == "FAILED"
                                  else None)(w.status("cs")), 60, 0.5, "the task to fail")
            trace = s["tasks"][0]["trace"]
            assert "fails its checksum" in trace, trace
            assert f"127.0.0.1:{port}" in trace, trace
            values = read_values(topic, lambda v: True, 10)
            assert 3 not in ids_of(values), "the corrupted row was not streamed"
        finally:
            w.stop()


def test_frozen_server_is_noticed_and_streaming_resumes(tmp_path):
    """A server that stops answering without closing the connection (SIGSTOP: a hung host, a
    network partition) is noticed by the read deadline (two missed heartbeats), the task keeps
    reconnecting, and streams on once the server answers again."""
    with private_mariadb(tmp_path / "mdb") as port:
        db = new_database("fz", port=port)
        prefix = f"fz{uuid.uuid4().hex[:8]}"
        mysql(db, "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);", port=port)
        w = Worker(tmp_path / "worker")
        w.start()
        pid = int((tmp_path / "mdb" / "mariadb.pid").read_text())
        try:
            cfg = mysql_config(db, prefix, 5506, port=port, **{
                "retriable.restart.connector.wait.ms": "500", "connect.timeout.ms": "2000",
                "connect.keep.alive.interval.ms": "1000"})
            create_connector(w, "fz", cfg)
            topic = f"{prefix}.{db}.t"
            assert 1 in ids_of(read_values(topic, lambda v: 1 in ids_of(v), 60))
            os.kill(pid, signal.SIGSTOP)
            try:
                wait_for(lambda: "connection to the binlog was lost" in w.log_tail(200), 30, 0.5,
                         "the lost connection to be noticed")
            finally:
                os.kill(pid, signal.SIGCONT)
            mysql(db, "INSERT INTO t VALUES (2);", port=port)
            values = read_values(topic, lambda v: 2 in ids_of(v), 90)
            assert sorted(set(ids_of(values))) == [1, 2], ids_of(values)
            assert w.status("fz")["tasks"][0]["state"] == "RUNNING"
        finally:
            w.stop()


def test_broker_restart_while_streaming_loses_no_row(tmp_path):
    """The Kafka broker stops for a few seconds while rows stream and a column is added: the
    records and the schema history wait for it, and nothing is lost."""
    kafka_sh = REPO / "tests" / "env" / "kafka.sh"
    kdir = tmp_path / "kafka"
    kport = free_port()
    subprocess.run([str(kafka_sh), "start", str(kdir), str(kport)], check=True,
                   capture_output=True)
    bootstrap = f"127.0.0.1:{kport}"
    db = new_database("bk")
    prefix = f"bk{uuid.uuid4().hex[:8]}"
    mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t VALUES (1, 'a');")
    w = Worker(tmp_path / "worker", extra={"bootstrap.servers": bootstrap})
    stop, errors, counter = threading.Event(), [], [1]
    try:
        w.start()
        cfg = mysql_config(db, prefix, 5507, **{
            "schema.history.internal.kafka.bootstrap.servers": bootstrap})
        create_connector(w, "bk", cfg)
        t = writer_thread(db, 2, stop, errors, counter)
        time.sleep(2)
        subprocess.run([str(kafka_sh), "stop", str(kdir)], check=True, capture_output=True)
        mysql(db, "ALTER TABLE t ADD COLUMN w INT DEFAULT 9;")
        time.sleep(4)
        assert w.status("bk")["tasks"][0]["state"] == "RUNNING"
        subprocess.run([str(kafka_sh), "start", str(kdir), str(kport)], check=True,
                       capture_output=True)
        time.sleep(2)
        stop.set()
        t.join(60)
        assert not errors, errors
        total = counter[0]
        consumer = KafkaConsumer(f"{prefix}.{db}.t", bootstrap_servers=[bootstrap],
                                 auto_offset_reset="earliest", enable_auto_commit=False,
                                 group_id=f"bk-{uuid.uuid4()}",
                                 value_deserializer=lambda m: json.loads(m.decode()) if m else None)
        ids, with_w = set(), 0
        deadline = time.time() + 120
        while time.time() < deadline and len(ids) < total:
            for msgs in consumer.poll(timeout_ms=1000).values():
                for m in msgs:
                    after = m.value["payload"]["after"] if m.value else None
                    if after:
                        ids.add(after["id"])
                        with_w += "w" in after
        consumer.close()
        missing = set(range(1, total + 1)) - ids
        assert not missing, f"{len(missing)} rows missing of {total}, e.g. {sorted(missing)[:10]}"
        assert with_w > 0  # rows after the ALTER carry the new column
        assert w.status("bk")["tasks"][0]["state"] == "RUNNING"
    finally:
        stop.set()
        w.stop()
        subprocess.run([str(kafka_sh), "stop", str(kdir)], capture_output=True)


def test_mariadb_connector_resumes_by_gtid_on_a_replica_after_failover(tmp_path):
    """MariaDbConnector's offset holds file, pos and the GTID state. After a failover to a replica,
    whose binlog files have the same names but other contents, the connector pointed at the replica
    resumes from the GTID state: every row written after the stored offset arrives once (the ALTER
    among them too), none is lost and none before it is repeated. Read at the primary's file and
    position, the replica's binlog would be another stream altogether."""
    with private_mariadb(tmp_path / "primary") as primary, \
            private_mariadb(tmp_path / "replica", "server_id = 2\nlog_slave_updates = ON") as replica:
        # The replica: a binlog of its own (one local statement first, so that its positions
        # differ from the primary's), then everything the primary writes from now.
        mysql(None, "CREATE DATABASE primary_a; CREATE DATABASE primary_b;", port=primary)
        state = mysql(None, "SELECT @@gtid_binlog_pos", port=primary).strip()  # 0-1-2
        mysql(None, "RESET MASTER; CREATE DATABASE replica_local;", port=replica)  # 0-2-1
        mysql(None, f"SET GLOBAL gtid_slave_pos = '{state}';"
                    f"CHANGE MASTER TO MASTER_HOST='{MYSQL_HOST}', MASTER_PORT={primary}, "
                    "MASTER_USER='root', MASTER_USE_GTID=slave_pos; START SLAVE;", port=replica)
        db = new_database("fo", port=primary)
        prefix = f"fo{uuid.uuid4().hex[:8]}"
        mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20));"
                  "INSERT INTO t VALUES (1, 'a'), (2, 'b');", port=primary)
        cfg = mysql_config(db, prefix, 5509, port=primary, **{"connector.class": MARIADB_CLASS})
        topic = f"{prefix}.{db}.t"
        w = Worker(tmp_path / "worker")
        w.start()
        try:
            create_connector(w, "fo", cfg)
            for i in (3, 4):
                mysql(db, f"INSERT INTO t VALUES ({i}, 'p{i}');", port=primary)
            assert len(ids_of(read_values(topic, lambda v: len(ids_of(v)) >= 4, 60))) >= 4
            assert w.stop() == 0
            # While the worker is down: more rows and a column, then the primary is lost.
            mysql(db, "INSERT INTO t VALUES (5, 'p5'); ALTER TABLE t ADD COLUMN w INT;"
                      "INSERT INTO t VALUES (6, 'p6', 66);", port=primary)
            want = mysql(None, "SELECT @@gtid_binlog_pos", port=primary).strip()
            wait_for(lambda: mysql(None, "SELECT @@gtid_slave_pos", port=replica).strip() == want,
                     60, 0.5, "the replica to catch up")
            subprocess.run([str(REPO / "tests" / "env" / "mariadb.sh"), "stop",
                            str(tmp_path / "primary")], check=True, capture_output=True, timeout=120)
            mysql(None, "STOP SLAVE; RESET SLAVE ALL;", port=replica)
            # Same file names, other positions: the stored file / pos mean nothing here.
            assert mysql(None, "SHOW MASTER STATUS", port=replica).split("\t")[0] == \
                "mariadb-bin.000001"
            w.start()
            cfg["database.port"] = str(replica)
            r = w.call("PUT", "/connectors/fo/config", body=cfg)
            assert r.status in (200, 201), r
            values = read_values(topic, lambda v: set(ids_of(v)) >= {1, 2, 3, 4, 5, 6}, 90)
            assert sorted(ids_of(values)) == [1, 2, 3, 4, 5, 6], ids_of(values)
            rows = {v["payload"]["after"]["id"]: v["payload"]["after"] for v in values
                    if v and v["payload"]["after"]}
            assert rows[5] == {"id": 5, "v": "p5"} and rows[6] == {"id": 6, "v": "p6", "w": 66}
            assert rows[6] and values[-1]["payload"]["source"]["gtid"].startswith("0-1-")
            log = (tmp_path / "worker" / "worker.log").read_text()
            assert "resuming from that GTID state" in log
            assert w.status("fo")["tasks"][0]["state"] == "RUNNING"
        finally:
            w.stop()
