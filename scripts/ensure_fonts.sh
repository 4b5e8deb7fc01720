#!/usr/bin/env bash
# The share cards (web/share_image.py) are drawn in DejaVu Sans, which has every Vietnamese letter; Pillow's own
# font has not. Install Debian's fonts-dejavu-core when it is missing. Used by `make run` and `make test`.
set -euo pipefail
# shellcheck source=scripts/apt_install.sh
. "$(dirname "$0")/apt_install.sh"

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
if [ -f "$FONT" ]; then
    exit 0
fi
echo "ensure_fonts: $FONT is missing"
apt_install fonts-dejavu-core
[ -f "$FONT" ] || { echo "ensure_fonts: $FONT is still missing" >&2; exit 1; }
