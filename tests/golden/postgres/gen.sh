#!/usr/bin/env bash
# Regenerates the Debezium PostgreSQL golden files with the REAL Debezium connector (see README.md).
#   tests/golden/postgres/gen.sh [NAME ...]     (default: every connector-NAME.json beside this script)
# For each NAME, on a fresh PostgreSQL (tests/env/postgres.sh) and a fresh Kafka broker
# (tests/env/kafka.sh): loads fixture.sql, runs Kafka Connect standalone with connector-NAME.json,
# waits for the snapshot to end, runs changes.sql, waits for the end-marker record, stops Connect
# and writes every record of every topic to NAME/<topic>.jsonl.
# Jars: Kafka 3.9.0 from deploy/kafka/fetch.sh, Debezium from pom.xml (Maven Central), cached in
# $TRIBUTARY_DEBEZIUM_HOME (default ~/.cache/tributary/debezium). Scratch dirs: /tmp/dbz-golden-*,
# removed at the end unless KEEP_WORK=1 (always kept when a run fails).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
env_dir="$root/tests/env"
start_s=$SECONDS

# ---- jars ------------------------------------------------------------------------------------
plugin_path="$(dirname "$("$here/../fetch_debezium.sh" postgres)")"  # Connect's plugin.path
dbz_version="$(basename "$(dirname "$plugin_path")")"
kafka_lib="$("$root/deploy/kafka/fetch.sh")"

pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# A port P whose P+1 is free too (kafka.sh puts the KRaft controller on PORT+1).
free_port_pair() {
  python3 - <<'PY'
import socket
while True:
    a = socket.socket(); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError:
        pass
    finally:
        a.close(); b.close()
PY
}

# ---- the configurations ----------------------------------------------------------------------
if [ $# -gt 0 ]; then names=("$@"); else
  names=()
  for f in "$here"/connector-*.json; do n="${f##*/connector-}"; names+=("${n%.json}"); done
fi

tools="$(mktemp -d /tmp/dbz-golden-tools-XXXXXX)"
javac -d "$tools" -cp "$kafka_lib/*" "$here/Dump.java"
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
stop_run() {  # stop_run RC: stops Connect, Kafka and PostgreSQL of the current run
  local rc="$1"
  if [ -n "$connect_pid" ]; then kill "$connect_pid" 2>/dev/null || true; wait "$connect_pid" 2>/dev/null || true; fi
  connect_pid=""
  if [ -n "$work" ]; then
    "$env_dir/kafka.sh" stop "$work/kafka" || true
    "$env_dir/postgres.sh" stop "$work/pg" || true
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
  work="$(mktemp -d "/tmp/dbz-golden-$name-XXXXXX")"
  chmod 755 "$work"   # the server runs as "postgres" when we are root
  local pg_port kafka_port
  pg_port="$(free_port)"; kafka_port="$(free_port_pair)"; rest_port="$(free_port)"
  echo "gen: [$name] postgres :$pg_port, kafka :$kafka_port, connect REST :$rest_port, scratch $work"

  PG_EXTRA_CONF="timezone = 'UTC'" "$env_dir/postgres.sh" start "$work/pg" "$pg_port" > /dev/null
  "$env_dir/kafka.sh" start "$work/kafka" "$kafka_port" > /dev/null
  "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d inventory -v ON_ERROR_STOP=1 \
      -f "$here/fixture.sql" > "$work/fixture.out" 2>&1 || { cat "$work/fixture.out" >&2; fail "fixture.sql failed"; }

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
  sed "s/@PG_PORT@/$pg_port/" "$cfg" > "$work/connector.json"

  java -Xms128m -Xmx512m -XX:+UseSerialGC -Duser.timezone=UTC \
       -Dlog4j.configuration="file:$work/connect-log4j.properties" -cp "$kafka_lib/*" \
       org.apache.kafka.connect.cli.ConnectStandalone "$work/worker.properties" "$work/connector.json" \
       > "$work/connect.log" 2>&1 &
  connect_pid=$!

  wait_log "Processing messages" 180          # the snapshot has ended and streaming has begun
  echo "gen: [$name] snapshot done after $((SECONDS - t0)) s; running changes.sql"
  PGPASSWORD=dbz_password "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U debezium -d inventory \
      -v ON_ERROR_STOP=1 -f "$here/changes.sql" > "$work/changes.out" 2>&1 \
      || { cat "$work/changes.out" >&2; fail "changes.sql failed"; }
  grep -E 'NOTICE' "$work/changes.out" | sed "s/^/gen: [$name] psql: /" || true
  dump wait "127.0.0.1:$kafka_port" dbserver1.public.zz_end_marker 180 \
    || fail "the end-marker record did not arrive"
  sleep 3   # let a heartbeat (if any) and the last offset commit happen
  check_connect

  # Graceful stop: the worker flushes its producer and commits offsets.
  kill "$connect_pid"; wait "$connect_pid" 2>/dev/null || true; connect_pid=""

  rm -rf "$out"; mkdir -p "$out"
  dump dump "127.0.0.1:$kafka_port" "$out" | sed "s/^/gen: [$name] /"
  stop_run 0
  echo "gen: [$name] done in $((SECONDS - t0)) s"
}

for n in "${names[@]}"; do run_one "$n"; done
echo "gen: all done in $((SECONDS - start_s)) s (Debezium $dbz_version, Kafka Connect $(basename "$(dirname "$kafka_lib")"))"
