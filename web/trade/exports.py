"""The trade console's figures as files: CSV (UTF-8 with a byte-order mark, so spreadsheets read Vietnamese) and
XLSX.

The sales files hold the same rows and columns as the page: for each breakdown (commune, product group, stars,
outlet, producer) its label, the quantity and revenue in whole đồng online and at the counter side by side, and
their sum (only the channel's own columns when one channel was chosen), then the breakdown's total. The outlet-days
file holds the page's table. Labels come from the registry and the outlets, so a label that a spreadsheet would take
for a formula is written as text.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from marketplace.core.dates import day_text
from marketplace.counter.selectors import OutletDay
from web.trade.selectors import SalesReport, SalesRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _breakdowns(report: SalesReport) -> Iterator[tuple[str, list[SalesRow]]]:
    yield _("Commune"), report.by_commune
    yield _("Product group"), report.by_group
    yield _("Stars"), report.by_stars
    yield _("Outlet"), report.by_outlet
    yield _("Producer"), report.by_producer


@dataclasses.dataclass(frozen=True)
class _Column:
    header: str
    value: Callable[[SalesRow], int]


def sales_columns(report: SalesReport) -> list[_Column]:
    """The figures' columns: online and counter side by side and their sum, or the one channel chosen."""
    online = [
        _Column(_("Online: quantity"), lambda row: row.online_quantity),
        _Column(_("Online: revenue (đồng)"), lambda row: row.online_revenue),
    ]
    counter = [
        _Column(_("Counter: quantity"), lambda row: row.counter_quantity),
        _Column(_("Counter: revenue (đồng)"), lambda row: row.counter_revenue),
    ]
    total = [
        _Column(_("Quantity"), lambda row: row.quantity),
        _Column(_("Revenue (đồng)"), lambda row: row.revenue),
    ]
    if not report.shows_counter:
        return online
    if not report.shows_online:
        return counter
    return online + counter + total


def _headers(report: SalesReport) -> list[str]:
    return [_("Breakdown"), _("Label"), *(column.header for column in sales_columns(report))]


def _as_text(label: str) -> str:
    """A CSV cell a spreadsheet will not evaluate (OWASP's advice: a leading apostrophe)."""
    return f"'{label}" if label.startswith(_FORMULA_START) else label


def _figures(report: SalesReport, row: SalesRow) -> list[int]:
    return [column.value(row) for column in sales_columns(report)]


def sales_csv(report: SalesReport) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    headers = _headers(report)
    first = [_("Period"), day_text(report.start), day_text(report.end), _("Sold"), report.channel_label]
    writer.writerow(first + [""] * (len(headers) - len(first)))
    writer.writerow(headers)
    total = report.total
    for name, rows in _breakdowns(report):
        for row in rows:
            writer.writerow([name, _as_text(row.label), *_figures(report, row)])
        writer.writerow([name, _("Total"), *_figures(report, total)])
    return out.getvalue()


def sales_xlsx(report: SalesReport) -> bytes:
    """One sheet per breakdown, the period and channel on top, the total at the bottom (bold); numbers as numbers,
    labels always as text."""
    book = Workbook()
    book.remove(book.active)
    headers = _headers(report)[1:]
    last_column = len(headers)
    for name, rows in _breakdowns(report):
        sheet = book.create_sheet(title=name[:31])
        sheet.append([_("Period"), report.start, report.end, _("Sold"), report.channel_label])
        sheet.append(headers)
        for row in rows:
            sheet.append([row.label, *_figures(report, row)])
            label = sheet.cell(row=sheet.max_row, column=1)
            label.value, label.data_type = row.label, TYPE_STRING  # never a formula
        sheet.append([_("Total"), *_figures(report, report.total)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
        for cells in sheet.iter_cols(min_col=2, max_col=last_column, min_row=2):
            sheet.column_dimensions[cells[0].column_letter].width = 18
            for cell in cells[1:]:
                cell.number_format = "#,##0"
        for cell in sheet[1][1:3]:
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _outlet_day_headers() -> list[str]:
    return [
        _("Day"),
        _("Outlet"),
        _("Counter sales"),
        _("Cash sales (đồng)"),
        _("Card sales (đồng)"),
        _("VietQR sales (đồng)"),
        _("Sales (đồng)"),
        _("Cash refunds (đồng)"),
        _("Card refunds (đồng)"),
        _("Online orders handed over"),
        _("Cash for online orders (đồng)"),
        pgettext("close of day", "Closed"),
        _("Cash expected (đồng)"),
        _("Cash counted (đồng)"),
        _("Difference (đồng)"),
    ]


def outlet_days_csv(days: list[OutletDay]) -> str:
    """One row per outlet and day; the counted cash and the difference are empty while the day is not closed."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(_outlet_day_headers())
    for row in days:
        figures = row.figures
        writer.writerow(
            [
                day_text(row.day),
                _as_text(row.outlet.name),
                figures.sales_count,
                figures.cash_sales,
                figures.card_sales,
                figures.vietqr_sales,
                figures.sales_total,
                figures.cash_refunds,
                figures.card_refunds,
                figures.online_handed_over,
                figures.online_cash,
                _("Yes") if row.is_closed else _("Not closed"),
                row.cash_expected,
                "" if row.cash_counted is None else row.cash_counted,
                "" if row.difference is None else row.difference,
            ]
        )
    return out.getvalue()
