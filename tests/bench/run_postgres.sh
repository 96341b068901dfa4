#!/usr/bin/env bash
# Runs bench_postgres against a PostgreSQL and a Kafka broker of its own and prints the figures.
#   tests/bench/run_postgres.sh [BUILD_DIR=build] [ROWS=1000000] [REPS=1] [CASES]
# CASES (default all): space-separated MODE:COLS:SCHEMAS, e.g. "stream:5:on snapshot:30:off
# latency:5:on stream:5:avro"; "none" runs only the RSS measurement. SCHEMAS is on / off
# (JsonConverter with schemas.enable true / false) or avro (AvroConverter for key and value): when
# a case uses avro, a schema registry of its own is started (tests/env/registry.sh, in a temp dir
# on a free port, stopped on exit) and its URL passed in BENCH_REGISTRY. Each case prints its
# average key and value bytes per event and the bytes/s of the sink ceiling and of tributary.
# The broker's logs live on tmpfs (topics are deleted after each run); the
# PostgreSQL cluster lives in a temp dir. Also prints the worker binary's peak RSS while it
# streams ROWS narrow changes (schemas on), sampled from /proc every 100 ms; RSS_ONE_TXN=1 makes
# them one transaction (e.g. ten million rows: tests/bench/run_postgres.sh build 10000000 1 none).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
rows="${2:-1000000}"
reps="${3:-1}"
cases="${4:-stream:5:on stream:5:off stream:30:on stream:30:off snapshot:5:on snapshot:30:off latency:5:on}"
# shellcheck source=lib.sh
. "$root/tests/bench/lib.sh"
kdir="$(mktemp -d /dev/shm/tributary-bench-kafka.XXXXXX)"
pdir="$(mktemp -d /tmp/tributary-bench-pg.XXXXXX)"
wdir="$(mktemp -d /tmp/tributary-bench-worker.XXXXXX)"
rdir=""
kport="$(free_port)"
pport="$(free_port)"
cleanup() {
  [ -f "$wdir/pid" ] && kill "$(cat "$wdir/pid")" 2>/dev/null || true
  "$root/tests/env/kafka.sh" stop "$kdir" || true
  "$root/tests/env/postgres.sh" stop "$pdir" || true
  if [ -n "$rdir" ]; then "$root/tests/env/registry.sh" stop "$rdir" || true; fi
  rm -rf "$kdir" "$pdir" "$wdir" ${rdir:+"$rdir"}
}
trap cleanup EXIT
# A schema registry only when some case writes Avro.
if [[ " $cases " == *:avro\ * ]]; then
  rdir="$(mktemp -d /tmp/tributary-bench-registry.XXXXXX)"
  regport="$(free_port)"
  "$root/tests/env/registry.sh" start "$rdir" "$regport" >/dev/null
  export BENCH_REGISTRY="http://127.0.0.1:$regport/apis/ccompat/v7"
fi
bench_kafka_start "$kdir" "$kport"
# synchronous_commit on (the tests' clusters turn it off): a walsender only sends WAL that is
# flushed, so with it off each change waits for the WAL writer (wal_writer_delay, 200 ms).
PG_EXTRA_CONF="max_wal_size = 4GB
logical_decoding_work_mem = 256MB
synchronous_commit = on" "$root/tests/env/postgres.sh" start "$pdir" "$pport" >/dev/null

for c in $cases; do
  IFS=: read -r mode cols schemas <<<"$c"
  [ "$mode" = none ] && continue
  n="$rows"
  # Wide events with schemas are ~10 KB each: a fifth of the rows keeps the broker's tmpfs small.
  [ "$cols" -ge 30 ] && n=$((rows / 5))
  [ "$mode" = latency ] && n=$((rows / 5))
  echo "== $mode cols=$cols schemas=$schemas rows=$n"
  "$build/tests/bench/bench_postgres" "127.0.0.1:$kport" "127.0.0.1:$pport" "$mode" "$n" \
    "$cols" "$schemas" "$reps" 2>/dev/null | grep -v '^20[0-9][0-9]-'
done

# Peak RSS of the real worker binary while it streams ROWS narrow changes.
psql=("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h 127.0.0.1 -p "$pport" -U postgres -qAt -d tributary_bench)
"${psql[0]}" -h 127.0.0.1 -p "$pport" -U postgres -qAt -d postgres -c "CREATE DATABASE tributary_bench" >/dev/null 2>&1 || true
"${psql[@]}" -c "DROP PUBLICATION IF EXISTS bench_pub" -c "DROP TABLE IF EXISTS t" \
  -c "CREATE TABLE t (id bigint PRIMARY KEY, c1 integer NOT NULL, c2 text NOT NULL, c3 timestamptz NOT NULL, c4 numeric(12,2) NOT NULL)" \
  -c "CREATE PUBLICATION bench_pub FOR TABLE t" \
  -c "SELECT pg_create_logical_replication_slot('bench_rss', 'pgoutput')" \
  >/dev/null
# RSS_ONE_TXN=1: all ROWS changes in a single transaction (bounded memory for huge transactions).
txn="${RSS_ONE_TXN:+$rows}"
txn="${txn:-1000}"
"${psql[@]}" -c "DO \$\$ BEGIN FOR b IN 0..$((rows / txn - 1)) LOOP INSERT INTO t SELECT g, (g % 100000)::integer, 'value of row ' || g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', (g % 1000000) / 100.0 FROM generate_series(b * $txn + 1, b * $txn + $txn) g; COMMIT; END LOOP; END \$\$" >/dev/null
rss_worker_start "$wdir" "127.0.0.1:$kport" "{\"name\":\"rss\",\"config\":{\"connector.class\":\"PostgresConnector\",\"database.hostname\":\"127.0.0.1\",\"database.port\":\"$pport\",\"database.user\":\"postgres\",\"database.dbname\":\"tributary_bench\",\"topic.prefix\":\"rss\",\"slot.name\":\"bench_rss\",\"publication.name\":\"bench_pub\",\"publication.autocreate.mode\":\"disabled\",\"snapshot.mode\":\"no_data\"}}"
rss_sample "$rows"
echo "== worker binary: $rows narrow changes (schemas on, $txn per transaction) in $rss_seconds s; peak RSS $rss_peak_mb MB (goal <= 64 MB)"
