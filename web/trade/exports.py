"""The sales figures as files: CSV (UTF-8 with a byte-order mark, so spreadsheets read Vietnamese) and XLSX.

Both hold the same rows as the page: for each breakdown (commune, product group, stars) its label, the
quantity sold and the revenue in whole đồng. Labels come from the registry, so a label that a spreadsheet
would take for a formula is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from web.trade.selectors import SalesReport, SalesRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _breakdowns(report: SalesReport) -> Iterator[tuple[str, list[SalesRow]]]:
    yield _("Commune"), report.by_commune
    yield _("Product group"), report.by_group
    yield _("Stars"), report.by_stars


def _headers() -> list[str]:
    return [_("Breakdown"), _("Label"), _("Quantity"), _("Revenue (đồng)")]


def _as_text(label: str) -> str:
    """A CSV cell a spreadsheet will not evaluate (OWASP's advice: a leading apostrophe)."""
    return f"'{label}" if label.startswith(_FORMULA_START) else label


def sales_csv(report: SalesReport) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Period"), report.start.isoformat(), report.end.isoformat(), ""])
    writer.writerow(_headers())
    for name, rows in _breakdowns(report):
        for row in rows:
            writer.writerow([name, _as_text(row.label), row.quantity, row.revenue])
    return out.getvalue()


def sales_xlsx(report: SalesReport) -> bytes:
    """One sheet per breakdown, the period on top; numbers as numbers, labels always as text."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in _breakdowns(report):
        sheet = book.create_sheet(title=name[:31])
        sheet.append([_("Period"), report.start, report.end])
        sheet.append(_headers()[1:])
        for row in rows:
            sheet.append([row.label, row.quantity, row.revenue])
            label = sheet.cell(row=sheet.max_row, column=1)
            label.value, label.data_type = row.label, TYPE_STRING  # never a formula
        for column, width in (("A", 40), ("B", 12), ("C", 18)):
            sheet.column_dimensions[column].width = width
        for cells in sheet.iter_rows(min_row=3, min_col=2, max_col=3):
            for cell in cells:
                cell.number_format = "#,##0"
        for cell in sheet[1][1:3]:
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
