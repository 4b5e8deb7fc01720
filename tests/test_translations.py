"""Every page string has its Vietnamese, and the compiled catalogues match their sources."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("web/**/locale/vi/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_is_translated_and_compiled(po_path: Path, tmp_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert untranslated == []
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile it: .venv/bin/python scripts/po_translate.py {po_path} <json>"

    def entries(path: Path) -> list[tuple]:
        return [(e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.mofile(str(path))]

    assert entries(mo_path) == entries(compiled), "the .mo is stale: run scripts/po_translate.py on the .po"
