#!/usr/bin/env bash
# Side-by-side benchmark: the real Debezium MySQL connector (Kafka Connect standalone) and the
# Tributary worker stream the same MariaDB binlog backlog to Kafka (see README.md).
#   tests/bench/debezium_mysql/run.sh [BUILD_DIR] [ROWS=1000000]     (BUILD_DIR "" = the default)
# BUILD_DIR: the Tributary build (bin/tributary, plugins/libtributary-mysql.so). Default: the first
# of build-bench, build-release and build that has both; when the named dir does not exist (or none
# has both), it is configured and built (Release, Ninja).
# Environment: ENGINES (default "debezium tributary"); QUIET_MAX (default 0.15) and QUIET_WAIT_S
# (default 900): before each measured run, wait up to QUIET_WAIT_S for the machine to be at most
# QUIET_MAX busy (a fraction of all CPUs); KEEP_WORK=1 keeps the scratch dir /tmp/dbzbench-XXXXXX
# (always kept when a run fails; the Kafka and MariaDB data of a finished engine are removed at
# once, only logs and results stay); CONNECT_WORKER_EXTRA: more lines for the Connect worker file
# (Debezium only), e.g. "producer.batch.size=1000000<newline>producer.linger.ms=5".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
env_dir="$root/tests/env"
rows="${2:-1000000}"
engines="${ENGINES:-debezium tributary}"
[ "$rows" -ge 1 ] 2>/dev/null || { echo "run.sh: ROWS must be a positive integer" >&2; exit 2; }

# ---- the Tributary build ---------------------------------------------------------------------
has_worker() { [ -x "$1/bin/tributary" ] && [ -f "$1/plugins/libtributary-mysql.so" ]; }
build=""
if [ -n "${1:-}" ]; then
  build="$1"
else
  for d in build-bench build-release build; do
    if has_worker "$root/$d"; then build="$root/$d"; break; fi
  done
  [ -n "$build" ] || build="$root/build-release"
fi
if [ ! -d "$build" ] || { [ -z "${1:-}" ] && ! has_worker "$build"; }; then
  echo "run.sh: building Tributary in $build" >&2
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >&2
  ninja -C "$build" >&2
fi
build="$(cd "$build" && pwd)"
has_worker "$build" || { echo "run.sh: $build has no bin/tributary or plugins/libtributary-mysql.so" >&2; exit 1; }

# ---- Debezium and Kafka jars (cached, as tests/golden/mysql/gen.sh fetches them) -------------
dbz_plugins="$(dirname "$("$root/tests/golden/fetch_debezium.sh" mysql)")"  # plugin.path
dbz_version="$(basename "$(dirname "$dbz_plugins")")"
kafka_lib="$("$root/deploy/kafka/fetch.sh")"
kafka_version="$(basename "$(dirname "$kafka_lib")")"

# ---- Python with confluent-kafka (the e2e venv, else one made in the scratch area) -----------
py="$root/build/venv/bin/python"
if ! { [ -x "$py" ] && "$py" -c 'import confluent_kafka' 2>/dev/null; }; then
  py="$("$env_dir/python.sh" /tmp/dbzbench-venv)/bin/python"
fi
mon() { "$py" "$here/monitor.py" "$@"; }

# ---- helpers ---------------------------------------------------------------------------------
# A free loopback port, never one of the ports other tests use by convention.
free_port() {
  local p
  while :; do
    p="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
    case "$p" in 13306|19092|15432|18081) ;; *) echo "$p"; return ;; esac
  done
}

work="$(mktemp -d /tmp/dbzbench-XXXXXX)"
run=""          # the scratch dir of the engine being measured
engine_pid=""   # its worker process
rest_port=""    # its REST port
say() { echo "run.sh: $*"; }

