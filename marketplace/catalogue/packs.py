"""Pack names in English: what a producer gave (`ProductVariant.name_en`), else the Vietnamese name with its
common words put in English ("Hũ 500 g" → "Jar 500 g", "Hộp quà 3 hũ" → "Gift box 3 jars"). Words not known here
stay as they are; numbers and units (g, kg, ml, l) are the same in both languages."""

from __future__ import annotations

import re

from marketplace.core.text import fold

# Longest first: "hộp quà" before "hộp". Keys are folded (no diacritics, lower case).
_WORDS = {
    "hop qua": "Gift box",
    "tui zip": "Zip bag",
    "hu": "Jar",
    "lo": "Jar",
    "hop": "Box",
    "tui": "Bag",
    "bich": "Bag",
    "goi": "Pack",
    "chai": "Bottle",
    "binh": "Bottle",
    "lon": "Can",
    "thung": "Carton",
    "bao": "Sack",
    "khay": "Tray",
    "vi": "Blister pack",
    "qua": "fruit",
    "trai": "fruit",
    "cai": "piece",
    "vien": "piece",
    "hat": "nut",
    "loai": "kind",
}
_ORDERED = sorted(_WORDS, key=lambda key: -len(key))
_TOKEN = re.compile(r"\w+|\W+")


def pack_name_en(name: str) -> str:
    """`name` with its known words in English; "" when nothing in it is known (the caller keeps the Vietnamese)."""
    tokens = _TOKEN.findall(name or "")
    out: list[str] = []
    known = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        for key in _ORDERED if re.match(r"\w", token) else ():
            words = key.split()
            span = _span(tokens, index, len(words))
            if span and fold("".join(tokens[index : index + span])).split() == words:
                out.append(_placed(_WORDS[key], first=not "".join(out).strip(), after=_previous_word(out)))
                known = True
                index += span
                break
        else:
            out.append(token)
            index += 1
    return "".join(out) if known else ""


def _previous_word(out: list[str]) -> str:
    words = "".join(out).split()
    return re.sub(r"\W", "", words[-1]) if words else ""


def _placed(english: str, *, first: bool, after: str) -> str:
    """Capitalised at the start, lower case after; plural after a number above one ("3 jars")."""
    if first:
        return english[0].upper() + english[1:]
    english = english[0].lower() + english[1:]
    if after.isdigit() and int(after) > 1 and not english.endswith("s"):
        english = english.replace("box", "boxe") + "s"
    return english


def _span(tokens: list[str], start: int, words: int) -> int:
    """How many tokens from `start` hold `words` words (with the separators between them), 0 if fewer remain."""
    seen = 0
    for count, token in enumerate(tokens[start:], start=1):
        if token.strip() and re.match(r"\w", token):
            seen += 1
            if seen == words:
                return count
        elif not token.isspace():
            return 0
    return 0
