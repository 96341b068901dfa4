#!/usr/bin/env bash
# The MySQL / MariaDB benchmarks against a MariaDB and a Kafka broker of their own (temp dirs, free
# ports), stopped on exit:
#   1. bench_binlog: the binlog read path (mariadb-binlog, BinlogClient, + row decoder), CPU/row;
#   2. bench_mysql: the connector through the real TaskRunner against the source and sink ceilings.
#   tests/bench/run_mysql.sh [BUILD_DIR=build] [ROWS=1000000] [CASES]
# CASES (default "binlog:5 binlog:30 stream:5:on stream:5:off stream:30:on stream:30:off
# snapshot:5:on snapshot:30:off"); wide cases use a fifth of the rows (events of ~10 KB).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
rows="${2:-1000000}"
cases="${3:-binlog:5 binlog:30 stream:5:on stream:5:off stream:30:on stream:30:off snapshot:5:on snapshot:30:off}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mdir="$(mktemp -d /tmp/tributary-bench-mariadb.XXXXXX)"
kdir=""
mport="$(free_port)"
cleanup() {
  "$root/tests/env/mariadb.sh" stop "$mdir" || true
  [ -n "$kdir" ] && { "$root/tests/env/kafka.sh" stop "$kdir" || true; rm -rf "$kdir"; }
  rm -rf "$mdir"
}
trap cleanup EXIT
"$root/tests/env/mariadb.sh" start "$mdir" "$mport" >/dev/null
if [[ " $cases " == *" stream:"* || " $cases " == *" snapshot:"* ]]; then
  kdir="$(mktemp -d /dev/shm/tributary-bench-kafka.XXXXXX)"
  kport="$(free_port)"
  KAFKA_EXTRA_PROPS="file.delete.delay.ms=0
log.retention.bytes=2147483648
log.segment.bytes=268435456
log.retention.check.interval.ms=5000" KAFKA_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC" \
    "$root/tests/env/kafka.sh" start "$kdir" "$kport" >/dev/null
fi
for c in $cases; do
  IFS=: read -r mode cols schemas <<<"$c"
  n="$rows"
  [ "$cols" -ge 30 ] && [ "$mode" != binlog ] && n=$((rows / 5))
  if [ "$mode" = binlog ]; then
    "$build/tests/bench/bench_binlog" "127.0.0.1:$mport" "$rows" "$cols"
  else
    "$build/tests/bench/bench_mysql" "127.0.0.1:$kport" "127.0.0.1:$mport" "$mode" "$n" "$cols" \
      "$schemas" 2>/dev/null | grep -v '^20[0-9][0-9]-'
  fi
done
