#!/usr/bin/env bash
# The whole test suite, as CI runs it, and on a fresh Debian machine too: installs the Debian
# packages it needs (deploy/install-deps.sh; Kafka and the schema registry come from Maven Central
# through tests/env), builds, starts a real Kafka broker (KRaft), a real PostgreSQL
# (wal_level=logical), a real Confluent-API schema registry (Apicurio Registry, built once by
# tests/env/registry.sh) and a real MariaDB 10.11 (row-based binlog) on free loopback ports in
# directories this script owns, runs unit +
# integration (ctest) and end-to-end (pytest + curl against the real binary) tests, checks the
# generated config reference and formatting, builds Release (warnings are errors), then builds the
# unit and integration tests and the binary again under ASan + UBSan and runs them (the REST
# end-to-end tests against the sanitized binary), the unit and integration tests under
# ThreadSanitizer, and each libFuzzer target for a bounded time (tests/fuzz/run.sh). Stops the
# servers on exit. Fails when any test fails.
#   TRIBUTARY_SKIP_SANITIZE=1  skip the sanitizer pass (quicker local runs)
#   TRIBUTARY_SKIP_RELEASE=1   skip the Release build
#   TRIBUTARY_SKIP_TSAN=1      skip the ThreadSanitizer build and its tests
#   TRIBUTARY_SKIP_FUZZ=1      skip the fuzzers; FUZZ_SECONDS (20) sets each one's time
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${TRIBUTARY_BUILD_DIR:-$root/build}"
jobs="${TRIBUTARY_JOBS:-2}"
envdir="$build/test-env"

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies (Debian packages; skipped when present)"
bash "$root/deploy/install-deps.sh"
# ccache (installed above) keeps rebuilds of unchanged files cheap, also across clones in other
# folders (paths under $root are hashed relative to it).
cmake_launcher=()
if command -v ccache >/dev/null; then
  cmake_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
fi

step "build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_launcher[@]}" \
      >/dev/null
ninja -C "$build" -j "$jobs"

step "generated config reference is current; formatting"
tests/check-docs.sh "$build"
tests/check-format.sh

step "python test dependencies"
tests/env/python.sh "$build/venv" >/dev/null
py="$build/venv/bin/python"

step "start Kafka, PostgreSQL, the schema registry and MariaDB"
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
kport="$(free_port)"
rm -rf "$envdir/kafka"
mkdir -p "$envdir"
cleanup() {
  "$root/tests/env/kafka.sh" stop "$envdir/kafka" || true
  "$root/tests/env/postgres.sh" stop "$envdir/postgres" || true
  "$root/tests/env/registry.sh" stop "$envdir/registry" || true
  "$root/tests/env/mariadb.sh" stop "$envdir/mariadb" || true
}
trap cleanup EXIT
tests/env/kafka.sh start "$envdir/kafka" "$kport"
export TRIBUTARY_TEST_BOOTSTRAP="127.0.0.1:$kport"
pport="$(free_port)"
rm -rf "$envdir/postgres"
tests/env/postgres.sh start "$envdir/postgres" "$pport"
export TRIBUTARY_TEST_PG="127.0.0.1:$pport"
rport="$(free_port)"
rm -rf "$envdir/registry"
tests/env/registry.sh start "$envdir/registry" "$rport"
export TRIBUTARY_TEST_REGISTRY="http://127.0.0.1:$rport/apis/ccompat/v7"
mport="$(free_port)"
rm -rf "$envdir/mariadb"
tests/env/mariadb.sh start "$envdir/mariadb" "$mport"
export TRIBUTARY_TEST_MARIADB="127.0.0.1:$mport"
export TRIBUTARY_BIN="$build/bin/tributary"
export TRIBUTARY_PLUGIN_DIR="$build/plugins"

step "unit and integration tests (ctest)"
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 300

step "end-to-end tests (pytest)"
"$py" -m pytest -q tests/e2e -p no:cacheprovider --timeout=600

if [ "${TRIBUTARY_SKIP_RELEASE:-0}" != "1" ]; then
  step "Release build (what packagers build; warnings are errors)"
  cmake -S "$root" -B "$build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DTRIBUTARY_BUILD_BENCH=OFF "${cmake_launcher[@]}" >/dev/null
  ninja -C "$build-release" -j "$jobs"
fi

if [ "${TRIBUTARY_SKIP_SANITIZE:-0}" != "1" ]; then
  step "sanitizer build (ASan + UBSan): unit and integration tests"
  asan="$build-asan"
  cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRIBUTARY_SANITIZE=ON \
        -DTRIBUTARY_BUILD_BENCH=OFF "${cmake_launcher[@]}" >/dev/null
  ninja -C "$asan" -j "$jobs"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir "$asan" --output-on-failure -j "$jobs" --timeout 600
  step "sanitizer build: REST end-to-end tests against the ASan + UBSan binary"
  TRIBUTARY_BIN="$asan/bin/tributary" TRIBUTARY_PLUGIN_DIR="$asan/plugins" \
    "$py" -m pytest -q tests/e2e/test_rest.py tests/e2e/test_plugins.py -p no:cacheprovider \
    --timeout=600
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

if [ "${TRIBUTARY_SKIP_TSAN:-0}" != "1" ]; then
  step "ThreadSanitizer build: unit and integration tests"
  tsan="$build-tsan"
  # clang: GCC 12 refuses Asio's std::atomic_thread_fence under -fsanitize=thread (-Wtsan).
  cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRIBUTARY_TSAN=ON \
        -DCMAKE_CXX_COMPILER=clang++ \
        -DTRIBUTARY_BUILD_BENCH=OFF "${cmake_launcher[@]}" >/dev/null
  ninja -C "$tsan" -j "$jobs"
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp" \
    ctest --test-dir "$tsan" --output-on-failure -j "$jobs" --timeout 600
fi

if [ "${TRIBUTARY_SKIP_FUZZ:-0}" != "1" ]; then
  step "fuzzers (libFuzzer + ASan + UBSan), ${FUZZ_SECONDS:-20} s each from the seed corpus"
  FUZZ_SECONDS="${FUZZ_SECONDS:-20}" tests/fuzz/run.sh "$build-fuzz"
fi
step "all tests passed"
