#!/usr/bin/env bash
# Sets up the dev venv, makes sure Debian chromium (browser tests) and axe-core from npm (accessibility
# gate) are there, runs pytest.
# Under CI=true a missing browser fails the run; pytest's "no tests collected" (exit 5) fails too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ "${CI:-}" = "true" ]; then bash scripts/chromium.sh required; else bash scripts/chromium.sh; fi
# axe-core for the accessibility gate (tests/e2e/test_browser_a11y.py): npm ci from the pinned lock file
AXE_DIR=tests/e2e/axe
AXE_STAMP="$AXE_DIR/node_modules/.stamp-$(sha256sum "$AXE_DIR/package-lock.json" | cut -c1-16)"
if [ ! -f "$AXE_STAMP" ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing Debian nodejs and npm for axe-core ..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    elif [ "${CI:-}" = "true" ]; then
      echo "npm is missing and we are not root: CI cannot run the accessibility tests" >&2; exit 1
    fi
  fi
  if command -v npm >/dev/null; then
    echo "Installing axe-core (npm ci) ..." >&2
    npm ci --prefix "$AXE_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null && touch "$AXE_STAMP"
  fi
fi
set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
exit $rc
