#!/usr/bin/env bash
# Regenerates tests/golden/transforms/out/*.out by running the real Kafka 3.9.0 transforms (and
# Debezium 2.7.4's, from the jars tests/golden/postgres/pom.xml fetches) on cases.json.
# Needs a JDK and Maven for the first fetch. Run from anywhere:
#   tests/golden/transforms/gen.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
kafka_lib="$("$repo/deploy/kafka/fetch.sh")"
dbz_lib="$("$repo/tests/golden/fetch_debezium.sh" postgres)"
dbz_version="$(basename "$(dirname "$(dirname "$dbz_lib")")")"
# Kafka's jars first: Debezium's plugin folder brings its own Jackson.
cp="$kafka_lib/*:$dbz_lib/debezium-core-$dbz_version.jar:$dbz_lib/debezium-api-$dbz_version.jar"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -encoding UTF-8 -nowarn -d "$classes" -cp "$cp" "$here/GenTransforms.java"
rm -f "$here"/out/*.out
java -Duser.timezone=UTC -cp "$classes:$cp" GenTransforms "$here" 2> >(grep -v "^log4j:WARN" >&2)
echo "java: $(java -version 2>&1 | head -1)"
