"""Share cards: the 1200 × 630 image a link preview shows (OpenGraph, Twitter), drawn with Pillow.

A product's card holds its photo, its name, its stars, its producer and "OCOP Đồng Nai"; the site's card the
marketplace's name. Each is drawn once and stored (`default_storage`, under `share/`), named by a digest of what
it shows, so that a new name, photo or rating draws a new one and an unchanged product is read, not drawn.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

WIDTH, HEIGHT = 1200, 630
DESIGN = "1"  # bump when the drawing changes: every stored card is drawn again
GREEN, AMBER, INK, MUTED, WHITE = (27, 94, 32), (230, 160, 0), (29, 35, 39), (74, 85, 96), (255, 255, 255)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core: every Vietnamese letter


@dataclass(frozen=True)
class ShareCard:
    title: str
    subtitle: str = ""
    stars: int = 0
    photo: str = ""  # a stored image's name (ProductMedia.image), or ""


@lru_cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(getattr(settings, "OCOP_SHARE_FONT_DIR", FONT_DIR)) / name
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # no DejaVu here: Pillow's own font (Latin letters only)
        return ImageFont.load_default(size=size)


def _photo(name: str, box: tuple[int, int]) -> Image.Image | None:
    if not name:
        return None
    try:
        with default_storage.open(name) as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None  # missing or unreadable: the card is drawn without it
    return ImageOps.fit(image.convert("RGB"), box, method=Image.Resampling.LANCZOS)


def _lines(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int, most: int) -> list[str]:
    """`text` in lines at most `width` pixels wide in `font`, at most `most` of them (the last ending "…" if cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def draw(card: ShareCard) -> bytes:
    """The card as a PNG."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    pen = ImageDraw.Draw(canvas)
    photo = _photo(card.photo, (HEIGHT, HEIGHT))
    left = 0
    if photo is not None:
        canvas.paste(photo, (0, 0))
        left = HEIGHT
    text_x, width = left + 56, WIDTH - left - 112
    y = 60
    for line in _lines(card.title, _font(54, bold=True), width, 4):
        pen.text((text_x, y), line, font=_font(54, bold=True), fill=INK)
        y += 66
    if card.stars:
        y += 12
        pen.text((text_x, y), "★" * card.stars + "☆" * (5 - card.stars), font=_font(56), fill=AMBER)
        y += 76
    for line in _lines(card.subtitle, _font(30), width, 2):
        pen.text((text_x, y), line, font=_font(30), fill=MUTED)
        y += 40
    pen.rectangle((left, HEIGHT - 90, WIDTH, HEIGHT), fill=GREEN)
    pen.text((text_x, HEIGHT - 70), "★ OCOP Đồng Nai", font=_font(42, bold=True), fill=WHITE)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def stored(card: ShareCard) -> bytes:
    """The card's PNG: read from storage when this card was drawn before, else drawn and stored."""
    digest = hashlib.sha256(repr((DESIGN, card)).encode()).hexdigest()[:24]
    name = f"share/{digest}.png"
    if default_storage.exists(name):
        with default_storage.open(name) as handle:
            return handle.read()
    png = draw(card)
    saved = default_storage.save(name, ContentFile(png))
    if saved != name:  # another request stored the same card meanwhile: keep one
        default_storage.delete(saved)
    return png
