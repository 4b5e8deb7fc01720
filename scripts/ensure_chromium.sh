#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright cannot download its own browsers here).
# Install it from Debian's packages when it is missing. Used by `make test`.
set -euo pipefail

CHROMIUM=${OCOP_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
echo "ensure_chromium: installing Debian's chromium"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q chromium; then
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q chromium
fi
[ -x "$CHROMIUM" ] || { echo "ensure_chromium: $CHROMIUM is still missing" >&2; exit 1; }
