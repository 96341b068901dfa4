#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs each for a bounded
# time from its seed corpus (tests/fuzz/corpus/<name>, copied: the repository is never written).
# Fails when any fuzzer finds a crash, a leak, a timeout or an out-of-memory; the reproducer is
# left in <build>/fuzz-out/<name>/ and printed.
#   tests/fuzz/run.sh [BUILD_DIR] [SECONDS_EACH]     (defaults: build-fuzz, $FUZZ_SECONDS or 30)
# The long runs whose figures the notes give use the same script with a larger SECONDS_EACH.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-fuzz}"
secs="${2:-${FUZZ_SECONDS:-30}}"
jobs="${TRIBUTARY_JOBS:-2}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTRIBUTARY_FUZZ=ON -DTRIBUTARY_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
targets=()
for src in "$root"/tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
ninja -C "$build" -j "$jobs" "${targets[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
  out="$build/fuzz-out/$t"
  rm -rf "$out"
  mkdir -p "$out/corpus"
  cp "$root/tests/fuzz/corpus/$t/"* "$out/corpus/" 2>/dev/null || true
  log="$out/fuzz.log"
  if "$build/fuzz/$t" "$out/corpus" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -artifact_prefix="$out/" -print_final_stats=1 > "$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz: $t ok — ${execs:-?} executions in ${secs}s, $cov, 0 crashes"
  else
    failed=1
    echo "fuzz: $t FAILED — reproducer(s): $(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null | tr '\n' ' ')"
    grep -E "ERROR|SUMMARY|==[0-9]+==|#[0-9]+ 0x" "$log" | head -40
  fi
done
exit $failed
