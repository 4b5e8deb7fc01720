"""Vietnamese text on the way in: NFC, no markup, and slugs that keep Đ readable."""

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

_D_MAP = str.maketrans({"Đ": "D", "đ": "d"})
# Control and invisible format characters (Unicode Cc, and the Cf ones that turn up in pasted text).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TAG_HINT = re.compile(r"[<&]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class _TextExtractor(HTMLParser):
    """Keeps the text of an HTML fragment; drops tags, comments, scripts and styles."""

    _SKIPPED = {"script", "style", "template", "noscript", "iframe", "object"}
    _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def strip_markup(value: str) -> str:
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return unescape("".join(parser.parts))


def clean_text(value: str | None, *, multiline: bool = False) -> str | None:
    """NFC-normalise, strip markup and control characters, collapse white space."""
    if value is None:
        return None
    text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if _TAG_HINT.search(text):
        text = unicodedata.normalize("NFC", strip_markup(text))
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if multiline:
        lines = (" ".join(line.split()) for line in text.splitlines())
        return "\n".join(line for line in lines if line)
    return " ".join(text.split())


def fold(value: str) -> str:
    """Lower case without diacritics, đ/Đ folded to d: 'Đồng Nai' -> 'dong nai'."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def slugify_vi(value: str, *, max_length: int = 200) -> str:
    """A URL slug that keeps Vietnamese readable: 'Đồng Nai' -> 'dong-nai', not 'ong-nai'."""
    ascii_text = unicodedata.normalize("NFD", value.translate(_D_MAP)).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
