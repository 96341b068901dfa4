#!/usr/bin/env bash
# Creates (once) a virtualenv with the Python clients the end-to-end tests use, from PyPI.
#   tests/env/python.sh VENV_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:?usage: python.sh VENV_DIR}"
req="$here/../e2e/requirements.txt"
stamp="$venv/.req-$(sha1sum "$req" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
echo "$venv"
