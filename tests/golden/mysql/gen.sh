#!/usr/bin/env bash
# Regenerates the Debezium MySQL golden files with the REAL Debezium MySQL connector running against
# MariaDB 10.11 (see README.md).
#   tests/golden/mysql/gen.sh [NAME ...]     (default: every connector-NAME.json beside this script)
# For each NAME, on a fresh MariaDB (tests/env/mariadb.sh, time zone UTC) and a fresh Kafka broker
# (tests/env/kafka.sh): loads fixture.sql as root, runs Kafka Connect standalone with
# connector-NAME.json, waits for the snapshot to end, runs changes.sql, waits for the end-marker
# record, stops Connect and writes every record of every topic to NAME/<topic>.jsonl.
# Jars: Kafka 3.9.0 from deploy/kafka/fetch.sh, Debezium from pom.xml (Maven Central), cached in
# $TRIBUTARY_DEBEZIUM_HOME (default ~/.cache/tributary/debezium). Scratch dirs:
# /tmp/dbz-mysql-golden-*, removed at the end unless KEEP_WORK=1 (always kept when a run fails).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
env_dir="$root/tests/env"
start_s=$SECONDS

# shellcheck source=../connect_lib.sh
. "$here/../connect_lib.sh"
golden_init mysql "$@"
mysql_plugins="$plugin_path"
mariadb_plugins=""   # the MariaDbConnector's jars, fetched when a config names that class
stop_db() { "$env_dir/mariadb.sh" stop "$work/db" || true; }

run_one() {
  local name="$1" cfg="$here/connector-$1.json" out="$here/$1"
  [ -f "$cfg" ] || fail "no $cfg"
  if grep -q 'io.debezium.connector.mariadb.MariaDbConnector' "$cfg"; then
    [ -n "$mariadb_plugins" ] || mariadb_plugins="$(dirname "$("$here/../fetch_debezium.sh" mariadb)")"
    plugin_path="$mariadb_plugins"
  else
    plugin_path="$mysql_plugins"
  fi
  local t0=$SECONDS
  work="$(mktemp -d "/tmp/dbz-mysql-golden-$name-XXXXXX")"
  local db_port
  db_port="$(free_port)"; kafka_port="$(free_port_pair)"; rest_port="$(free_port)"
  echo "gen: [$name] mariadb :$db_port, kafka :$kafka_port, connect REST :$rest_port, scratch $work"

  MARIADB_EXTRA_CONF="default_time_zone = '+00:00'" "$env_dir/mariadb.sh" start "$work/db" "$db_port" > /dev/null
  "$env_dir/kafka.sh" start "$work/kafka" "$kafka_port" > /dev/null
  # root over the socket; utf8mb4 on the wire (the client's own default is utf8mb3)
  sql() { mariadb --defaults-file="$work/db/client.cnf" --default-character-set=utf8mb4 inventory; }
  sql < "$here/fixture.sql" > "$work/fixture.out" 2>&1 || { cat "$work/fixture.out" >&2; fail "fixture.sql failed"; }

  sed -e "s/@MYSQL_PORT@/$db_port/" -e "s/@KAFKA@/127.0.0.1:$kafka_port/" "$cfg" > "$work/connector.json"

  start_connect

  wait_log "Keepalive thread is running" 180     # the snapshot has ended and the binlog reader is connected
  echo "gen: [$name] snapshot done after $((SECONDS - t0)) s; running changes.sql"
  sql < "$here/changes.sql" > "$work/changes.out" 2>&1 || { cat "$work/changes.out" >&2; fail "changes.sql failed"; }
  finish_run "$name" "$out" "$t0" dbserver1.inventory.zz_end_marker
}

for n in "${names[@]}"; do run_one "$n"; done
echo "gen: all done in $((SECONDS - start_s)) s (Debezium $dbz_version${mariadb_plugins:+, MariaDbConnector $(basename "$(dirname "$mariadb_plugins")")}, Kafka Connect $(basename "$(dirname "$kafka_lib")"), $(mariadbd --version | sed 's/.*Ver \([^ ]*\).*/MariaDB \1/'))"
