#!/usr/bin/env bash
# Runs bench_pipeline against a broker of its own (fresh log dir; topics deleted at once after
# each run so the page cache never has to write gigabytes back) and prints the figures.
#   tests/bench/run_pipeline.sh [BUILD_DIR=build] [ROWS=500000] [FIELDS=5] [REPS=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
# The broker logs live on tmpfs: no disk writeback noise (topics are deleted after each run).
dir="$(mktemp -d /dev/shm/tributary-bench-kafka.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
trap '"$root/tests/env/kafka.sh" stop "$dir"; rm -rf "$dir"' EXIT
KAFKA_EXTRA_PROPS="log.segment.delete.delay.ms=0" KAFKA_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC" \
  "$root/tests/env/kafka.sh" start "$dir" "$port" >/dev/null
BENCH_BROKER_PID="$(cat "$dir/kafka.pid")" \
  "$build/tests/bench/bench_pipeline" "127.0.0.1:$port" "${2:-500000}" "${3:-5}" "${4:-5}" 2>/dev/null
