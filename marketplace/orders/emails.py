"""The e-mails a buyer gets about an order, in the order's language (Vietnamese unless it is English).

This is the only module that builds or sends order e-mails. Each goes out through Django's
e-mail backend as text plus HTML from `orders/email/<kind>.<language>.txt|html`, from
`DEFAULT_FROM_EMAIL`, and is recorded as an `OrderEvent` of type EMAIL_SENT with
`{"email": <kind>, "to": <address>}`. A backend failure is raised as `EmailDeliveryError`.

The "ready for pickup" and reminder e-mails carry the pickup code twice as a PNG QR code: inline
(multipart/related, shown by the HTML as `cid:...`) and as an ordinary attachment for mail
clients that hide inline images, so the buyer can always open it at the counter.
"""

import datetime
import logging
import re
import secrets
import smtplib
from dataclasses import dataclass
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.core.dates import day_text, moment_text
from marketplace.core.money import format_vnd
from marketplace.orders.models import Order, OrderEvent, OrderEventType, OrderStatus, PaymentMethod
from marketplace.orders.pickup import pickup_qr_png
from marketplace.orders.transfer_reference import reference_for, transfer_deadline, written

__all__ = [
    "CANCEL_REASONS",
    "EmailDeliveryError",
    "EmailKind",
    "format_day",
    "order_language",
    "send_order_canceled",
    "send_order_confirmation",
    "send_outlet_order_paid",
    "send_payment_received",
    "send_pickup_reminder",
    "send_ready_for_pickup",
]

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")


class EmailKind(StrEnum):
    """The `email` parameter of an EMAIL_SENT event, and the templates' base name."""

    ORDER_CONFIRMATION = "order_confirmation"
    READY_FOR_PICKUP = "ready_for_pickup"
    PICKUP_REMINDER = "pickup_reminder"
    ORDER_CANCELED = "order_canceled"
    PAYMENT_RECEIVED = "payment_received"
    OUTLET_ORDER_PAID = "outlet_order_paid"  # to the outlet, not the buyer


class EmailDeliveryError(Exception):
    """The e-mail backend did not take the message (SMTP refused it, or the server could not be reached)."""


_SUBJECTS = {
    EmailKind.ORDER_CONFIRMATION: {
        "vi": "OCOP Đồng Nai: đã nhận đơn hàng #{number}",
        "en": "OCOP Đồng Nai: we have your order #{number}",
    },
    EmailKind.READY_FOR_PICKUP: {
        "vi": "Đơn hàng #{number} đã sẵn sàng để nhận – mã nhận hàng {code}",
        "en": "Order #{number} is ready for pickup – pickup code {code}",
    },
    EmailKind.PICKUP_REMINDER: {
        "vi": "Nhắc nhở: vui lòng nhận đơn hàng #{number} chậm nhất vào {collect_by}",
        "en": "Reminder: collect order #{number} by {collect_by}",
    },
    EmailKind.ORDER_CANCELED: {
        "vi": "Đơn hàng #{number} đã bị hủy",
        "en": "Order #{number} has been cancelled",
    },
    EmailKind.PAYMENT_RECEIVED: {
        "vi": "Đã nhận chuyển khoản cho đơn hàng #{number}",
        "en": "We have your transfer for order #{number}",
    },
}

# Why an order was cancelled, as the buyer reads it; a reason not listed here is not shown.
# Each completes "Đơn hàng #1001 của bạn đã bị hủy …" / "Your order #1001 has been cancelled …".
CANCEL_REASONS = {
    "not_collected": {
        "vi": "vì chưa được nhận trước hạn cuối",
        "en": "because it was not collected by the last day to collect",
    },
    "customer_request": {"vi": "theo yêu cầu của bạn", "en": "at your request"},
    "out_of_stock": {"vi": "vì sản phẩm trong đơn đã hết hàng", "en": "because a product in it is out of stock"},
    "payment_failed": {"vi": "vì thanh toán không thành công", "en": "because the payment did not go through"},
    "transfer_not_received": {
        "vi": "vì chúng tôi chưa nhận được chuyển khoản trong thời hạn giữ hàng",
        "en": "because your bank transfer did not reach us while the goods were held for you",
    },
}