stop_engine() {  # graceful stop (SIGTERM, as an operator would): the worker commits its offsets
  [ -n "$engine_pid" ] || return 0
  kill -TERM "$engine_pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$engine_pid" 2>/dev/null; then
    say "worker $engine_pid did not stop within 60 s; killing it" >&2
    kill -KILL "$engine_pid" 2>/dev/null || true
  fi
  wait "$engine_pid" 2>/dev/null || true
  engine_pid=""
}
stop_stack() {  # stop_stack KEEP_DATA: the worker, the broker and the database of the current run
  stop_engine
  if [ -n "$run" ]; then
    "$env_dir/kafka.sh" stop "$run/kafka" || true
    "$env_dir/mariadb.sh" stop "$run/db" || true
    [ "$1" = 1 ] || rm -rf "$run/kafka/data" "$run/db/data" "$run/db/binlog"
  fi
  run=""
}
on_exit() {
  local rc=$?
  if [ "$rc" = 0 ]; then stop_stack "${KEEP_WORK:-0}"; else stop_stack 1; fi
  if [ "$rc" != 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "run.sh: scratch kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap on_exit EXIT

fail() {
  echo "run.sh: $*" >&2
  [ -n "$run" ] && [ -f "$run/worker.log" ] && { echo "--- $run/worker.log (last lines)" >&2; tail -40 "$run/worker.log" >&2; }
  exit 1
}

start_engine() {  # start_engine ENGINE: the worker in the background, with the connector file
  local engine="$1"
  if [ "$engine" = debezium ]; then
    # Connect's own launch defaults (bin/connect-standalone.sh and bin/kafka-run-class.sh of
    # Kafka 3.9.0): heap -Xms256M -Xmx2G, G1 with its performance options; plus UTC as gen.sh.
    java -Xms256M -Xmx2G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
         -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
         -Djava.awt.headless=true -Duser.timezone=UTC \
         -Dlog4j.configuration="file:$run/connect-log4j.properties" -cp "$kafka_lib/*" \
         org.apache.kafka.connect.cli.ConnectStandalone "$run/worker.properties" "$run/connector.json" \
         >> "$run/worker.log" 2>&1 &
  else
    "$worker_bin" standalone "$run/worker.properties" "$run/connector.json" >> "$run/worker.log" 2>&1 &
  fi
  engine_pid=$!
}

check_engine() {  # fails when the worker has exited or its connector or task has FAILED
  kill -0 "$engine_pid" 2>/dev/null || fail "the $1 worker exited"
  local st
  st="$(curl -s --max-time 5 "http://127.0.0.1:$rest_port/connectors/bench/status" || true)"
  case "$st" in *FAILED*) fail "connector status: $st" ;; esac
}

wait_streaming() {  # wait_streaming ENGINE: until the connector reads the binlog
  local engine="$1" t=0 pattern
  # What each logs once its binlog client is connected, after the no_data snapshot.
  pattern="Keepalive thread is running"
  [ "$engine" = tributary ] && pattern="Reading the binlog of"
  until grep -q "$pattern" "$run/worker.log"; do
    check_engine "$engine"
    [ $t -ge 360 ] && fail "the $engine connector did not start streaming within 180 s"
    sleep 0.5; t=$((t + 1))
  done
}

# A private copy of the worker and its plugins: a rebuild of BUILD_DIR during the run changes nothing.
mkdir -p "$work/tributary-build/bin"
cp "$build/bin/tributary" "$work/tributary-build/bin/"
cp -r "$build/plugins" "$work/tributary-build/"
worker_bin="$work/tributary-build/bin/tributary"
worker_plugins="$work/tributary-build/plugins"

results="$work/results.tsv"
printf 'engine\twall_s\tcpu_s\tpeak_rss_mb\tfirst_wall_s\tfirst_cpu_s\tload_s\tbinlog_mb\ttopic_mb\tbusy_before\tmachine_busy_cpu_s\tmachine_cpu_capacity_s\n' > "$results"

run_engine() {  # run_engine ENGINE SERVER_ID
  local engine="$1" server_id="$2"
  run="$work/$engine"; mkdir -p "$run"
  local prefix="${engine}_$(date +%s)"     # a fresh topic prefix for each run
  local topic="$prefix.bench.t"
  local db_port kafka_port
  db_port="$(free_port)"; kafka_port="$(free_port)"; rest_port="$(free_port)"
  local bootstrap="127.0.0.1:$kafka_port"
  say "[$engine] MariaDB :$db_port, Kafka :$kafka_port, REST :$rest_port, prefix $prefix, scratch $run"

  # 1. A fresh MariaDB (binlog ROW/FULL, UTC) and a fresh broker (Kafka's own server heap, 1 GiB).
  MARIADB_EXTRA_CONF="default_time_zone = '+00:00'" "$env_dir/mariadb.sh" start "$run/db" "$db_port" > /dev/null
  KAFKA_JVM_OPTS="-Xms1G -Xmx1G -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35" \
    "$env_dir/kafka.sh" start "$run/kafka" "$kafka_port" > /dev/null
  sql() { mariadb --defaults-file="$run/db/client.cnf" -N "$@"; }
  sql <<'SQL'
CREATE DATABASE bench;
CREATE TABLE bench.t (id BIGINT PRIMARY KEY, i0 INT NOT NULL, s0 VARCHAR(64) NOT NULL,
                      d0 DATETIME(6) NOT NULL, n0 DECIMAL(12,2) NOT NULL);
SQL
  # The table topic is made beforehand (1 partition), so neither engine waits on auto-creation.
  mon create-topic "$bootstrap" "$topic"

  # 2. The worker and the connector: the same files for both engines, but for plugin.path.
  local plugin_path="$dbz_plugins"
  [ "$engine" = tributary ] && plugin_path="$worker_plugins"
  cat > "$run/worker.properties" <<PROPS
bootstrap.servers=$bootstrap
listeners=http://127.0.0.1:$rest_port
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
offset.storage.file.filename=$run/connect.offsets
plugin.path=$plugin_path
PROPS
  # Optional extra lines for the Connect worker only (e.g. its producer's batching, see README.md).
  if [ "$engine" = debezium ] && [ -n "${CONNECT_WORKER_EXTRA:-}" ]; then
    printf '%s\n' "$CONNECT_WORKER_EXTRA" >> "$run/worker.properties"
  fi
  cat > "$run/connector.json" <<JSON
{
  "name": "bench",
  "config": {
    "connector.class": "io.debezium.connector.mysql.MySqlConnector",
    "tasks.max": "1",
    "database.hostname": "127.0.0.1",
    "database.port": "$db_port",
    "database.user": "tributary",
    "database.password": "tributary",
    "database.server.id": "$server_id",
    "topic.prefix": "$prefix",
    "database.include.list": "bench",
    "snapshot.mode": "no_data",
    "schema.history.internal.kafka.bootstrap.servers": "$bootstrap",
    "schema.history.internal.kafka.topic": "$prefix.schema-history",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "true"
  }
}
JSON
  # Kafka's config/connect-log4j.properties, to the worker's stdout.
  cat > "$run/connect-log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.reflections=ERROR
log4j.logger.org.apache.zookeeper=ERROR
log4j.logger.org.I0Itec.zkclient=ERROR
PROPS

  # Register on the empty table (snapshot.mode=no_data: the schema only), wait until it streams,
  # then stop it gracefully so that its offset is stored. No probe row: with Debezium's
  # MySqlConnector on MariaDB, an offset stored right after a transaction's last row makes the
  # restart skip the first row of the next transaction (README.md), which would lose a backlog row.
  say "[$engine] registering the connector on the empty table"
  echo "===== registration $(date -u +%T) =====" >> "$run/worker.log"
  start_engine "$engine"
  wait_streaming "$engine"
  sleep 3
  check_engine "$engine"
  stop_engine
  [ -s "$run/connect.offsets" ] || fail "no offset stored in $run/connect.offsets"
  cp "$run/connect.offsets" "$run/registration.offsets"   # kept for diagnosis
  # An offset still marked as inside the snapshot would make the restart snapshot again and
  # start from the binlog's end, skipping the backlog (Tributary before commit a7380c9).
  if grep -aq '"snapshot\\*"*:true' "$run/registration.offsets"; then
    fail "the stored offset is still inside the snapshot: $(tail -c 300 "$run/registration.offsets")"
  fi

  # 3. The backlog: ROWS rows in transactions of 1000 (autocommit INSERT ... SELECT).
  say "[$engine] loading $rows rows"
  local t0=$SECONDS lo hi
  for ((lo = 1; lo <= rows; lo += 1000)); do
    hi=$((lo + 999)); [ "$hi" -gt "$rows" ] && hi=$rows
    echo "INSERT INTO bench.t SELECT seq, seq % 100000, concat('value of row ', seq),
          timestamp '2024-01-01 00:00:00' + interval seq second, (seq % 1000000) / 100 FROM seq_${lo}_to_${hi};"
  done | sql bench
  local load_s=$((SECONDS - t0))
  [ "$(sql -e 'SELECT count(*) FROM bench.t')" = "$rows" ] || fail "bench.t does not hold $rows rows"
  local binlog_mb
  binlog_mb="$(du -sm "$run/db/binlog" | cut -f1)"
  say "[$engine] loaded in $load_s s (binlog ${binlog_mb} MB)"

  # 4. The measured run: from the worker's process start to ROWS records on the table topic.
  # First the dirty pages out and, on a shared machine, a quiet moment (QUIET_MAX busy at most).
  sync
  local busy_before
  busy_before="$(mon quiet "${QUIET_MAX:-0.15}" "${QUIET_WAIT_S:-900}")"
  echo "===== measured run $(date -u +%T) =====" >> "$run/worker.log"
  head -1 /proc/stat > "$run/stat.before"
  start_engine "$engine"
  local m
  m="$(mon measure "$bootstrap" "$topic" "$rows" "$engine_pid" 3600 "$run/stat.before")" \
    || fail "the measurement failed"
  say "[$engine] $m"
  # Nothing more may come: the topic must stay at exactly ROWS records; sample a few of them.
  sleep 3
  check_engine "$engine"
  mon verify "$bootstrap" "$topic" "$rows" 12 | sed "s/^/run.sh: [$engine] /" \
    || fail "verification failed"
  stop_engine
  local topic_mb
  topic_mb="$(stat -c %s "$run/kafka/data/$topic-0"/*.log | awk '{s += $1} END {printf "%d", s / 1048576}')"
  "$py" - "$engine" "$m" "$load_s" "$binlog_mb" "$topic_mb" "$busy_before" >> "$results" <<'EOF'
import json, sys
e, m, load_s, binlog_mb, topic_mb, busy_before = sys.argv[1:]
m = json.loads(m)
print("\t".join(map(str, [e, m["wall_s"], m["cpu_s"], m["peak_rss_mb"], m["first_wall_s"],
                          m["first_cpu_s"], load_s, binlog_mb, topic_mb, busy_before,
                          m["machine_busy_cpu_s"], m["machine_cpu_capacity_s"]])))
EOF
  stop_stack "${KEEP_WORK:-0}"
}

say "ROWS=$rows; Debezium $dbz_version on Kafka Connect $kafka_version ($(java -version 2>&1 | head -1));" \
    "$("$worker_bin" --version 2>&1 | head -1) from $build;" \
    "$(mariadbd --version | sed 's/.*Ver \([^ ]*\).*/MariaDB \1/'); $(nproc) CPUs"
server_id=5401
for e in $engines; do
  case "$e" in debezium|tributary) ;; *) fail "unknown engine $e" ;; esac
  run_engine "$e" "$server_id"
  server_id=$((server_id + 1))
