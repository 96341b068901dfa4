"""Helpers of the PostgreSQL end-to-end tests: psql against the server the test environment
started (TRIBUTARY_TEST_PG, host:port; tests/env/postgres.sh makes the roles used here), a
private server for tests that restart it, connector configs, and topic readers."""
import contextlib
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
from kafka import KafkaConsumer

from conftest import BOOTSTRAP, REPO, free_port, wait_for

PG = os.environ.get("TRIBUTARY_TEST_PG", "127.0.0.1:5432")
PG_HOST, _, PG_PORT = PG.rpartition(":")
PSQL = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/psql"))
POSTGRES_SH = REPO / "tests" / "env" / "postgres.sh"
PG_CLASS = "io.debezium.connector.postgresql.PostgresConnector"


def psql(db, user, sql_file=None, sql=None, port=None):
    """Runs SQL as `user` (password dbz_password for debezium; postgres trusts loopback) and
    returns psql's output (unaligned, tuples only with -At when `sql` asks for rows)."""
    cmd = [str(PSQL[-1]) if PSQL else "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
           "-h", PG_HOST, "-p", str(port or PG_PORT), "-U", user, "-d", db]
    cmd += ["-f", str(sql_file)] if sql_file else ["-c", sql]
    env = dict(os.environ, PGPASSWORD="dbz_password")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, f"psql failed: {r.stderr}"
    return r.stdout


def new_database(port=None, tables_sql=None):
    """A database of its own (owned by debezium) with a FOR ALL TABLES publication
    dbz_publication made by the superuser; returns its name."""
    db = f"t_{uuid.uuid4().hex[:10]}"
    psql("postgres", "postgres", sql=f"CREATE DATABASE {db} OWNER debezium", port=port)
    if tables_sql:
        psql(db, "debezium", sql=tables_sql, port=port)
    psql(db, "postgres", sql="CREATE PUBLICATION dbz_publication FOR ALL TABLES", port=port)
    return db


def wait_streaming(db, slot, port=None):
    """Until the connector's slot is active (created and streamed from)."""
    wait_for(lambda: psql(db, "postgres", port=port,
                          sql="SELECT count(*) FROM pg_replication_slots "
                              f"WHERE slot_name = '{slot}' AND active").strip() == "1",
             60, what=f"slot {slot} active")


def drop_slot(slot, port=None):
    psql("postgres", "postgres", port=port,
         sql=f"SELECT pg_drop_replication_slot('{slot}') FROM pg_replication_slots "
             f"WHERE slot_name = '{slot}' AND NOT active")


def pg_config(db, prefix, slot, port=None, **extra):
    config = {
        "connector.class": PG_CLASS,
        "database.hostname": PG_HOST, "database.port": str(port or PG_PORT),
        "database.user": "debezium", "database.password": "dbz_password",
        "database.dbname": db, "topic.prefix": prefix, "slot.name": slot,
        "publication.autocreate.mode": "disabled",
    }
    config.update(extra)
    return config


@pytest.fixture
def pg_run(worker):
    """run(name, config, task_state="RUNNING"): creates a connector on the module's shared worker
    and waits for its task state; deletes the connectors and drops their slots after the test.
    Test modules import it to use it."""
    made = []

    def run(name, config, task_state="RUNNING"):
        r = worker.call("POST", "/connectors", body={"name": name, "config": config})
        assert r.status == 201, r
        worker.wait_state(name, "RUNNING", task_state, timeout=60)
        made.append((name, config["slot.name"]))
    yield run
    for name, slot in made:
        worker.call("DELETE", f"/connectors/{name}")
    time.sleep(1)
    for _, slot in made:
        drop_slot(slot)


def read_topic(topic, bootstrap=BOOTSTRAP, expect=None, idle_s=3.0, timeout=90, until=None):
    """Every record of `topic` as (key, value) with JSON decoded (None for a tombstone); reads
    until `expect` records arrived (and `until(records)` holds, when given) and nothing more came
    for `idle_s`, or until `timeout`."""
    consumer = KafkaConsumer(topic, bootstrap_servers=[bootstrap], auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=f"pgu-{uuid.uuid4()}")
    out = []
    deadline = time.time() + timeout
    last = time.time()
    while time.time() < deadline:
        got = 0
        for msgs in consumer.poll(timeout_ms=500, max_records=100000).values():
            for m in msgs:
                got += 1
                out.append((json.loads(m.key) if m.key else None,
                            json.loads(m.value) if m.value else None))
        if got:
            last = time.time()
        elif (expect is None or len(out) >= expect) and time.time() - last >= idle_s and \
                (until is None or until(out)):
            break
    consumer.close()
    return out


def payloads(records, ops=None):
    """The payloads of the change events among `records` (tombstones left out), optionally
    only those whose op is in `ops`."""
    out = [v["payload"] for _, v in records if v is not None]
    return [p for p in out if ops is None or p["op"] in ops]


@contextlib.contextmanager
def private_postgres(extra_conf=""):
    """A PostgreSQL server of the test's own (tests/env/postgres.sh) on a free port, for tests
    that stop and start it; yields (port, restart) where restart() stops and starts it. Its
    directory is directly under the system temp dir: run as root, the server runs as user
    postgres, which cannot enter pytest's root-only tmp_path. `extra_conf`: more
    postgresql.conf lines."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="tributary-pg-")

    def start():
        r = subprocess.run([str(POSTGRES_SH), "start", workdir, str(port)], capture_output=True,
                           text=True, env=dict(os.environ, PG_EXTRA_CONF=extra_conf))
        assert r.returncode == 0, f"postgres.sh start failed: {r.stdout}{r.stderr}"

    def restart(pause_s=0.0):
        subprocess.run([str(POSTGRES_SH), "stop", workdir], check=True)
        time.sleep(pause_s)
        start()
    start()
    try:
        yield port, restart
    finally:
        subprocess.run([str(POSTGRES_SH), "stop", workdir])
        shutil.rmtree(workdir, ignore_errors=True)


class RowWriter:
    """Inserts rows into table t (id integer primary key, v text) in transactions of `batch`
    rows, one psql run per transaction, from a thread, until stop(). A transaction that fails
    (the server is down) is tried again; ids start..last_id are known to be committed."""

    def __init__(self, db, port=None, start=1, batch=40, pause_s=0.01):
        self.db, self.port, self.next, self.batch, self.pause = db, port, start, batch, pause_s
        self.last_id = start - 1
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            lo, hi = self.next, self.next + self.batch - 1
            try:
                psql(self.db, "debezium", port=self.port,
                     sql=f"INSERT INTO t SELECT g, 'x' FROM generate_series({lo}, {hi}) g")
            except AssertionError:
                # Down, or the commit's outcome is unknown: retry the same ids if absent.
                self.failures += 1
                time.sleep(0.2)
                try:
                    n = int(psql(self.db, "debezium", port=self.port,
                                 sql=f"SELECT count(*) FROM t WHERE id BETWEEN {lo} AND {hi}"))
                except AssertionError:
                    continue
                if n == 0:
                    continue
            self.next = hi + 1
            self.last_id = hi
            time.sleep(self.pause)

    def stop(self):
        self._stop.set()
        self._thread.join(60)
        return self.last_id
