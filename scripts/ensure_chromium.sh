#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright cannot download its own browsers here).
# Install it from Debian's packages when it is missing. Used by `make test`.
set -euo pipefail
# shellcheck source=scripts/apt_install.sh
. "$(dirname "$0")/apt_install.sh"

CHROMIUM=${OCOP_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
echo "ensure_chromium: $CHROMIUM is missing"
apt_install chromium
[ -x "$CHROMIUM" ] || { echo "ensure_chromium: $CHROMIUM is still missing" >&2; exit 1; }
