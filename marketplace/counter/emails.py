"""A walk-in sale's receipt by e-mail, when the buyer asks for one at the counter: in Vietnamese or English, text
and HTML, the same facts as the printed receipt. The address is used for this e-mail only and not kept."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.accounts.models import User
from marketplace.core.dates import moment_text
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.core.money import format_vnd
from marketplace.counter.error_codes import CounterErrorCode
from marketplace.counter.models import CounterSale
from marketplace.counter.services import can_sell_at

logger = logging.getLogger(__name__)

_SUBJECTS = {
    "vi": "Hóa đơn {number} · {outlet}",
    "en": "Receipt {number} · {outlet}",
}


def counter_receipt_email(*, sale: CounterSale, to: str, language: str, by_user: User) -> None:
    """E-mail receipt `sale` to `to` in `language` ("vi" or "en"); a refused address or a mail server that does
    not answer is a DomainError the counter shows, and nothing is recorded."""
    if not can_sell_at(by_user, sale.outlet):
        raise PermissionDenied("Only this outlet's staff send its receipts.")
    address = (to or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError(
            "Enter the buyer's e-mail address, like name@example.com.",
            code=CounterErrorCode.INVALID_EMAIL,
            field="email",
        ) from None
    if not sale.is_paid:
        raise DomainError(
            f"Receipt {sale.receipt_number} is not paid: there is no receipt to send yet.",
            code=CounterErrorCode.NOT_PAID,
            field="receipt",
        )
    language = "en" if (language or "").lower().startswith("en") else "vi"
    context = _context(sale, language)
    subject = _SUBJECTS[language].format(number=sale.receipt_number, outlet=sale.outlet.name)
    with translation.override(language):
        text = render_to_string(f"counter/email/receipt.{language}.txt", context)
        html = render_to_string(f"counter/email/receipt.{language}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Receipt %s not e-mailed: %s", sale.receipt_number, exc)
        raise DomainError(
            "The e-mail could not be sent just now. Print the receipt, or try again in a moment.",
            code=CounterErrorCode.EMAIL_NOT_SENT,
            field="email",
        ) from exc
    logger.info("Receipt %s e-mailed", sale.receipt_number)


def _context(sale: CounterSale, language: str) -> dict[str, Any]:
    en = language == "en"

    def money(amount: int) -> str:
        return format_vnd(amount, language)

    lines = [
        {
            "name": line.product_name_en if en and line.product_name_en else line.product_name,
            "variant": line.variant_name,
            "quantity": line.quantity,
            "unit_price": money(line.unit_price_amount),
            "total_price": money(line.total_price_amount),
            "certificate": line.certificate_id,
        }
        for line in sale.lines.all()
    ]
    outlet = sale.outlet
    return {
        "number": sale.receipt_number,
        "outlet": outlet.name,
        "address": outlet.full_address,
        "sold_at": moment_text(sale.paid_at or sale.created_at),
        "lines": lines,
        "total": money(sale.total_amount),
        "method": sale.payment_method,
        "cash_received": money(sale.cash_received) if sale.cash_received is not None else "",
        "change": money(sale.change_given),
        "slip": sale.card_slip_reference,
        "return_days": settings.OCOP_COUNTER_RETURN_DAYS,
    }
