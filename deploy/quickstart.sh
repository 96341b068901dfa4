#!/usr/bin/env bash
# The main job on a fresh Debian machine, in one command: install dependencies, build, start
# Debian's PostgreSQL (wal_level=logical) and a real Kafka broker (KRaft, from Maven Central) on
# loopback, create the seed lesson's `inventory` database and `orders` table, start the worker,
# POST the lesson's connector JSON (section 3.1, deploy/connectors/inventory-connector.json), then
# INSERT, UPDATE and DELETE a row and show each Debezium event arriving in Kafka (op c, u, d and
# the tombstone), the connector's status and a line of /metrics.
#
#   deploy/quickstart.sh              the PostgreSQL pipeline (the main job)
#   deploy/quickstart.sh --generator  the generator demo: no database, synthetic rows
#
# State lives in QUICKSTART_DIR (./run). Ctrl-C stops the worker, the broker and PostgreSQL.
#   KAFKA_PORT (9092)  PG_PORT (5433)  REST_PORT (8083)
#   QUICKSTART_EXIT=1  stop everything after showing the events (used by the tests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode=postgres
[ "${1:-}" = "--generator" ] && mode=generator
kport="${KAFKA_PORT:-9092}"
pport="${PG_PORT:-5433}"
rport="${REST_PORT:-8083}"
run="${QUICKSTART_DIR:-$root/run}"
rest="http://127.0.0.1:$rport"

echo "==> installing dependencies (Debian packages)"
bash deploy/install-deps.sh
echo "==> building"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j "$(nproc)" tributary tributary-generator tributary-postgres tributary-transforms

mkdir -p "$run"
run="$(cd "$run" && pwd)"
# PostgreSQL runs as user postgres when we are root: its directory must be reachable by that user
# (a checkout under /root is not), else it goes under /tmp.
pgdir="$run/postgres"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$run" 2>/dev/null; then
  pgdir="$(mktemp -d /tmp/tributary-quickstart-pg.XXXXXX)"
  chmod 755 "$pgdir"
fi
cleanup() {
  [ -n "${wpid:-}" ] && kill "$wpid" 2>/dev/null && wait "$wpid" 2>/dev/null
  tests/env/kafka.sh stop "$run/kafka" || true
  if [ "$mode" = postgres ]; then tests/env/postgres.sh stop "$pgdir" || true; fi
  case "$pgdir" in /tmp/tributary-quickstart-pg.*) rm -rf "$pgdir" ;; esac
}
trap cleanup EXIT
echo "==> starting Kafka on 127.0.0.1:$kport"
tests/env/kafka.sh start "$run/kafka" "$kport"

psql_as() {  # psql_as USER SQL: a statement on the inventory database
  PGPASSWORD=dbz_password PGOPTIONS="-c client_min_messages=warning" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -X -q \
    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pport" -U "$1" -d inventory -c "$2"
}
if [ "$mode" = postgres ]; then
  echo "==> starting PostgreSQL on 127.0.0.1:$pport (wal_level=logical)"
  tests/env/postgres.sh start "$pgdir" "$pport"
  echo "==> the seed's orders table in database inventory (Exercise 1)"
  psql_as debezium "DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers;
    $(cat deploy/sql/orders.sql)
    CREATE TABLE customers (id SERIAL PRIMARY KEY, name VARCHAR(100));"
  # FOR ALL TABLES needs a superuser: the operator creates the publication once.
  psql_as postgres "DROP PUBLICATION IF EXISTS dbz_publication;
    CREATE PUBLICATION dbz_publication FOR ALL TABLES;
    SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
     WHERE slot_name = 'debezium_slot' AND NOT active;" >/dev/null
fi

sed -e "s|^bootstrap.servers=.*|bootstrap.servers=127.0.0.1:$kport|" \
    -e "s|^listeners=.*|listeners=http://127.0.0.1:$rport|" \
    -e "s|^plugin.path=.*|plugin.path=$root/build/plugins|" \
    -e "s|^offset.storage.file.filename=.*|offset.storage.file.filename=$run/connect.offsets|" \
    deploy/worker.properties > "$run/worker.properties"
