#!/usr/bin/env bash
# Runs bench_binlog against a MariaDB of its own (tests/env/mariadb.sh, temp dir, free port) and
# prints the figures: the binlog of ROWS inserts (1000-row transactions) drained by mariadb-binlog,
# by BinlogClient alone and by BinlogClient + the row decoder, CPU per row.
#   tests/bench/run_mysql.sh [BUILD_DIR=build] [ROWS=1000000] [COLS="5 30"]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
rows="${2:-1000000}"
cols="${3:-5 30}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mdir="$(mktemp -d /tmp/tributary-bench-mariadb.XXXXXX)"
mport="$(free_port)"
cleanup() {
  "$root/tests/env/mariadb.sh" stop "$mdir" || true
  rm -rf "$mdir"
}
trap cleanup EXIT
"$root/tests/env/mariadb.sh" start "$mdir" "$mport" >/dev/null
for c in $cols; do
  "$build/tests/bench/bench_binlog" "127.0.0.1:$mport" "$rows" "$c"
done
