"""An order's bank-transfer reference and deadline, and finding the reference again in what a bank writes about
the credit.

The reference is "OCOP" and the order's number ("OCOP 100234"): the buyer sees the number on the order, the
QR code puts the reference in the transfer's purpose, and someone typing it by hand types what they read.
What comes back in the bank's description is rarely that clean. Banking apps and banks add words before and
after ("MBVCB.5512345.OCOP 100234.CT tu 0071000123456 NGUYEN VAN A"), change the case, drop or add spaces and
dashes ("ocop-100234", "OCOP100234"), fold the Vietnamese letters, and some run the purpose into the next field
without a separator ("OCOP1002340987654321", a phone number behind it).

`candidates` reads every "OCOP" in the description, whatever separates it from the digits after it, and gives
each run of digits and its shorter prefixes as possible references, longest first: the caller keeps the first
that is a transfer it knows. A prefix is never shorter than an order number can be.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings

from marketplace.core.text import fold
from marketplace.orders.models import Order

PREFIX = "OCOP"
MIN_DIGITS = 4  # order numbers start at 1000
_AFTER_PREFIX = re.compile(r"OCOP[^A-Z0-9]*(\d+)")


def reference_for(order_number: int) -> str:
    """The reference a transfer for order `order_number` carries: "OCOP100234"."""
    return f"{PREFIX}{order_number}"


def written(reference: str) -> str:
    """The reference as the buyer is asked to type it: "OCOP 100234"."""
    return f"{PREFIX} {reference.removeprefix(PREFIX)}"


def candidates(description: str) -> list[str]:
    """The references `description` may carry, most likely first (see the module's docstring)."""
    text = fold(description or "").upper()
    found: list[str] = []
    for match in _AFTER_PREFIX.finditer(text):
        digits = match.group(1)
        for length in range(len(digits), MIN_DIGITS - 1, -1):
            reference = reference_for(int(digits[:length])) if digits[0] != "0" else ""
            if reference and reference not in found:
                found.append(reference)
    return found


def transfer_deadline(order: Order) -> datetime.datetime:
    """When an order awaiting its transfer is cancelled if the money has not come (OCOP_TRANSFER_HOLD_HOURS)."""
    return order.created_at + datetime.timedelta(hours=settings.OCOP_TRANSFER_HOLD_HOURS)
