"""Bar charts drawn on the server as inline SVG: no JavaScript, every label escaped.

The chart is one image to assistive technology (`role="img"`, named by its <title> and <desc>); the page
shows the same figures as a table, which is the accessible alternative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 130
ROW_HEIGHT = 30
BAR_HEIGHT = 18
PADDING = 8
LABEL_CHARS = 32


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, int]],
    value_text: Callable[[int], str] = str,
) -> SafeString:
    """A horizontal bar chart of `bars` (label, value ≥ 0), each bar labelled and its value written out.

    `chart_id` must be unique on the page (it names the title and description). Long labels are shortened
    on the bar; the full label is the bar's tooltip.
    """
    largest = max((value for _, value in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = PADDING * 2 + ROW_HEIGHT * max(len(bars), 1)
    rows = []
    for index, (label, value) in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        length = max(round(span * value / largest), 1 if value else 0)
        rows.append(
            (
                label,
                LABEL_WIDTH - PADDING,
                top + ROW_HEIGHT / 2,
                _shorten(label),
                LABEL_WIDTH,
                top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                length,
                BAR_HEIGHT,
                LABEL_WIDTH + length + PADDING,
                top + ROW_HEIGHT / 2,
                value_text(value),
            )
        )
    body = format_html_join(
        "",
        "<g><title>{}</title>"
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
        rows,
    )
    return format_html(
        '<svg class="bar-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>{body}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        body=body,
    )
