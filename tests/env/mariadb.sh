#!/usr/bin/env bash
# Starts or stops a MariaDB server (Debian's, 10.11) for tests, with a row-based binlog for CDC.
#   tests/env/mariadb.sh start DIR PORT   -> server on 127.0.0.1:PORT, data, binlog and log in DIR
#   tests/env/mariadb.sh stop DIR
# No system service and nothing under /var/lib/mysql or /etc/mysql is used: the data directory is
# DIR/data (made once by mariadb-install-db), the config DIR/my.cnf (rewritten at each start, so
# PORT may change), the socket DIR/mariadb.sock, the pid file DIR/mariadb.pid, the error log
# DIR/mariadb.log and the binlog DIR/binlog/mariadb-bin.NNNNNN. The server runs as the invoking
# user (with --user=root when that is root: mariadbd refuses root otherwise).
# Binlog: log_bin, binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL, server_id=1,
# gtid_strict_mode=ON, CRC32 checksums (the default). character_set_server=utf8mb4.
# Accounts: "root" without password (over the socket or 127.0.0.1); "tributary" (password
# "tributary") with REPLICATION SLAVE, REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES,
# LOCK TABLES on *.* and ALL on the database "inventory" (made at the first start, outside the
# binlog, which so holds only what the tests do). DIR/client.cnf is a client option file
# for root over the socket: mariadb --defaults-file=DIR/client.cnf inventory
# The Debian packages are mariadb-server-core and mariadb-client (deploy/install-deps.sh); when
# they are missing and the caller is root, they are installed here (without mariadb-server, whose
# postinst would start a system service on port 3306).
# MARIADB_EXTRA_CONF: more [mariadbd] lines (e.g. "default_time_zone = '+00:00'").
set -euo pipefail
cmd="${1:?usage: mariadb.sh start|stop DIR [PORT]}"
dir="${2:?usage: mariadb.sh start|stop DIR [PORT]}"
mariadbd=/usr/sbin/mariadbd

pid_alive() { [ -f "$1/mariadb.pid" ] && kill -0 "$(cat "$1/mariadb.pid")" 2>/dev/null; }

case "$cmd" in
start)
  port="${3:?port required}"
  if [ ! -x "$mariadbd" ] || ! command -v mariadb-admin > /dev/null || ! command -v mariadb-install-db > /dev/null; then
    if [ "$(id -u)" != 0 ]; then
      echo "mariadb: no MariaDB server; install mariadb-server-core and mariadb-client (deploy/install-deps.sh)" >&2
      exit 1
    fi
    echo "mariadb: installing mariadb-server-core mariadb-client" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends mariadb-server-core mariadb-client; } >&2
  fi
  mkdir -p "$dir/binlog"
  dir="$(cd "$dir" && pwd)"
  if pid_alive "$dir"; then
    echo "mariadb: a server is already running on $dir (pid $(cat "$dir/mariadb.pid"))" >&2
    exit 1
  fi
  user=()
  [ "$(id -u)" = 0 ] && user=(--user=root)
  if [ ! -d "$dir/data/mysql" ]; then
    rm -rf "$dir/data"
    # --no-defaults: the system tables are made without the binlog and without /etc/mysql.
    mariadb-install-db --no-defaults "${user[@]}" --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      > "$dir/install-db.log" 2>&1 || { cat "$dir/install-db.log" >&2; exit 1; }
  fi
  cat > "$dir/my.cnf" <<CONF
[mariadbd]
datadir = $dir/data
socket = $dir/mariadb.sock
pid_file = $dir/mariadb.pid
log_error = $dir/mariadb.log
tmpdir = $dir
bind_address = 127.0.0.1
port = $port
skip_name_resolve
character_set_server = utf8mb4
collation_server = utf8mb4_general_ci
server_id = 1
log_bin = $dir/binlog/mariadb-bin
log_bin_index = $dir/binlog/mariadb-bin.index
binlog_format = ROW
binlog_row_image = FULL
binlog_row_metadata = FULL
gtid_strict_mode = ON
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
sync_binlog = 0
max_connections = 100
${MARIADB_EXTRA_CONF:-}
CONF
  cat > "$dir/client.cnf" <<CONF
[client]
socket = $dir/mariadb.sock
user = root
CONF
  nohup "$mariadbd" --defaults-file="$dir/my.cnf" "${user[@]}" > "$dir/mariadbd.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root --connect-timeout=2 \
         ping > /dev/null 2>&1; then
      sql=(mariadb --defaults-file="$dir/client.cnf" -N)
      # Once, and outside the binlog (sql_log_bin=0): a connector reading from the start sees none of it.
      if [ "$("${sql[@]}" -e "select count(*) from mysql.global_priv where User='tributary'")" = 0 ]; then
        "${sql[@]}" <<'SQL'
SET SESSION sql_log_bin = 0;
DELETE FROM mysql.global_priv
  WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'));
DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '127.0.0.1', '::1');
FLUSH PRIVILEGES;
CREATE USER IF NOT EXISTS 'tributary'@'%' IDENTIFIED BY 'tributary';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES
  ON *.* TO 'tributary'@'%';
CREATE DATABASE IF NOT EXISTS inventory;
GRANT ALL PRIVILEGES ON inventory.* TO 'tributary'@'%';
SQL
      fi
      echo "mariadb: up at 127.0.0.1:$port (pid $pid)"
      exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mariadb: server exited during start; log follows" >&2
      tail -30 "$dir/mariadb.log" "$dir/mariadbd.out" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.5
  done
  echo "mariadb: server did not start within 60 s; log: $dir/mariadb.log" >&2
  exit 1
  ;;
stop)
  if pid_alive "$dir"; then
    pid="$(cat "$dir/mariadb.pid")"
    timeout 15 mariadb-admin --defaults-file="$dir/client.cnf" --connect-timeout=2 shutdown \
      > /dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/mariadb.pid"
  ;;
*) echo "usage: mariadb.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
