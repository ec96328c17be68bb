#!/usr/bin/env bash
# Idempotent set-up: venv, pinned requirements (re-installed when they change), demo database.
# Usage: scripts/setup.sh [requirements.txt|requirements-dev.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
REQ=${1:-requirements.txt}
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
STAMP=".venv/.stamp-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$REQ" .txt)"
if [ ! -f "$STAMP" ]; then
  echo "Installing $REQ into .venv ..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"   # not bin/pip: its shebang breaks in a moved venv
  touch "$STAMP"
fi
DB=${GN_DB:-data/gronanyckeltal.duckdb}
if [ ! -f "$DB" ]; then
  echo "Building the demo database $DB ..." >&2
  .venv/bin/python -m indicators init --demo --db "$DB"
fi
