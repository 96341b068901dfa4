#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build, start a local Kafka broker (KRaft,
# from Maven Central) and the Tributary worker, register a connector over REST and show its events
# arriving in Kafka. Everything runs on loopback; state lives in ./run. Stop with Ctrl-C (the
# broker and worker are stopped on exit).
#   KAFKA_PORT (9092)  REST_PORT (8083)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
kport="${KAFKA_PORT:-9092}"
rport="${REST_PORT:-8083}"
run="$root/run"

echo "==> installing dependencies (Debian packages)"
bash deploy/install-deps.sh
echo "==> building"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j "$(nproc)" tributary tributary-generator

mkdir -p "$run"
cleanup() {
  [ -n "${wpid:-}" ] && kill "$wpid" 2>/dev/null && wait "$wpid" 2>/dev/null
  tests/env/kafka.sh stop "$run/kafka" || true
}
trap cleanup EXIT
echo "==> starting Kafka on 127.0.0.1:$kport"
tests/env/kafka.sh start "$run/kafka" "$kport"

sed -e "s|^bootstrap.servers=.*|bootstrap.servers=127.0.0.1:$kport|" \
    -e "s|^listeners=.*|listeners=http://127.0.0.1:$rport|" \
    -e "s|^plugin.path=.*|plugin.path=$root/build/plugins|" \
    -e "s|^offset.storage.file.filename=.*|offset.storage.file.filename=$run/connect.offsets|" \
    deploy/worker.properties > "$run/worker.properties"
echo "==> starting the worker (REST on http://127.0.0.1:$rport, log in run/worker.log)"
build/bin/tributary standalone "$run/worker.properties" > "$run/worker.log" 2>&1 &
wpid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$rport/health" >/dev/null && break; sleep 0.1; done

echo "==> registering the connector: POST /connectors"
curl -s -X DELETE "http://127.0.0.1:$rport/connectors/quickstart-generator" >/dev/null || true
curl -s -X POST -H 'Content-Type: application/json' --data @deploy/connectors/generator.json \
  "http://127.0.0.1:$rport/connectors"
echo
sleep 2
echo "==> GET /connectors/quickstart-generator/status"
curl -s "http://127.0.0.1:$rport/connectors/quickstart-generator/status"
echo
echo "==> the first 5 events in topic quickstart.rows"
kcat -b "127.0.0.1:$kport" -t quickstart.rows -C -o beginning -c 5 -e -q
echo
echo "==> events in the topic so far: $(kcat -b "127.0.0.1:$kport" -t quickstart.rows -C -o beginning -e -q | wc -l)"
if [ "${QUICKSTART_EXIT:-0}" = "1" ]; then exit 0; fi
echo "==> worker and broker keep running; Ctrl-C stops both"
wait "$wpid"