done

# 5. The table, with the ratios Tributary / Debezium when both ran.
"$py" - "$results" "$rows" <<'EOF'
import csv, sys
path, rows = sys.argv[1], int(sys.argv[2])
res = {r["engine"]: r for r in csv.DictReader(open(path), delimiter="\t")}
def figures(r):
    wall, cpu = float(r["wall_s"]), float(r["cpu_s"])
    return {"wall s": wall, "events/s": rows / wall, "CPU s": cpu, "CPU us/event": cpu * 1e6 / rows,
            "peak RSS MB": float(r["peak_rss_mb"]), "1st event s": float(r["first_wall_s"]),
            "CPU s to 1st": float(r["first_cpu_s"])}
cols = ["wall s", "events/s", "CPU s", "CPU us/event", "peak RSS MB", "1st event s", "CPU s to 1st"]
print(f"\n{rows} row inserts (binlog backlog) -> Kafka, JSON with schemas; from worker process start")
print(f"{'engine':<18}" + "".join(f"{c:>14}" for c in cols))
f = {e: figures(r) for e, r in res.items()}
for e, v in f.items():
    print(f"{e:<18}" + "".join(f"{v[c]:>14.{1 if c in ('events/s','peak RSS MB') else 2}f}" for c in cols))
if "debezium" in f and "tributary" in f:
    d, t = f["debezium"], f["tributary"]
    print(f"{'tributary/debezium':<18}" + "".join(
        f"{(t[c] / d[c] if d[c] else float('nan')):>14.3f}" for c in cols))
print()
for e, r in res.items():
    other = float(r["machine_busy_cpu_s"]) - float(r["cpu_s"])
    print(f"{e}: backlog loaded in {r['load_s']} s (binlog {r['binlog_mb']} MB); topic {r['topic_mb']} MB; "
          f"machine {float(r['busy_before']):.0%} busy just before the run; during it "
          f"{float(r['machine_busy_cpu_s']):.1f} of {float(r['machine_cpu_capacity_s']):.1f} CPU s busy, "
          f"{other:.1f} of them outside the worker (broker, MariaDB, monitor, other)")
EOF
