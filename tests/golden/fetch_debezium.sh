#!/usr/bin/env bash
# Fetches a real Debezium connector and its runtime jars from Maven Central, once, and prints its
# plugin directory (a Kafka Connect plugin.path entry is the directory above it):
#   tests/golden/fetch_debezium.sh mysql|mariadb|postgres
# The jars come from tests/golden/<NAME>/pom.xml (Kafka's own jars excluded) into
# $TRIBUTARY_DEBEZIUM_HOME/<debezium version>/plugins/debezium-connector-<NAME>
# (default ~/.cache/tributary/debezium), with a .complete marker of its own inside.
# Used by the golden generators and tests/bench/debezium_mysql/run.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${1:?usage: fetch_debezium.sh mysql|mariadb|postgres}"
pom="$here/$name/pom.xml"
[ -f "$pom" ] || { echo "fetch_debezium.sh: no $pom" >&2; exit 2; }
version="$(sed -n 's:.*<debezium.version>\(.*\)</debezium.version>.*:\1:p' "$pom")"
dir="${TRIBUTARY_DEBEZIUM_HOME:-$HOME/.cache/tributary/debezium}/$version/plugins/debezium-connector-$name"
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$dir" \
      -DincludeScope=runtime >&2
  touch "$dir/.complete"
fi
echo "$dir"
