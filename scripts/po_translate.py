"""Fill in Vietnamese translations of a .po file from a JSON object {msgid: msgstr} and compile it.

    .venv/bin/python scripts/po_translate.py web/locale/vi/LC_MESSAGES/django.po translations.json

Plural entries take a list of forms (Vietnamese has one: ["…"]). A plain msgid key fills every entry of that msgid,
with or without a context; an entry with a context (msgctxt) whose translation differs takes the key
"context\u0004msgid" (JSON's escape for the separator gettext uses). Entries not in the JSON are left as they are;
the script prints the msgids still untranslated. The .mo file is written next to the .po.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main(po_path: str, translations_path: str) -> int:
    po = polib.pofile(po_path)
    translations = json.loads(Path(translations_path).read_text(encoding="utf-8"))
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in translations:
            key = entry.msgid
        if key not in translations:
            continue
        value = translations[key]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(po_path)
    po.save_as_mofile(str(Path(po_path).with_suffix(".mo")))
    missing = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
