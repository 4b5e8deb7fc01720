"""Plain descriptions as Saleor's rich text: EditorJS-like JSON with one paragraph block per paragraph."""

from __future__ import annotations

from typing import Any

SEO_DESCRIPTION_LENGTH = 300


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def rich_text(text: str) -> dict[str, Any] | None:
    """`{"blocks": [{"type": "paragraph", "data": {"text": ...}}, ...]}`, or None for an empty text."""
    blocks = [{"type": "paragraph", "data": {"text": paragraph}} for paragraph in paragraphs(text)]
    return {"blocks": blocks} if blocks else None


def seo_description(text: str) -> str | None:
    """The text on one line, cut at a word to at most 300 characters."""
    flat = " ".join(paragraphs(text))
    if len(flat) <= SEO_DESCRIPTION_LENGTH:
        return flat or None
    cut = flat[: SEO_DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"
