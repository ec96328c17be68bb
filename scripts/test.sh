#!/usr/bin/env bash
# Sets up the dev venv, makes sure Debian chromium is there for the browser tests, runs pytest.
# Under CI=true a missing browser fails the run; pytest's "no tests collected" (exit 5) fails too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ "${CI:-}" = "true" ]; then bash scripts/chromium.sh required; else bash scripts/chromium.sh; fi
set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
exit $rc
