#!/usr/bin/env bash
# The MySQL / MariaDB benchmarks against a MariaDB and a Kafka broker of their own (temp dirs, free
# ports), stopped on exit:
#   1. bench_binlog: the binlog read path (mariadb-binlog, BinlogClient, + row decoder), CPU/row;
#   2. bench_mysql: the connector through the real TaskRunner against the source and sink ceilings.
#   tests/bench/run_mysql.sh [BUILD_DIR=build] [ROWS=1000000] [CASES]
# CASES (default "binlog:5 binlog:30 stream:5:on stream:5:off stream:30:on stream:30:off
# snapshot:5:on snapshot:30:off rss:1000"); wide cases use a fifth of the rows (events of ~10 KB).
# rss:TXN: the worker binary's peak RSS (sampled from /proc every 100 ms) while it streams ROWS
# narrow changes (schemas on) inserted in TXN-row transactions after it started; rss:ROWS is one
# transaction (e.g. tests/bench/run_mysql.sh build 10000000 rss:10000000). REPS=N: bench_mysql runs N
# pairs of (librdkafka alone, pipeline) per case and prints the median of their ratios.
# instr:COLS:on|off: instructions per event (valgrind's callgrind) of the connector and the
# JsonConverter alone, INSTR_ROWS changes (default 50000): the reader thread (binlog decoding and
# the records), the conversion, and the rest of the task thread (the records freed); for A/B
# comparisons of two builds, where CPU time on a shared 2-core VM spreads by up to 2x.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
rows="${2:-1000000}"
cases="${3:-binlog:5 binlog:30 stream:5:on stream:5:off stream:30:on stream:30:off snapshot:5:on snapshot:30:off rss:1000}"
# shellcheck source=lib.sh
. "$root/tests/bench/lib.sh"
mdir="$(mktemp -d /tmp/tributary-bench-mariadb.XXXXXX)"
kdir=""
wdir="$(mktemp -d /tmp/tributary-bench-worker.XXXXXX)"
mport="$(free_port)"
cleanup() {
  [ -f "$wdir/pid" ] && kill "$(cat "$wdir/pid")" 2>/dev/null || true
  rm -rf "$wdir"
  "$root/tests/env/mariadb.sh" stop "$mdir" || true
  [ -n "$kdir" ] && { "$root/tests/env/kafka.sh" stop "$kdir" || true; rm -rf "$kdir"; }
  rm -rf "$mdir"
}
trap cleanup EXIT
"$root/tests/env/mariadb.sh" start "$mdir" "$mport" >/dev/null
if [[ " $cases " == *" stream:"* || " $cases " == *" snapshot:"* || " $cases " == *" rss:"* ||
  " $cases " == *" instr:"* ]]; then
  kdir="$(mktemp -d /dev/shm/tributary-bench-kafka.XXXXXX)"
  kport="$(free_port)"
  bench_kafka_start "$kdir" "$kport"
fi
for c in $cases; do
  IFS=: read -r mode cols schemas <<<"$c"
  n="$rows"
  [ "$cols" -ge 30 ] && [ "$mode" != binlog ] && n=$((rows / 5))
  if [ "$mode" = binlog ]; then
    "$build/tests/bench/bench_binlog" "127.0.0.1:$mport" "$rows" "$cols"
  elif [ "$mode" = rss ]; then
    txn="$cols"
    sql=(mariadb --protocol=TCP -h 127.0.0.1 -P "$mport" -uroot)
    "${sql[@]}" -e "DROP DATABASE IF EXISTS rss; CREATE DATABASE rss; CREATE TABLE rss.t (id BIGINT PRIMARY KEY, i INT NOT NULL, s VARCHAR(64) NOT NULL, d DATETIME(6) NOT NULL, n DECIMAL(12,2) NOT NULL)"
    rss_worker_start "$wdir" "127.0.0.1:$kport" "{\"name\":\"rss\",\"config\":{\"connector.class\":\"MySqlConnector\",\"database.hostname\":\"127.0.0.1\",\"database.port\":\"$mport\",\"database.user\":\"root\",\"database.server.id\":\"7201\",\"database.include.list\":\"rss\",\"topic.prefix\":\"rss\",\"snapshot.mode\":\"no_data\",\"schema.history.internal.kafka.bootstrap.servers\":\"127.0.0.1:$kport\",\"schema.history.internal.kafka.topic\":\"rss-history\"}}"
    sleep 3
    # The changes, committed while the worker runs (it streams each transaction after its commit).
    # (on stdin: a million small transactions are more text than one argument may hold)
    for ((lo = 1; lo <= rows; lo += txn)); do
      hi=$((lo + txn - 1)); [ $hi -gt "$rows" ] && hi=$rows
      echo "INSERT INTO rss.t SELECT seq, seq % 100000, concat('value of row ', seq), timestamp '2024-01-01 00:00:00' + interval seq second, (seq % 1000000) / 100 FROM seq_${lo}_to_${hi};"
    done >"$wdir/load.sql"
    "${sql[@]}" --init-command="SET SESSION max_statement_time = 0" rss <"$wdir/load.sql" &
    loader=$!
    rss_sample "$rows" "$loader"
    echo "== worker binary: $rows narrow changes (schemas on, $txn per transaction) in $rss_seconds s from the first insert; peak RSS $rss_peak_mb MB (goal <= 64 MB)"
    kill "$rss_pid"; wait "$rss_pid" 2>/dev/null || true; rm -f "$wdir/pid"
  elif [ "$mode" = instr ]; then
    # Instructions per event under callgrind: a count that repeats to the last digit between runs
    # of one build, so an A/B of two builds shows a 2 % change that CPU time on this VM cannot.
    command -v valgrind >/dev/null || { echo "instr: needs valgrind (deploy/install-deps.sh)" >&2; exit 1; }
    n="${INSTR_ROWS:-50000}"
    BENCH_CAPTURE_ONLY=1 valgrind --tool=callgrind --separate-threads=no \
      --callgrind-out-file="$wdir/callgrind.out" "$build/tests/bench/bench_mysql" \
      "127.0.0.1:$kport" "127.0.0.1:$mport" stream "$n" "$cols" "$schemas" >"$wdir/instr.log" 2>&1 ||
      { cat "$wdir/instr.log" >&2; exit 1; }
    callgrind_annotate --inclusive=yes "$wdir/callgrind.out" >"$wdir/instr.txt" 2>/dev/null
    python3 "$root/tests/bench/instr_summary.py" "$wdir/instr.txt" "$n" "$cols" "$schemas"
    rm -f "$wdir/callgrind.out" "$wdir/instr.txt" "$wdir/instr.log"
  else
    "$build/tests/bench/bench_mysql" "127.0.0.1:$kport" "127.0.0.1:$mport" "$mode" "$n" "$cols" \
      "$schemas" "${REPS:-1}" 2>/dev/null | grep -v '^20[0-9][0-9]-'
  fi
done
