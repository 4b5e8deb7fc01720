"""Helpers of scripts/messages_extract.sh.

messages_known.py collect OUT.json        every translated msgid of the five catalogues, as po_translate reads
messages_known.py fill KNOWN.json PO      give PO's untranslated and fuzzy entries a translation from KNOWN,
                                          compile it, and list what is still untranslated
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

CATALOGUES = [
    Path("web/locale/vi/LC_MESSAGES/django.po"),
    *(Path(f"web/{app}/locale/vi/LC_MESSAGES/django.po") for app in ("cart", "outletdesk", "portal", "trade")),
]


def _key(entry: polib.POEntry) -> str:
    return (entry.msgctxt + "\u0004" if entry.msgctxt else "") + entry.msgid


def collect(out: str) -> None:
    known: dict[str, object] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated() or "fuzzy" in entry.flags:
                continue
            known.setdefault(_key(entry), [entry.msgstr_plural[0]] if entry.msgid_plural else entry.msgstr)
    Path(out).write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")


def fill(known_path: str, po_path: str) -> None:
    known = json.loads(Path(known_path).read_text(encoding="utf-8"))
    wanted = {
        _key(entry): known[_key(entry)]
        for entry in polib.pofile(po_path)
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags) and _key(entry) in known
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
        json.dump(wanted, file, ensure_ascii=False)
    subprocess.run([sys.executable, "scripts/po_translate.py", po_path, file.name], check=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "collect":
        collect(*args)
    else:
        fill(*args)
