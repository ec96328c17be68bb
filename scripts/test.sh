#!/usr/bin/env bash
# Sets up the dev venv, makes sure Debian chromium is there for the browser tests, runs pytest.
# Under CI=true a missing browser fails the run; pytest's "no tests collected" (exit 5) fails too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian chromium for the browser tests ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "chromium is missing and we are not root: CI cannot run the browser tests" >&2; exit 1
  else
    echo "chromium is missing and we are not root: browser tests will be skipped" >&2
  fi
fi
set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
exit $rc
