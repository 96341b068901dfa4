#!/usr/bin/env bash
# Fetches a real Apache Kafka broker (kafka_2.13, KRaft) and its dependencies from Maven Central into
# a cached lib dir. Prints the lib dir. Cache: $TRIBUTARY_KAFKA_HOME (default ~/.cache/tributary/kafka).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
home="${TRIBUTARY_KAFKA_HOME:-$HOME/.cache/tributary/kafka}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
lib="$home/$version/lib"
if [ ! -f "$lib/.complete" ]; then
  mkdir -p "$lib"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$lib" -DincludeScope=runtime >&2
  touch "$lib/.complete"
fi
echo "$lib"
