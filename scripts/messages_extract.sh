#!/bin/bash
# Extract the five Vietnamese catalogues again (web/, web/cart, web/outletdesk, web/portal, web/trade) and fill any
# new or fuzzy entry whose msgid another catalogue already translates (a string that moved between apps); then say
# what is still untranslated. New strings are translated with scripts/po_translate.py <po> <json>.
#   bash scripts/messages_extract.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.venv/bin/python scripts/messages_known.py collect "$WORK/known.json"
cp -r web "$WORK/web"
for app in cart outletdesk portal trade; do
  (cd "$WORK/web/$app" && "$ROOT/.venv/bin/django-admin" makemessages -l vi --no-obsolete >/dev/null)
done
(cd "$WORK/web" && "$ROOT/.venv/bin/django-admin" makemessages -l vi --no-obsolete \
  -i "portal/*" -i "trade/*" -i "outletdesk/*" -i "cart/*" >/dev/null)
for app in "" cart/ outletdesk/ portal/ trade/; do
  po="web/${app}locale/vi/LC_MESSAGES/django.po"
  cp "$WORK/web/${app}locale/vi/LC_MESSAGES/django.po" "$po"
  .venv/bin/python scripts/messages_known.py fill "$WORK/known.json" "$po"
done
