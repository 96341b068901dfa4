#!/usr/bin/env bash
# Fails when docs/CONFIG.md differs from what `tributary docs` generates from the code.
#   tests/check-docs.sh BUILD_DIR [--write]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: check-docs.sh BUILD_DIR [--write]}"
out="$(mktemp)"
"$build/bin/tributary" docs "$build/plugins" > "$out"
if [ "${2:-}" = "--write" ]; then
  mkdir -p "$root/docs"
  cp "$out" "$root/docs/CONFIG.md"
  echo "docs/CONFIG.md written"
elif ! diff -u "$root/docs/CONFIG.md" "$out"; then
  echo "docs/CONFIG.md is stale: run tests/check-docs.sh $build --write" >&2
  exit 1
fi
rm -f "$out"
