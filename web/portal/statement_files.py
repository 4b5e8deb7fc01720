"""A producer's statement as files: XLSX (openpyxl) and an A4 PDF (reportlab) in DejaVu Sans, so Vietnamese letters
print. Both hold what the page shows: the period, the opening balance, the sales by order and fulfilment (goods,
voucher, commission, net), refunds, payouts, and the closing balance; money in whole đồng, dates dd/mm/yyyy with
24-hour times, in the language of the request.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from marketplace.core.dates import day_text, moment_text
from marketplace.core.money import format_vnd
from marketplace.ledger.selectors import Statement, StatementLine

logger = logging.getLogger(__name__)

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _sections(statement: Statement) -> Iterator[tuple[str, list[StatementLine]]]:
    yield _("Sales"), statement.sales
    yield _("Refunds"), statement.refunds
    yield _("Payouts"), statement.payouts
    yield _("Corrections"), statement.corrections


def _headers() -> list[str]:
    return [_("Date"), _("Order / run"), _("Goods"), _("Voucher"), _("Commission"), _("Net")]


def _when(line: StatementLine) -> str:
    return f"{moment_text(line.posted_at)}"


def _totals(statement: Statement) -> list[tuple[str, int]]:
    return [
        (_("Opening balance"), statement.opening_balance),
        (_("Sales"), statement.sales_total),
        (_("Vouchers paid by you"), statement.discounts_total),
        (_("Commission"), statement.commission_total),
        (_("Refunds"), statement.refunds_total),
        (_("Payouts"), statement.payouts_total),
        (_("Closing balance"), statement.closing_balance),
    ]


def statement_filename(statement: Statement, extension: str) -> str:
    return f"ocop-statement-{statement.producer.slug}-{statement.period.month_value}.{extension}"


# --- XLSX -----------------------------------------------------------------------------------------------------


def statement_xlsx(statement: Statement) -> bytes:
    """One sheet: the producer and period on top, then each section's lines, then the totals; numbers as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statement")[:31]
    producer = sheet.cell(row=1, column=1, value=statement.producer.name)
    producer.data_type = TYPE_STRING
    sheet.append([_("Period"), f"{day_text(statement.period.start)} – {day_text(statement.period.end)}"])
    for title, lines in _sections(statement):
        sheet.append([])
        sheet.append([title])
        sheet.append(_headers())
        for line in lines:
            sheet.append([_when(line), line.reference, line.goods, line.discount, line.commission, line.net])
    sheet.append([])
    for label, amount in _totals(statement):
        sheet.append([label, None, None, None, None, amount])
    for cells in sheet.iter_rows(min_row=3, min_col=3, max_col=6):
        for cell in cells:
            cell.number_format = "#,##0"
    for column, width in (("A", 24), ("B", 18), ("C", 16), ("D", 16), ("E", 16), ("F", 18)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------------


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (regular, bold), registered once; Helvetica when the font is not installed (then Vietnamese
    letters print as boxes: scripts/ensure_fonts.sh installs it)."""
    try:
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_PATH)))
            bold = FONT_BOLD_PATH if FONT_BOLD_PATH.exists() else FONT_PATH
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    except Exception:  # reportlab raises its own TTFError, or OSError for a missing file
        logger.warning("DejaVu Sans is missing (%s): the statement PDF falls back to Helvetica", FONT_PATH)
        return "Helvetica", "Helvetica-Bold"
    return "DejaVuSans", "DejaVuSans-Bold"


class _Page:
    """A cursor down an A4 page that starts a new page when it reaches the bottom margin."""

    COLUMNS = (18 * mm, 52 * mm, 100 * mm, 128 * mm, 156 * mm, 192 * mm)  # left of the first, right of the others

    def __init__(self, canvas: Canvas, fonts: tuple[str, str]) -> None:
        self.canvas, (self.font, self.bold) = canvas, fonts
        self.y = A4[1] - 20 * mm

    def down(self, step: float = 6 * mm) -> None:
        self.y -= step
        if self.y < 18 * mm:
            self.canvas.showPage()
            self.y = A4[1] - 20 * mm

    def text(self, value: str, *, size: float = 9, bold: bool = False, x: float = 18 * mm) -> None:
        self.canvas.setFont(self.bold if bold else self.font, size)
        self.canvas.drawString(x, self.y, value)

    def row(self, cells: list[str], *, bold: bool = False) -> None:
        self.canvas.setFont(self.bold if bold else self.font, 8.5)
        self.canvas.drawString(self.COLUMNS[0], self.y, cells[0])
        self.canvas.drawString(self.COLUMNS[0] + 30 * mm, self.y, cells[1])
        for x, value in zip(self.COLUMNS[2:], cells[2:], strict=False):
            self.canvas.drawRightString(x, self.y, value)
        self.down(5 * mm)


def statement_pdf(statement: Statement) -> bytes:
    language = get_language() or "vi"

    def money(amount: int) -> str:
        return format_vnd(amount, language)

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{_('Statement')} {statement.producer.name} {statement.period.month_value}")
    page = _Page(canvas, _fonts())
    page.text(_("OCOP Marketplace: statement of account"), size=14, bold=True)
    page.down(8 * mm)
    page.text(statement.producer.name, size=11, bold=True)
    page.down()
    page.text(f"{_('Period')}: {day_text(statement.period.start)} – {day_text(statement.period.end)}")
    page.down()
    page.text(f"{_('Opening balance')}: {money(statement.opening_balance)}", bold=True)
    page.down(9 * mm)
    for title, lines in _sections(statement):
        if not lines:
            continue
        page.text(title, size=11, bold=True)
        page.down()
        page.row(_headers(), bold=True)
        for line in lines:
            amounts = [money(value) for value in (line.goods, line.discount, line.commission, line.net)]
            page.row([_when(line), line.reference, *amounts])
        page.down(3 * mm)
    page.down(3 * mm)
    for label, amount in _totals(statement):
        page.row([label, "", "", "", "", money(amount)], bold=label == _("Closing balance"))
    canvas.showPage()
    canvas.save()
    return out.getvalue()