rm -f "$run/connect.offsets" "$run/connect.offsets.connectors.json"
echo "==> starting the worker (REST on $rest, log in $run/worker.log)"
build/bin/tributary standalone "$run/worker.properties" > "$run/worker.log" 2>&1 &
wpid=$!
for _ in $(seq 1 300); do curl -sf "$rest/health" >/dev/null && break; sleep 0.1; done

wait_running() {  # wait_running NAME: until the connector and its task are RUNNING
  for _ in $(seq 1 300); do
    s="$(curl -s "$rest/connectors/$1/status")"
    case "$s" in *'"tasks":[{"id":0,"state":"RUNNING"'*) return 0 ;; esac
    sleep 0.2
  done
  echo "connector $1 did not reach RUNNING: $s" >&2
  tail -20 "$run/worker.log" >&2
  return 1
}

if [ "$mode" = generator ]; then
  echo "==> registering the connector: POST /connectors"
  curl -s -X POST -H 'Content-Type: application/json' --data @deploy/connectors/generator.json \
    "$rest/connectors"
  echo
  wait_running quickstart-generator
  sleep 2
  echo "==> GET /connectors/quickstart-generator/status"
  curl -s "$rest/connectors/quickstart-generator/status"
  echo
  echo "==> the first 5 events in topic quickstart.rows"
  kcat -b "127.0.0.1:$kport" -t quickstart.rows -C -o beginning -c 5 -e -q
  echo
else
  echo "==> POST /connectors with the seed's connector JSON (section 3.1)"
  # The lesson's JSON as it is, pointed at this machine's PostgreSQL instead of host "postgres".
  sed -e "s|\"database.hostname\": \"postgres\"|\"database.hostname\": \"127.0.0.1\"|" \
      -e "s|\"database.port\": \"5432\"|\"database.port\": \"$pport\"|" \
      deploy/connectors/inventory-connector.json > "$run/inventory-connector.json"
  curl -s -X POST -H 'Content-Type: application/json' --data @"$run/inventory-connector.json" \
    "$rest/connectors" | head -c 300
  echo " ..."
  wait_running inventory-connector
  # The task is RUNNING once the slot exists; changes made from here on are streamed.
  echo "==> INSERT, UPDATE and DELETE on orders"
  psql_as debezium "INSERT INTO orders (customer, amount, status) VALUES ('alice', 42.50, 'new')"
  psql_as debezium "UPDATE orders SET status = 'shipped' WHERE customer = 'alice'"
  psql_as debezium "DELETE FROM orders WHERE customer = 'alice'"
  echo "==> the events in topic dbserver1.public.orders (key | op, before, after)"
  # The worker creates the topic with its first event: wait for it rather than fail on its absence.
  for _ in $(seq 1 120); do
    kcat -b "127.0.0.1:$kport" -L -t dbserver1.public.orders 2>/dev/null |
      grep -q 'with [1-9][0-9]* partitions' && break
    sleep 0.5
  done
  timeout 60 kcat -b "127.0.0.1:$kport" -t dbserver1.public.orders -C -o beginning -c 4 -q \
       -f '%k\t%s\n' -Z | python3 -c '
import json, sys
for line in sys.stdin:
    key, _, value = line.rstrip("\n").partition("\t")
    if not value or value == "NULL":
        print(f"  key {key} | tombstone (null value): compaction drops the deleted row")
        continue
    p = json.loads(value)["payload"]
    op, before, after = p["op"], json.dumps(p["before"]), json.dumps(p["after"])
    print(f"  key {key} | op={op} before={before} after={after}")
'
  echo "==> GET /connectors/inventory-connector/status"
  curl -s "$rest/connectors/inventory-connector/status"
  echo
  sleep 1  # the task publishes its gauges once per poll
  echo "==> a line of GET /metrics"
  curl -s "$rest/metrics" | grep '^debezium_metrics_TotalNumberOfEventsSeen.*streaming' || true
fi
if [ "${QUICKSTART_EXIT:-0}" = "1" ]; then exit 0; fi
echo "==> worker, broker and database keep running; Ctrl-C stops them"
wait "$wpid"
