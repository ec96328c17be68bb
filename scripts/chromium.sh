#!/usr/bin/env bash
# Makes sure Debian's chromium is there: the browser tests drive it, and the reports draw their
# charts with it (Plotly's kaleido). Installs it with apt when missing and we are root; otherwise
# says what is missing. Usage: scripts/chromium.sh [required]  ("required": exit 1 when missing).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian chromium (browser tests, report charts) ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is missing and we are not root: reports get tables instead of charts, browser tests cannot run" >&2
[ "${1:-}" = "required" ] && exit 1
exit 0
