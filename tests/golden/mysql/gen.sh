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

# ---- jars ------------------------------------------------------------------------------------
plugin_path="$(dirname "$("$here/../fetch_debezium.sh" mysql)")"  # Connect's plugin.path
dbz_version="$(basename "$(dirname "$plugin_path")")"
kafka_lib="$("$root/deploy/kafka/fetch.sh")"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# ---- the configurations ----------------------------------------------------------------------
if [ $# -gt 0 ]; then names=("$@"); else
  names=()
  for f in "$here"/connector-*.json; do n="${f##*/connector-}"; names+=("${n%.json}"); done
fi

tools="$(mktemp -d /tmp/dbz-mysql-golden-tools-XXXXXX)"
javac -d "$tools" -cp "$kafka_lib/*" "$here/../postgres/Dump.java"  # one Kafka dumper for both goldens
dump() { java -cp "$tools:$kafka_lib/*" -Dlog4j.configuration="file:$tools/log4j.properties" Dump "$@"; }
cat > "$tools/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS

work=""
connect_pid=""
rest_port=""
stop_run() {  # stop_run RC: stops Connect, Kafka and MariaDB of the current run
  local rc="$1"
  if [ -n "$connect_pid" ]; then kill "$connect_pid" 2>/dev/null || true; wait "$connect_pid" 2>/dev/null || true; fi
  connect_pid=""
  if [ -n "$work" ]; then
    "$env_dir/kafka.sh" stop "$work/kafka" || true
    "$env_dir/mariadb.sh" stop "$work/db" || true
    if [ "$rc" = 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$work"; else echo "gen: scratch kept in $work" >&2; fi
  fi
  work=""
}
on_exit() { local rc=$?; stop_run "$rc"; rm -rf "$tools"; exit "$rc"; }
trap on_exit EXIT

fail() {
  echo "gen: $*" >&2
  if [ -n "$work" ] && [ -f "$work/connect.log" ]; then
    echo "--- connect.log (last lines)" >&2; tail -60 "$work/connect.log" >&2
  fi
  exit 1
}

check_connect() {  # fails when Connect has exited or the connector or its task has FAILED
  kill -0 "$connect_pid" 2>/dev/null || fail "Connect exited"
  if grep -q 'Task threw an uncaught' "$work/connect.log"; then fail "the task failed"; fi
  local st
  st="$(curl -s "http://127.0.0.1:$rest_port/connectors/inventory-connector/status" || true)"
  case "$st" in *FAILED*) fail "connector status: $st" ;; esac
}

wait_log() {  # wait_log PATTERN TIMEOUT_S: waits for PATTERN in connect.log
  local pattern="$1" timeout="$2" t=0
  while ! grep -q -- "$pattern" "$work/connect.log"; do
    check_connect
    [ $t -ge $((timeout * 2)) ] && fail "timed out waiting for '$pattern'"
    sleep 0.5; t=$((t + 1))
  done
}

run_one() {
  local name="$1" cfg="$here/connector-$1.json" out="$here/$1"
  [ -f "$cfg" ] || fail "no $cfg"
  local t0=$SECONDS
  work="$(mktemp -d "/tmp/dbz-mysql-golden-$name-XXXXXX")"
  local db_port kafka_port
  db_port="$(free_port)"; kafka_port="$(free_port)"; rest_port="$(free_port)"
  echo "gen: [$name] mariadb :$db_port, kafka :$kafka_port, connect REST :$rest_port, scratch $work"

  MARIADB_EXTRA_CONF="default_time_zone = '+00:00'" "$env_dir/mariadb.sh" start "$work/db" "$db_port" > /dev/null
  "$env_dir/kafka.sh" start "$work/kafka" "$kafka_port" > /dev/null
  # root over the socket; utf8mb4 on the wire (the client's own default is utf8mb3)
  sql() { mariadb --defaults-file="$work/db/client.cnf" --default-character-set=utf8mb4 inventory; }
  sql < "$here/fixture.sql" > "$work/fixture.out" 2>&1 || { cat "$work/fixture.out" >&2; fail "fixture.sql failed"; }

  cat > "$work/worker.properties" <<PROPS
bootstrap.servers=127.0.0.1:$kafka_port
listeners=http://127.0.0.1:$rest_port
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
offset.storage.file.filename=$work/connect.offsets
offset.flush.interval.ms=1000
plugin.path=$plugin_path
PROPS
  cat > "$work/connect-log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.reflections=ERROR
PROPS
  sed -e "s/@MYSQL_PORT@/$db_port/" -e "s/@KAFKA@/127.0.0.1:$kafka_port/" "$cfg" > "$work/connector.json"

  java -Xms128m -Xmx512m -XX:+UseSerialGC -Duser.timezone=UTC \
       -Dlog4j.configuration="file:$work/connect-log4j.properties" -cp "$kafka_lib/*" \
       org.apache.kafka.connect.cli.ConnectStandalone "$work/worker.properties" "$work/connector.json" \
       > "$work/connect.log" 2>&1 &
  connect_pid=$!

  wait_log "Keepalive thread is running" 180     # the snapshot has ended and the binlog reader is connected
  echo "gen: [$name] snapshot done after $((SECONDS - t0)) s; running changes.sql"
  sql < "$here/changes.sql" > "$work/changes.out" 2>&1 || { cat "$work/changes.out" >&2; fail "changes.sql failed"; }
  dump wait "127.0.0.1:$kafka_port" dbserver1.inventory.zz_end_marker 180 \
    || fail "the end-marker record did not arrive"
  sleep 3   # let the last offset commit happen
  check_connect

  # Graceful stop: the worker flushes its producer and commits offsets.
  kill "$connect_pid"; wait "$connect_pid" 2>/dev/null || true; connect_pid=""

  rm -rf "$out"; mkdir -p "$out"
  dump dump "127.0.0.1:$kafka_port" "$out" | sed "s/^/gen: [$name] /"
  stop_run 0
  echo "gen: [$name] done in $((SECONDS - t0)) s"
}

for n in "${names[@]}"; do run_one "$n"; done
echo "gen: all done in $((SECONDS - start_s)) s (Debezium $dbz_version, Kafka Connect $(basename "$(dirname "$kafka_lib")"), $(mariadbd --version | sed 's/.*Ver \([^ ]*\).*/MariaDB \1/'))"
