"""Reading a bank statement file (CSV or XLSX, as Vietnamese banks export them) into credits.

Banks put a few lines of title, account and period above the table, name their columns in Vietnamese or English
("Số tham chiếu", "Ngày giao dịch", "Số tiền ghi có (VND)", "Nội dung"), write amounts as "1.234.000",
"1,234,000" or "1234000.00", dates as "06/12/2026 14:02:37", and end with a totals line. The table's heading row
is the first row in which a heading is found for each of the four columns read (`DEFAULT_COLUMNS`, or the
operator's own names, or OCOP_BANK_STATEMENT_COLUMNS); headings are compared without case, diacritics,
punctuation or a trailing "(VND)". Rows with nothing credited (money going out, blank lines) are skipped, and so
are rows with an amount but neither a date nor a reference (the totals: "Tổng cộng" where the date goes).

Any row that cannot be read refuses the whole file, with every such row's number and reason, so that a file is
imported entirely or not at all.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from openpyxl import load_workbook

from marketplace.core.text import fold
from payments.transfers import IncomingCredit

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
HEADING_ROWS_SEARCHED = 40
MAX_ROWS = 20_000

COLUMNS = ("reference", "date", "credit", "description")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": (
        "so tham chieu",
        "so giao dich",
        "ma giao dich",
        "so but toan",
        "so ct",
        "reference",
        "reference no",
        "reference number",
        "transaction id",
        "transaction no",
        "ref no",
    ),
    "date": (
        "ngay giao dich",
        "thoi gian giao dich",
        "ngay gio giao dich",
        "ngay gd",
        "ngay hieu luc",
        "transaction date",
        "date",
        "ngay",
    ),
    "credit": (
        "so tien ghi co",
        "ghi co",
        "phat sinh co",
        "so tien co",
        "credit amount",
        "credit",
        "co",
    ),
    "description": (
        "noi dung",
        "noi dung giao dich",
        "mo ta",
        "dien giai",
        "chi tiet giao dich",
        "description",
        "transaction details",
        "details",
        "remarks",
    ),
}
_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class StatementInvalid(ValueError):
    """The file cannot be imported: `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def column_names() -> dict[str, tuple[str, ...]]:
    """The headings looked for: OCOP_BANK_STATEMENT_COLUMNS when set, else the common banks' (`DEFAULT_COLUMNS`)."""
    configured = settings.OCOP_BANK_STATEMENT_COLUMNS
    if not configured:
        return DEFAULT_COLUMNS
    names = json.loads(configured)
    return {key: tuple(names.get(key) or DEFAULT_COLUMNS[key]) for key in COLUMNS}


def heading(text: Any) -> str:
    """A heading as compared: "Số tiền ghi có (VND)" → "so tien ghi co"."""
    folded = fold(_PARENTHESES.sub(" ", str(text or ""))).lower()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def read(
    content: bytes, *, file_name: str, columns: dict[str, Sequence[str]] | None = None
) -> tuple[list[IncomingCredit], int]:
    """The credits in a statement file, and how many of its table's rows were skipped (nothing credited)."""
    rows = _xlsx_rows(content) if _is_xlsx(content, file_name) else _csv_rows(content)
    names = {key: [heading(name) for name in values] for key, values in (columns or column_names()).items()}
    start, positions = _heading_row(rows, names)
    credits: list[IncomingCredit] = []
    problems: list[str] = []
    skipped = 0
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        try:
            credit = _credit(row, positions)
        except ValueError as error:
            problems.append(f"Row {number}: {error}")
            continue
        if credit is None:
            skipped += 1
        else:
            credits.append(credit)
    if problems:
        more = [f"… and {len(problems) - 50} more rows"] if len(problems) > 50 else []
        raise StatementInvalid(problems[:50] + more)
    return credits, skipped


def _is_xlsx(content: bytes, file_name: str) -> bool:
    return content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm"))


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise StatementInvalid([f"The file is not a readable XLSX workbook ({error.__class__.__name__})."]) from error
    try:
        sheet = workbook.worksheets[0]
        return _bounded(list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any bytes
        raise StatementInvalid(["The file is neither UTF-8 nor Windows-1258 text."])
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _bounded(csv.reader(io.StringIO(text), dialect))


def _bounded(rows: Iterable[list[Any]]) -> list[list[Any]]:
    kept = []
    for index, row in enumerate(rows):
        if index >= MAX_ROWS:
            raise StatementInvalid([f"The file has more than {MAX_ROWS} rows: split it by period."])
        kept.append(row)
    return kept


def _heading_row(rows: list[list[Any]], names: dict[str, list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:HEADING_ROWS_SEARCHED]):
        cells = [heading(cell) for cell in row]
        positions = {}
        for key in COLUMNS:
            found = next((cells.index(name) for name in names[key] if name in cells), None)
            if found is None:
                break
            positions[key] = found
        else:
            if len(set(positions.values())) == len(COLUMNS):
                return index, positions
    wanted = "; ".join(f"{key}: {' / '.join(names[key][:4])}" for key in COLUMNS)
    raise StatementInvalid(
        [f"No heading row with the four columns read was found in the first {HEADING_ROWS_SEARCHED} rows ({wanted})."]
    )


def _cell(row: list[Any], position: int) -> Any:
    return row[position] if position < len(row) else None


def _credit(row: list[Any], positions: dict[str, int]) -> IncomingCredit | None:
    amount = parse_amount(_cell(row, positions["credit"]))
    if not amount:
        return None
    reference = str(_cell(row, positions["reference"]) or "").strip()
    date_cell = _cell(row, positions["date"])
    try:
        moment = parse_moment(date_cell)
    except ValueError:
        if not reference:
            return None  # a totals line ("Tổng cộng" where the date goes): an amount, but no transaction
        raise
    description = str(_cell(row, positions["description"]) or "").strip()
    if reference.endswith(".0") and reference[:-2].isdigit():  # a number the spreadsheet stored as a float
        reference = reference[:-2]
    if not reference:
        # No bank reference: the row itself identifies the credit, so that importing the file again adds nothing.
        digest = hashlib.sha256(f"{moment.isoformat()}|{amount}|{description}".encode()).hexdigest()[:20]
        reference = f"statement-{digest}"
    return IncomingCredit(bank_reference=reference, amount=amount, description=description, transacted_at=moment)


def parse_amount(value: Any) -> int:
    """Whole đồng from a cell: 1234000, 1234000.0, "1.234.000", "1,234,000", "1 234 000 VND", "1.234.000,00".
    0 for an empty cell; ValueError for anything else, or for a fraction of a đồng."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(f"the amount {value!r} is not a number")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"the amount {value} has a fraction of a đồng")
        amount = int(value)
    else:
        text = re.sub(r"(?i)vnd|đ|₫|\s", "", str(value))
        if text in ("", "-"):
            return 0
        if not re.fullmatch(r"-?[\d.,]+", text):
            raise ValueError(f"the amount {value!r} is not a number")
        decimals = re.search(r"[.,](\d{1,2})$", text)
        if decimals:
            if int(decimals.group(1)):
                raise ValueError(f"the amount {value!r} has a fraction of a đồng")
            text = text[: decimals.start()]
        amount = int(re.sub(r"[.,]", "", text))
    if amount < 0:
        raise ValueError(f"the credit {value!r} is negative")
    return amount


def parse_moment(value: Any) -> datetime.datetime:
    """A date or date and time from a cell (Vietnam's time when it carries no offset)."""
    if value is None or value == "":
        raise ValueError("a credit without a date")
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = " ".join(str(value).split())
        for date_format in _DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, date_format)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"the date {value!r} is not dd/mm/yyyy [hh:mm[:ss]]")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM)
