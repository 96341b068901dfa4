# Sourced by the golden generators that run the REAL Debezium connector in Kafka Connect
# standalone (tests/golden/postgres/gen.sh, tests/golden/mysql/gen.sh): the jars, the Kafka topic
# dumper (postgres/Dump.java), the worker, its waits and failures, and the teardown of a run.
# The sourcing script sets `here` (its folder), `root` and `env_dir` (tests/env), calls
# golden_init CONNECTOR, and defines stop_db (stops the database of the run in $work). Per run it
# sets `work` (a scratch dir), `kafka_port` and `rest_port`, starts Kafka and its database, writes
# $work/connector.json, then calls start_connect, its waits, and finish_run.

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

# golden_init CONNECTOR (postgres | mysql): fetches the jars (Kafka from deploy/kafka/fetch.sh,
# Debezium from fetch_debezium.sh), builds the dumper, sets plugin_path, dbz_version, kafka_lib,
# names (the configurations: the arguments, or every connector-NAME.json in $here) and the trap.
golden_init() {
  plugin_path="$(dirname "$("$here/../fetch_debezium.sh" "$1")")"  # Connect's plugin.path
  dbz_version="$(basename "$(dirname "$plugin_path")")"
  kafka_lib="$("$root/deploy/kafka/fetch.sh")"
  shift
  if [ $# -gt 0 ]; then names=("$@"); else
    names=()
    for f in "$here"/connector-*.json; do n="${f##*/connector-}"; names+=("${n%.json}"); done
  fi
  tools="$(mktemp -d /tmp/dbz-golden-tools-XXXXXX)"
  javac -d "$tools" -cp "$kafka_lib/*" "$root/tests/golden/postgres/Dump.java"
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
  trap on_exit EXIT
}

dump() { java -cp "$tools:$kafka_lib/*" -Dlog4j.configuration="file:$tools/log4j.properties" Dump "$@"; }

stop_run() {  # stop_run RC: stops Connect, Kafka and the database of the current run
  local rc="$1"
  if [ -n "$connect_pid" ]; then kill "$connect_pid" 2>/dev/null || true; wait "$connect_pid" 2>/dev/null || true; fi
  connect_pid=""
  if [ -n "$work" ]; then
    "$env_dir/kafka.sh" stop "$work/kafka" || true
    stop_db
    if [ "$rc" = 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$work"; else echo "gen: scratch kept in $work" >&2; fi
  fi
  work=""
}
on_exit() { local rc=$?; stop_run "$rc"; rm -rf "$tools"; exit "$rc"; }

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

# start_connect: Kafka Connect standalone (JsonConverter with schemas, file offsets flushed every
# second) on $kafka_port with $work/connector.json, logging to $work/connect.log.
start_connect() {
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
  java -Xms128m -Xmx512m -XX:+UseSerialGC -Duser.timezone=UTC \
       -Dlog4j.configuration="file:$work/connect-log4j.properties" -cp "$kafka_lib/*" \
       org.apache.kafka.connect.cli.ConnectStandalone "$work/worker.properties" "$work/connector.json" \
       > "$work/connect.log" 2>&1 &
  connect_pid=$!
}

# finish_run NAME OUT T0 END_TOPIC: waits for the end-marker record on END_TOPIC, stops Connect
# gracefully (it flushes its producer and commits offsets), writes every record of every topic
# to OUT/<topic>.jsonl and ends the run.
finish_run() {
  local name="$1" out="$2" t0="$3" end_topic="$4"
  dump wait "127.0.0.1:$kafka_port" "$end_topic" 180 || fail "the end-marker record did not arrive"
  sleep 3   # let a heartbeat (if any) and the last offset commit happen
  check_connect
  kill "$connect_pid"; wait "$connect_pid" 2>/dev/null || true; connect_pid=""
  rm -rf "$out"; mkdir -p "$out"
  dump dump "127.0.0.1:$kafka_port" "$out" | sed "s/^/gen: [$name] /"
  stop_run 0
  echo "gen: [$name] done in $((SECONDS - t0)) s"
}
