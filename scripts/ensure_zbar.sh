#!/usr/bin/env bash
# The VietQR tests decode the QR images the shop draws with zbarimg (Debian's zbar-tools), as a banking app
# would read them. Install it when it is missing. Used by `make test`.
set -euo pipefail
# shellcheck source=scripts/apt_install.sh
. "$(dirname "$0")/apt_install.sh"

if command -v zbarimg > /dev/null; then
    exit 0
fi
echo "ensure_zbar: zbarimg is missing"
apt_install zbar-tools
command -v zbarimg > /dev/null || { echo "ensure_zbar: zbarimg is still missing" >&2; exit 1; }
