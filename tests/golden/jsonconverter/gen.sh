#!/usr/bin/env bash
# Regenerates the golden files under tests/golden/{jsonconverter,simpleheaderconverter,
# stringconverter} from Kafka's own converters (the jars deploy/kafka/fetch.sh downloads).
# Needs a JDK (javac, java) and Maven for the first fetch. Run from anywhere:
#   tests/golden/jsonconverter/gen.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
lib="$("$repo/deploy/kafka/fetch.sh")"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -encoding UTF-8 -nowarn -d "$classes" -cp "$lib/*" "$here/GenGolden.java"
# UTC: Kafka formats java.util.Date values in the JVM's default time zone.
java -Duser.timezone=UTC -cp "$classes:$lib/*" GenGolden "$repo/tests/golden" 2> >(grep -v "^log4j:WARN" >&2)
echo "java: $(java -version 2>&1 | head -1)"