_WEEKDAYS = {
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def order_language(order: Order) -> str:
    """The language of an order's e-mails: English for `en` (or `en-*`), Vietnamese for everything else."""
    return "en" if (order.language_code or "").lower().startswith("en") else "vi"


def format_day(day: datetime.date, language: str) -> str:
    """A day as people write it: "thứ Hai, 07/12/2026" or "Monday 7 December 2026" (no locale involved)."""
    weekday = _WEEKDAYS[language][day.weekday()]
    if language == "en":
        return f"{weekday} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{weekday}, {day_text(day)}"


def send_order_confirmation(order: Order) -> None:
    """What was ordered, what it costs, and where it will be collected or delivered."""
    _send(order, kind=EmailKind.ORDER_CONFIRMATION)


def send_ready_for_pickup(order: Order) -> None:
    """The order waits at its outlet: where, when it is open, the pickup code and QR, the last day to collect."""
    _send(order, kind=EmailKind.READY_FOR_PICKUP, pickup_code=_require_pickup(order))


def send_pickup_reminder(order: Order) -> None:
    """The day before `collect_by`: the same facts as the "ready" e-mail, led by the deadline."""
    _send(order, kind=EmailKind.PICKUP_REMINDER, pickup_code=_require_pickup(order))


def send_payment_received(order: Order) -> None:
    """A transfer paid the order in full: it is confirmed and being prepared."""
    _send(order, kind=EmailKind.PAYMENT_RECEIVED)


def send_outlet_order_paid(order: Order) -> None:
    """To the collecting outlet's address (in Vietnamese, for its staff): a pickup order is paid, prepare it."""
    outlet = order.collection_point
    if outlet is None or not outlet.email:
        return
    lines = "\n".join(
        f"- {line.product_name}{f' ({line.variant_name})' if line.variant_name else ''} × {line.quantity}"
        for line in order.lines.all()
    )
    body = (
        f"Đơn hàng #{order.number} đã được thanh toán bằng chuyển khoản ({format_vnd(order.total_charged_amount)}) "
        f"và cần được chuẩn bị để khách nhận tại {outlet.name}.\n\n{lines}\n\n"
        "Mở bảng điều khiển điểm bán (/outlet/) để đánh dấu đơn hàng sẵn sàng.\n"
    )
    message = EmailMultiAlternatives(
        subject=f"Đơn hàng #{order.number} đã thanh toán: cần chuẩn bị",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[outlet.email],
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailDeliveryError(f"{EmailKind.OUTLET_ORDER_PAID} for order {order} to {outlet.email}: {exc}") from exc
    OrderEvent.objects.create(
        order=order,
        type=OrderEventType.EMAIL_SENT,
        parameters={"email": EmailKind.OUTLET_ORDER_PAID, "to": outlet.email},
    )


def send_order_canceled(order: Order, reason: str) -> None:
    """The order is cancelled: why (for the reasons in `CANCEL_REASONS`) and what happens to the money."""
    _send(order, kind=EmailKind.ORDER_CANCELED, extra={"reason": reason})


def _require_pickup(order: Order) -> str:
    """The pickup code of an order waiting at its outlet."""
    if not order.is_pickup or not order.pickup_code or order.collect_by is None:
        raise ValueError(f"order {order} is not waiting at an outlet (no collection point, pickup code or collect_by)")
    return order.pickup_code


@dataclass(frozen=True)
class _InlineImage:
    content_id: str  # without the angle brackets, as the HTML's cid: URL has it
    filename: str
    content: bytes


class _OrderEmail(EmailMultiAlternatives):
    """Text and HTML alternatives, wrapped in multipart/related with the images the HTML shows.

    multipart/mixed
      multipart/related
        multipart/alternative (text/plain, text/html)
        image/png (Content-ID, inline)
      image/png (attachment)
    """

    def __init__(self, *args: Any, inline_images: tuple[_InlineImage, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline_images = inline_images

    def _create_alternatives(self, msg: MIMEBase) -> MIMEBase:
        msg = super()._create_alternatives(msg)  # type: ignore[misc]  # Django 5.2's hook; django-stubs omit it
        if not self.inline_images:
            return msg
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
        related.attach(msg)
        for image in self.inline_images:
            part = MIMEImage(image.content, "png")
            part.add_header("Content-ID", f"<{image.content_id}>")
            part.add_header("Content-Disposition", "inline", filename=image.filename)
            related.attach(part)
        return related


def _send(
    order: Order, *, kind: EmailKind, pickup_code: str | None = None, extra: dict[str, Any] | None = None
) -> None:
    """Sends one e-mail about the order; with `pickup_code`, its QR code inline and attached."""
    if not order.user_email:
        logger.warning("order %s has no e-mail address; %s not sent", order, kind)
        return
    language = order_language(order)
    context = _context(order, language, extra or {})
    inline_images: tuple[_InlineImage, ...] = ()
    qr_png = b""
    qr_filename = ""
    if pickup_code is not None:
        qr_png = pickup_qr_png(pickup_code)
        qr_filename = f"{'pickup-code' if language == 'en' else 'ma-nhan-hang'}-{pickup_code}.png"
        # Short enough that the Content-ID header is never folded over two lines.
        content_id = f"pickup-qr.{secrets.token_hex(6)}@ocop-marketplace"
        inline_images = (_InlineImage(content_id=content_id, filename=qr_filename, content=qr_png),)
        context["qr_cid"] = content_id
    context["subject"] = _SUBJECTS[kind][language].format(
        number=order.number, code=order.pickup_code or "", collect_by=context["collect_by"]
    )
    with translation.override(language):
        text = _tidy_text(render_to_string(f"orders/email/{kind}.{language}.txt", context))
        html = render_to_string(f"orders/email/{kind}.{language}.html", context)
    message = _OrderEmail(
        subject=context["subject"],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.user_email],
        inline_images=inline_images,
    )
    message.attach_alternative(html, "text/html")
    if qr_png:
        message.attach(qr_filename, qr_png, "image/png")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailDeliveryError(f"{kind} for order {order} to {order.user_email}: {exc}") from exc
    OrderEvent.objects.create(
        order=order, type=OrderEventType.EMAIL_SENT, parameters={"email": kind, "to": order.user_email}
    )
    logger.info("sent %s for order %s", kind, order)


def _context(order: Order, language: str, extra: dict[str, Any]) -> dict[str, Any]:
    en = language == "en"

    def money(amount: int) -> str:
        return format_vnd(amount, language)

    lines = [
        {
            "name": (line.product_name_en if en and line.product_name_en else line.product_name),
            "variant": line.variant_name,
            "quantity": line.quantity,
            "unit_price": money(line.unit_price_amount),
            "total_price": money(line.total_price_amount),
        }
        for line in order.lines.all()
    ]
    context: dict[str, Any] = {
        "language": language,
        "number": order.number,
        "order_url": order_page_url(order),
        "customer_name": _customer_name(order),
        "lines": lines,
        "subtotal": money(order.subtotal_amount),
        "discount": money(order.discount_amount) if order.discount_amount else "",
        "voucher_code": order.voucher_code,
        "shipping": money(order.shipping_amount),
        "has_shipping_cost": order.shipping_amount > 0,
        "total": money(order.total_amount),
        "amount_due": money(order.amount_due),
        "pays_cash": order.payment_method == PaymentMethod.CASH and order.amount_due > 0,
        "pays_card": order.payment_method == PaymentMethod.CARD,
        "is_pickup": order.is_pickup,
        "outlet": _outlet(order, language),
        "delivery": None if order.is_pickup else _delivery(order, language),
        "pickup_code": order.pickup_code or "",
        "collect_by": format_day(order.collect_by, language) if order.collect_by else "",
        "customer_note": order.customer_note,
        "pays_by_transfer": order.payment_method == PaymentMethod.TRANSFER,
        "transfer": _transfer(order, language),
        "paid": money(order.total_charged_amount - order.total_refunded_amount),
    }
    if "reason" in extra:
        reason = CANCEL_REASONS.get(extra["reason"], {}).get(language, "")
        refunded = order.total_refunded_amount
        context.update(
            reason_text=reason,
            refunded=money(refunded) if refunded else "",
            refund_pending=money(order.total_charged_amount - refunded)
            if order.total_charged_amount > refunded
            else "",
        )
    return context


def order_page_url(order: Order) -> str:
    """The order's own page, the buyer's receipt (web/cart's `cart:order`), as an absolute address."""
    return settings.OCOP_SITE_URL.rstrip("/") + reverse("cart:order", args=[order.pk])


def _transfer(order: Order, language: str) -> dict[str, str] | None:
    """Where and what to transfer, and by when, for an order still awaiting its transfer."""
    if (
        order.payment_method != PaymentMethod.TRANSFER
        or order.status != OrderStatus.UNCONFIRMED
        or not order.amount_due
    ):
        return None
    deadline = transfer_deadline(order)
    return {
        "bank_name": settings.OCOP_VIETQR_BANK_NAME,
        "account_number": settings.OCOP_VIETQR_ACCOUNT_NUMBER,
        "account_name": settings.OCOP_VIETQR_ACCOUNT_NAME,
        "amount": format_vnd(order.amount_due, language),
        "reference": written(reference_for(order.number)),
        "deadline": moment_text(deadline),
    }


def _customer_name(order: Order) -> str:
    for address in (order.billing_address, order.shipping_address):
        if address is not None and address.full_name:
            return address.full_name
    return ""


def _outlet(order: Order, language: str) -> dict[str, str] | None:
    outlet = order.collection_point
    if outlet is None:
        return None
    en = language == "en"
    return {
        "name": (outlet.name_en if en and outlet.name_en else outlet.name) or order.collection_point_name,
        "address": outlet.full_address,
        "opening_hours": (outlet.opening_hours_en if en and outlet.opening_hours_en else outlet.opening_hours),
        "instructions": (
            outlet.pickup_instructions_en if en and outlet.pickup_instructions_en else outlet.pickup_instructions
        ),
        "phone": outlet.phone,
    }


def _delivery(order: Order, language: str) -> dict[str, Any]:
    method = order.shipping_method
    method_name = order.shipping_method_name
    if language == "en" and method is not None and method.name_en:
        method_name = method.name_en
    address = order.shipping_address
    address_lines: list[str] = []
    if address is not None:
        address_lines = [
            part
            for part in (
                address.full_name,
                address.company_name,
                address.street_address_1,
                address.street_address_2,
                ", ".join(part for part in (address.city_area, address.city, address.country_area) if part),
                address.phone,
            )
            if part
        ]
    return {"method": method_name, "address_lines": address_lines}


_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _tidy_text(text: str) -> str:
    """The text part without the blank lines and trailing spaces that template tags leave behind."""
    return _BLANK_RUNS.sub("\n\n", _TRAILING_SPACE.sub("", text)).strip() + "\n"
