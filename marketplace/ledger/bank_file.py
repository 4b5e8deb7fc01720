"""A payout run as the bank's bulk-transfer file: CSV, UTF-8 with a byte-order mark, one transfer a row.

Columns, in the order Vietnamese banks' "chuyển tiền theo lô" templates take them (docs/payouts.md):

    STT                  sequence number, from 1
    So tai khoan         the beneficiary's account number (digits only, written as text)
    Ten nguoi thu huong  the account holder, capital letters without accents
    Ma ngan hang (BIN)   the beneficiary bank's 6-digit Napas code
    Ten ngan hang        the beneficiary bank's name
    So tien              the amount in whole đồng, digits only
    Noi dung             "OCOP thanh toan T11/2026 DOT 12": the month paid and the run's number, without accents

The amount has no separators and the description no accents, as banks' bulk imports expect.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from marketplace.ledger.models import PayoutRun

HEADER = ["STT", "So tai khoan", "Ten nguoi thu huong", "Ma ngan hang (BIN)", "Ten ngan hang", "So tien", "Noi dung"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def transfer_description(run: PayoutRun) -> str:
    """What the producer reads on its bank statement: "OCOP thanh toan T11/2026 DOT 12"."""
    made = timezone.localtime(run.created_at)
    return f"OCOP thanh toan T{made:%m/%Y} DOT {run.pk}"


def _text(value: str) -> str:
    """A cell a spreadsheet will not evaluate."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def bank_batch_csv(run: PayoutRun) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    description = transfer_description(run)
    for sequence, line in enumerate(run.lines.order_by("pk"), start=1):
        writer.writerow(
            [
                sequence,
                line.account_number,
                _text(line.account_holder),
                line.bank_bin,
                _text(line.bank_name),
                line.amount,
                description,
            ]
        )
    return out.getvalue()


def bank_batch_filename(run: PayoutRun) -> str:
    return f"ocop-payout-run-{run.pk}.csv"
