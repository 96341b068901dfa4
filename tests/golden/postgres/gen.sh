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

# shellcheck source=../connect_lib.sh
. "$here/../connect_lib.sh"
golden_init postgres "$@"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
stop_db() { "$env_dir/postgres.sh" stop "$work/pg" || true; }

run_one() {
  local name="$1" cfg="$here/connector-$1.json" out="$here/$1"
  [ -f "$cfg" ] || fail "no $cfg"
  local t0=$SECONDS
  work="$(mktemp -d "/tmp/dbz-golden-$name-XXXXXX")"
  chmod 755 "$work"   # the server runs as "postgres" when we are root
  local pg_port
  pg_port="$(free_port)"; kafka_port="$(free_port_pair)"; rest_port="$(free_port)"
  echo "gen: [$name] postgres :$pg_port, kafka :$kafka_port, connect REST :$rest_port, scratch $work"

  PG_EXTRA_CONF="timezone = 'UTC'" "$env_dir/postgres.sh" start "$work/pg" "$pg_port" > /dev/null
  "$env_dir/kafka.sh" start "$work/kafka" "$kafka_port" > /dev/null
  "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d inventory -v ON_ERROR_STOP=1 \
      -f "$here/fixture.sql" > "$work/fixture.out" 2>&1 || { cat "$work/fixture.out" >&2; fail "fixture.sql failed"; }

  sed "s/@PG_PORT@/$pg_port/" "$cfg" > "$work/connector.json"

  start_connect

  wait_log "Processing messages" 180          # the snapshot has ended and streaming has begun
  echo "gen: [$name] snapshot done after $((SECONDS - t0)) s; running changes.sql"
  PGPASSWORD=dbz_password "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U debezium -d inventory \
      -v ON_ERROR_STOP=1 -f "$here/changes.sql" > "$work/changes.out" 2>&1 \
      || { cat "$work/changes.out" >&2; fail "changes.sql failed"; }
  grep -E 'NOTICE' "$work/changes.out" | sed "s/^/gen: [$name] psql: /" || true
  finish_run "$name" "$out" "$t0" dbserver1.public.zz_end_marker
}

for n in "${names[@]}"; do run_one "$n"; done
echo "gen: all done in $((SECONDS - start_s)) s (Debezium $dbz_version, Kafka Connect $(basename "$(dirname "$kafka_lib")"))"
