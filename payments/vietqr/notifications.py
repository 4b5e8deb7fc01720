"""The bank-notification webhook's edge: its signature and its body.

Vietnam's bank-notification services (SePay, Casso and the like) watch the collection account and post each
credit as JSON. Two shapes are read, as those services send them:

- flat, one transaction: {"id", "gateway" (the bank), "transactionDate": "2026-12-06 14:02:37",
  "accountNumber", "content", "transferType": "in" | "out", "transferAmount", "referenceCode", "description"};
- wrapped: {"error": 0, "data": {...} or [{...}, ...]} with "reference", "description", "amount",
  "transactionDateTime", "accountNumber", "bankName" in each.

The bank's own transaction id ("referenceCode" / "reference", the number its statement shows too) identifies the
credit; the service's id stands in when the bank's is missing. Times without an offset are Vietnam's.

The request is signed: `X-Bank-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with
OCOP_BANK_WEBHOOK_SECRET>`. A signature more than OCOP_BANK_WEBHOOK_TOLERANCE_SECONDS away from now is refused,
so a captured request cannot be replayed later; within the window a repeated one changes nothing (the bank's
transaction is recorded once).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
import zoneinfo
from typing import Any

from django.conf import settings

from payments.transfers import IncomingCredit

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SIGNATURE_HEADER = "X-Bank-Signature"


class SignatureInvalid(Exception):
    """Missing, malformed, wrong, or outside the replay window."""


class NotificationInvalid(ValueError):
    """A body that is not a credit notification we can read."""


def sign(body: bytes, *, secret: str, timestamp: int) -> str:
    """The signature header's value for `body` (what the service sends; tests and the demo's bank use it)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(body: bytes, header: str, *, now: float | None = None) -> None:
    """Raises SignatureInvalid unless `header` signs `body` with our secret, within the replay window."""
    secret = settings.OCOP_BANK_WEBHOOK_SECRET
    if not secret:
        raise SignatureInvalid("OCOP_BANK_WEBHOOK_SECRET is not set: bank notifications are refused.")
    parts = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or not given:
        raise SignatureInvalid("No signature.")
    if abs((now if now is not None else time.time()) - int(timestamp)) > settings.OCOP_BANK_WEBHOOK_TOLERANCE_SECONDS:
        raise SignatureInvalid("The signature is too old or from the future (a replay?).")
    expected = sign(body, secret=secret, timestamp=int(timestamp)).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, given):
        raise SignatureInvalid("The signature does not match.")


def credits_of(body: bytes) -> tuple[list[IncomingCredit], int]:
    """The credits to the collection account a notification reports, and how many of its transactions were not
    (money going out, another account's)."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotificationInvalid(f"The body is not JSON: {error}") from error
    if not isinstance(document, dict):
        raise NotificationInvalid("The body is not a JSON object.")
    entries: Any = document.get("data", document) if "data" in document else document
    entries = entries if isinstance(entries, list) else [entries]
    credits: list[IncomingCredit] = []
    skipped = 0
    for entry in entries:
        credit = _credit(entry)
        if credit is None:
            skipped += 1
        else:
            credits.append(credit)
    return credits, skipped


def _credit(entry: Any) -> IncomingCredit | None:
    if not isinstance(entry, dict):
        raise NotificationInvalid("A transaction is not a JSON object.")
    amount = _amount(entry.get("transferAmount", entry.get("amount")))
    if str(entry.get("transferType", "in")).lower() != "in" or amount <= 0:
        return None
    account = str(entry.get("accountNumber") or "")
    if account and account != settings.OCOP_VIETQR_ACCOUNT_NUMBER:
        return None  # a service watching several accounts: this credit is not to our collection account
    reference = str(entry.get("referenceCode") or entry.get("reference") or "").strip()
    if not reference:
        service_id = entry.get("id")
        if service_id in (None, ""):
            raise NotificationInvalid("A transaction has neither the bank's reference nor an id.")
        reference = f"notification-{service_id}"
    description = " ".join(
        str(text) for text in (entry.get("content"), entry.get("description")) if text not in (None, "")
    )
    return IncomingCredit(
        bank_reference=reference,
        amount=amount,
        description=description,
        transacted_at=_moment(entry.get("transactionDate") or entry.get("transactionDateTime") or entry.get("when")),
        account_number=account,
    )


def _amount(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise NotificationInvalid("A transaction has no amount.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise NotificationInvalid(f"The amount {value!r} is not a whole number of đồng.")


def _moment(value: Any) -> datetime.datetime:
    if not isinstance(value, str) or not value.strip():
        raise NotificationInvalid("A transaction has no date.")
    text = value.strip().replace("T", " ").replace("Z", "+00:00")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise NotificationInvalid(f"The date {value!r} is not YYYY-MM-DD HH:MM:SS.") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM)
