"""Helpers of the MySQL / MariaDB end-to-end tests: the mariadb client against the server the
test environment started (tests/env/mariadb.sh, $TRIBUTARY_TEST_MARIADB), as root over TCP, with
the session in UTC and utf8mb4 (the golden files were made so)."""
import contextlib
import os
import pathlib
import subprocess
import uuid

REPO = pathlib.Path(__file__).resolve().parents[2]

MARIADB = os.environ.get("TRIBUTARY_TEST_MARIADB", "127.0.0.1:3306")
MYSQL_HOST, _, MYSQL_PORT = MARIADB.rpartition(":")
MYSQL_CLASS = "io.debezium.connector.mysql.MySqlConnector"
MARIADB_CLASS = "io.debezium.connector.mariadb.MariaDbConnector"


def mysql(db, sql=None, sql_file=None, user="root", password=None, timeout=120, port=None):
    """Runs SQL through the mariadb client; returns its tab-separated output (no headers)."""
    args = ["mariadb", "--protocol=TCP", "-h", MYSQL_HOST, "-P", str(port or MYSQL_PORT), "-u", user,
            "--default-character-set=utf8mb4", "-N", "-B",
            "--init-command=SET time_zone = '+00:00'"]
    if password:
        args.append(f"-p{password}")
    if db:
        args.append(db)
    text = sql if sql is not None else open(sql_file, encoding="utf-8").read()
    r = subprocess.run(args, input=text.encode(), capture_output=True, timeout=timeout)
    assert r.returncode == 0, f"mariadb failed: {r.stderr.decode()}"
    return r.stdout.decode()


def new_database(prefix="t", port=None):
    """A new, empty database the connector user may read; returns its name."""
    db = f"{prefix}_{uuid.uuid4().hex[:8]}"
    mysql(None, f"CREATE DATABASE {db}; GRANT ALL ON {db}.* TO 'tributary'@'%';", port=port)
    return db


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def private_mariadb(directory, extra_conf=None):
    """A MariaDB of the test's own (tests/env/mariadb.sh), for tests that restart the server or
    purge its binlog; yields its port and stops it after. `extra_conf`: more [mariadbd] lines."""
    port = free_port()
    script = REPO / "tests" / "env" / "mariadb.sh"
    env = dict(os.environ, MARIADB_EXTRA_CONF=extra_conf) if extra_conf else None
    subprocess.run([str(script), "start", str(directory), str(port)], check=True,
                   capture_output=True, timeout=120, env=env)
    try:
        yield port
    finally:
        subprocess.run([str(script), "stop", str(directory)], capture_output=True, timeout=120)


def restart_mariadb(directory, port):
    script = REPO / "tests" / "env" / "mariadb.sh"
    subprocess.run([str(script), "stop", str(directory)], check=True, capture_output=True,
                   timeout=120)
    subprocess.run([str(script), "start", str(directory), str(port)], check=True,
                   capture_output=True, timeout=120)


def mysql_config(db, prefix, server_id, port=None, **extra):
    """A MySqlConnector config capturing `db` of the test server."""
    cfg = {
        "connector.class": MYSQL_CLASS,
        "tasks.max": "1",
        "database.hostname": MYSQL_HOST,
        "database.port": str(port or MYSQL_PORT),
        "database.user": "tributary",
        "database.password": "tributary",
        "database.server.id": str(server_id),
        "topic.prefix": prefix,
        "database.include.list": db,
        "schema.history.internal.kafka.bootstrap.servers": os.environ.get(
            "TRIBUTARY_TEST_BOOTSTRAP", "127.0.0.1:19092"),
        "schema.history.internal.kafka.topic": f"schema-history.{prefix}",
    }
    cfg.update(extra)
    return cfg


def create_connector(worker, name, cfg):
    """POSTs the connector to the worker and waits for it and its task to be RUNNING."""
    r = worker.call("POST", "/connectors", body={"name": name, "config": cfg})
    assert r.status == 201, r
    worker.wait_state(name, "RUNNING", "RUNNING", timeout=60)
