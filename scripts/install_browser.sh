#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (nba_backfill_tests/browser), if it is absent.
# Idempotent: does nothing when /usr/bin/chromium is already there. Playwright's own browser download
# (`playwright install`) is never used: the Python wheel carries its driver, the browser is Debian's.
set -euo pipefail

CHROMIUM=${NBA_BACKFILL_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
    echo "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "chromium installed: $("$CHROMIUM" --version)"
