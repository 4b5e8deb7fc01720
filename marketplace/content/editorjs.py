"""Page content as EditorJS blocks (what Saleor stores and its clients render), written as plain text.

Operators and the demo write a page as text: paragraphs separated by blank lines, a line starting with `## `
(or `### `) a heading, consecutive lines starting with `- ` one list. `blocks_from_text` turns that into
EditorJS's `{"blocks": [...]}`; `text_from_blocks` turns blocks back into that text, for editing.
"""

from __future__ import annotations

import html
from typing import Any

from marketplace.core.text import clean_text

_HEADINGS = {"### ": 3, "## ": 2}


def _heading(line: str) -> tuple[int, str] | None:
    for marker, level in _HEADINGS.items():
        if line.startswith(marker):
            return level, line[len(marker) :].strip()
    return None


def _chunks(text: str) -> list[list[str]]:
    """Runs of non-blank lines, each line normalised (NFC, no markup, single spaces)."""
    chunks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = clean_text(raw) or ""
        if line:
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _chunk_blocks(chunk: list[str]) -> list[dict[str, Any]]:
    """The blocks of one run of lines: headings, paragraphs (lines joined) and lists, in order."""
    blocks: list[dict[str, Any]] = []
    for line in chunk:
        heading = _heading(line)
        if heading is not None:
            level, words = heading
            blocks.append({"type": "header", "data": {"text": html.escape(words, quote=False), "level": level}})
        elif line.startswith("- "):
            item = html.escape(line[2:].strip(), quote=False)
            if blocks and blocks[-1]["type"] == "list" and blocks[-1].get("open"):
                blocks[-1]["data"]["items"].append(item)
            else:
                blocks.append({"type": "list", "data": {"style": "unordered", "items": [item]}, "open": True})
        elif blocks and blocks[-1]["type"] == "paragraph" and blocks[-1].get("open"):
            blocks[-1]["data"]["text"] += " " + html.escape(line, quote=False)
        else:
            blocks.append({"type": "paragraph", "data": {"text": html.escape(line, quote=False)}, "open": True})
    for block in blocks:
        block.pop("open", None)
    return blocks


def blocks_from_text(text: str) -> dict[str, Any] | None:
    """EditorJS data for `text` (normalised to NFC, HTML-escaped), or None when it is empty."""
    blocks = [block for chunk in _chunks(text) for block in _chunk_blocks(chunk)]
    return {"blocks": blocks} if blocks else None


def text_from_blocks(data: Any) -> str:
    """The text `blocks_from_text` reads, for EditorJS data (blocks of other types give their `text`)."""
    if not isinstance(data, dict):
        return ""
    parts: list[str] = []
    for block in data.get("blocks") or []:
        body = block.get("data") or {}
        if block.get("type") == "header":
            level = body.get("level", 2)
            parts.append(f"{'#' * (3 if level >= 3 else 2)} {html.unescape(str(body.get('text', '')))}")
        elif block.get("type") == "list":
            parts.append("\n".join(f"- {html.unescape(str(item))}" for item in body.get("items") or []))
        elif body.get("text"):
            parts.append(html.unescape(str(body["text"])))
    return "\n\n".join(parts)
