#!/usr/bin/env bash
# Starts or stops a PostgreSQL server (Debian's) for tests, with logical replication on.
#   tests/env/postgres.sh start DIR PORT   -> server on 127.0.0.1:PORT, cluster and log in DIR
#   tests/env/postgres.sh stop DIR
# The server runs as the invoking user, or as "postgres" when invoked as root (initdb refuses
# root). It has a superuser "postgres" (trust on loopback), a role "debezium" (password
# "dbz_password", LOGIN REPLICATION) and a database "inventory" owned by it; wal_level=logical.
# PG_EXTRA_CONF: more postgresql.conf lines.
set -euo pipefail
cmd="${1:?usage: postgres.sh start|stop DIR [PORT]}"
dir="${2:?usage: postgres.sh start|stop DIR [PORT]}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/pg_ctl" ] || { echo "postgres: no PostgreSQL server under /usr/lib/postgresql" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  port="${3:?port required}"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
fsync = off
synchronous_commit = off
full_page_writes = off
${PG_EXTRA_CONF:-}
CONF
    cat > "$dir/data/pg_hba.conf" <<HBA
local all all trust
host all postgres 127.0.0.1/32 trust
host replication postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
host replication all 127.0.0.1/32 scram-sha-256
HBA
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start > /dev/null \
    || { tail -30 "$dir/postgres.log" >&2; exit 1; }
  psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$("${psql[@]}" -d postgres -c "select 1 from pg_roles where rolname='debezium'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "create role debezium login replication password 'dbz_password'"
    "${psql[@]}" -d postgres -c "create database inventory owner debezium"
  fi
  echo "postgres: up on 127.0.0.1:$port (data $dir/data)"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop > /dev/null 2>&1 || true
  fi
  ;;
*) echo "usage: postgres.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
