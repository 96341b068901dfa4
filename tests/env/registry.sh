#!/usr/bin/env bash
# Builds, starts or stops a Confluent-API-compatible schema registry on loopback: Apicurio Registry
# 2.4.2.Final (its ccompat API), storage in memory (H2), built from Maven Central by
# tests/env/registry/pom.xml.
#   tests/env/registry.sh build              -> builds once into the cache, prints the app dir
#   tests/env/registry.sh start DIR PORT     -> registry at http://127.0.0.1:PORT/apis/ccompat/v7
#   tests/env/registry.sh stop DIR
# start builds first if needed (about 50 s with an empty ~/.m2, 230 MB from Maven Central; 30 s
# with the jars already there), then starts in about 3 s. The build lands in $TRIBUTARY_REGISTRY_HOME
# (default ~/.cache/tributary/registry), in a dir named after a hash of tests/env/registry/, so an
# edit there rebuilds (the old dir, ~130 MB, stays). The pid is in DIR/registry.pid, the log in
# DIR/registry.log. Nothing is kept across restarts (in-memory storage).
# start sets the global compatibility (PUT /config) to REGISTRY_COMPATIBILITY: default NONE, and
# tests set each subject's level (PUT /config/{subject}) where it matters. Not Confluent's default
# (BACKWARD) because Apicurio 2.4.2 drops a subject-level NONE and then enforces the global level,
# so a subject could never be NONE under a global BACKWARD (Confluent: the subject level wins).
# REGISTRY_JVM_OPTS: JVM heap/GC options (default: a small heap with SerialGC, for tests).
# Known differences from Confluent's registry: GET /config/{subject} without a subject setting
# answers 200 {"compatibilityLevel":"NONE"} (Confluent: 404 40408), though the global level is
# what is enforced; a 409 (incompatible) body's error_code is 0 (Confluent: 409); a schema that
# differs from a registered one only in formatting gets a new id; a subject's level set before the
# subject has a version is shown by GET /config/{subject} but not enforced (set it after). The registry is NOT started with
# -Dregistry.ccompat.use-canonical-hash=true, which would answer that last difference: Apicurio
# 2.4.2 then serves every schema in its canonical form, which sorts the top-level record's fields
# by name -- a different Avro layout from the bytes written, and a text Java's Avro parser refuses
# when a sorted field uses a name defined in a later one (GET /schemas/ids/{id} answers 400).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage="usage: registry.sh build | start DIR PORT | stop DIR"
cmd="${1:?$usage}"

build() {
  local src="$here/registry" home version hash out lock
  home="${TRIBUTARY_REGISTRY_HOME:-$HOME/.cache/tributary/registry}"
  version="$(sed -n 's:.*<apicurio.version>\(.*\)</apicurio.version>.*:\1:p' "$src/pom.xml")"
  hash="$(cd "$src" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)"
  out="$home/$version-$hash"
  if [ ! -f "$out/.complete" ]; then
    mkdir -p "$home"
    lock="$home/.lock"
    # Two starts at once (parallel test runs) build once.
    exec 9>"$lock"
    flock 9
    if [ ! -f "$out/.complete" ]; then
      rm -rf "$out"
      echo "registry: building Apicurio Registry $version into $out (once)" >&2
      mkdir -p "$out"
      mvn -B -Dstyle.color=never -f "$src/pom.xml" -DskipDefault=true -Dregistry.target="$out/target" \
          -Dmaven.test.skip=true package > "$out/build.log" 2>&1 \
        || { echo "registry: build failed; end of $out/build.log follows" >&2
             tail -40 "$out/build.log" >&2; exit 1; }
      # Only the runnable app is kept (fast-jar: its paths are relative to quarkus-app/).
      mv "$out/target/quarkus-app" "$out/app"
      rm -rf "$out/target"
      touch "$out/.complete"
    fi
    exec 9>&-
  fi
  echo "$out/app"
}

case "$cmd" in
build)
  build
  ;;
start)
  dir="${2:?$usage}"
  port="${3:?$usage}"
  app="$(build)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  read -r -a jvm <<< "${REGISTRY_JVM_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
  # The app's %prod profile keeps 20..100 pooled H2 connections; a test needs a few.
  nohup java "${jvm[@]}" \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
      -Dquarkus.datasource.jdbc.initial-size=2 -Dquarkus.datasource.jdbc.min-size=2 \
      -jar "$app/quarkus-run.jar" > "$dir/registry.log" 2>&1 &
  echo $! > "$dir/registry.pid"
  url="http://127.0.0.1:$port/apis/ccompat/v7"
  for _ in $(seq 1 120); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/subjects" 2>/dev/null)" = 200 ]; then
      # (Apicurio's -Dregistry.rules.global.compatibility would enforce it too, but GET /config
      # would still answer NONE.)
      level="${REGISTRY_COMPATIBILITY:-NONE}"
      # NONE is Apicurio's default (no global rule), and setting it when no rule exists fails.
      [ "$level" = NONE ] || curl -sf -o /dev/null -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
           --data "{\"compatibility\":\"$level\"}" "$url/config" \
        || { echo "registry: could not set the global compatibility to $level" >&2; exit 1; }
      echo "registry: up at $url (pid $(cat "$dir/registry.pid"))"
      exit 0
    fi
    if ! kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
      echo "registry: exited during start; log follows" >&2
      tail -50 "$dir/registry.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "registry: did not answer within 60 s; log: $dir/registry.log" >&2
  exit 1
  ;;
stop)
  dir="${2:?$usage}"
  if [ -f "$dir/registry.pid" ]; then
    pid="$(cat "$dir/registry.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/registry.pid"
  fi
  ;;
*) echo "$usage" >&2; exit 2 ;;
esac
