"""Why the counter refused a code or a hand-over, said in the staff's language.

The order services explain themselves in English for logs and the API; the counter turns each
error code into a sentence of its own, with the order's number and dates filled in.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.counter.error_codes import CounterErrorCode
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Order
from web.outletdesk.labels import outlet_name, status_label
from web.outletdesk.selectors import pickup_code_order
from web.templatetags.web import vnd


def error_code(error: DomainError) -> str:
    return str(error.details[0].code)


def _day(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "…"


def pickup_refusal(error: DomainError, *, code: str) -> str:
    """Why the order behind `code` cannot be handed over here."""
    reason = error_code(error)
    if reason == OrderErrorCode.PICKUP_CODE_INVALID:
        return _("No order has this pickup code. Check the code in the buyer's e-mail, or scan its QR code again.")
    order = pickup_code_order(code=code)
    if order is None:  # gone in the meantime
        return _("No order has this pickup code. Check the code in the buyer's e-mail, or scan its QR code again.")
    if reason == OrderErrorCode.PICKUP_WRONG_OUTLET:
        return _("This order is collected at %(outlet)s, not at this outlet. Please send the buyer there.") % {
            "outlet": outlet_name(order.collection_point) or order.collection_point_name
        }
    if reason == OrderErrorCode.ALREADY_PICKED_UP:
        handed_over = date_format(timezone.localtime(order.handed_over_at), "SHORT_DATETIME_FORMAT")
        return _("Order #%(number)s was already handed over on %(date)s.") % {
            "number": order.number,
            "date": handed_over,
        }
    if reason == OrderErrorCode.NOT_READY_FOR_PICKUP:
        return _("Order #%(number)s is not ready for pickup (it is: %(status)s).") % {
            "number": order.number,
            "status": status_label(order.status),
        }
    if reason == OrderErrorCode.OUTLET_NOT_HANDING_OVER:
        outlet = order.collection_point
        return _("This booth hands over orders only during its fair, from %(first)s to %(last)s.") % {
            "first": date_format(outlet.collects_from, "SHORT_DATE_FORMAT") if outlet and outlet.collects_from else "…",
            "last": date_format(outlet.collects_until, "SHORT_DATE_FORMAT")
            if outlet and outlet.collects_until
            else "…",
        }
    if reason == OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER:
        return _("Order #%(number)s is not paid yet: %(due)s is due.") % {
            "number": order.number,
            "due": vnd(order.amount_due),
        }
    return _("This order cannot be handed over: %(reason)s") % {"reason": str(error)}


def cash_refusal(*, order: Order, entered: int | None) -> str:
    """The amount typed is less than what the buyer owes."""
    return _("%(due)s is due on order #%(number)s, but %(entered)s was handed over: take the rest.") % {
        "due": vnd(order.amount_due),
        "number": order.number,
        "entered": vnd(entered) if entered is not None else _("nothing"),
    }


def counter_refusal(detail: ErrorDetail) -> str:
    """Why the counter refused a walk-in sale or a return, in the staff's language, from the product and figures the
    service gives (`detail.extra`)."""
    code = str(detail.code)
    if code == CounterErrorCode.CASH_SHORT:
        return _("The cash handed over is less than the total: count it again, or take the rest.")
    extra = detail.extra
    if code == CounterErrorCode.INSUFFICIENT_STOCK and {"product", "available", "asked"} <= extra.keys():
        return (
            _(
                "%(product)s: %(available)s left for the counter (the rest is promised to online orders); "
                "%(asked)s asked."
            )
            % extra
        )
    if code == CounterErrorCode.NOT_FOR_SALE and "product" in extra:
        return (
            _(
                "%(product)s is not for sale: its OCOP certificate is not valid today. Take it off the shelf and "
                "tell the producer."
            )
            % extra
        )
    if code == CounterErrorCode.REQUIRED and detail.field == "slipReference":
        return _("Enter the reference printed on the card terminal's slip.")
    if code == CounterErrorCode.REQUIRED and detail.field == "lines":
        return _("The basket is empty: add what the buyer takes.")
    if code == CounterErrorCode.REQUIRED and detail.field == "returnLines":
        return _("Choose what is brought back.")
    if code == CounterErrorCode.RETURN_TOO_LATE and {"receipt", "day"} <= extra.keys():
        return _("Receipt %(receipt)s could be returned until %(day)s.") % extra
    if code == CounterErrorCode.RETURN_TOO_MANY and {"product", "left", "sold", "asked"} <= extra.keys():
        return _("%(product)s: %(left)s of %(sold)s can still be returned; %(asked)s asked.") % extra
    if code == CounterErrorCode.NOT_PAID:
        return _("This sale is not paid yet: wait for the transfer, or cancel the sale.")
    if code == CounterErrorCode.ALREADY_PAID:
        return _("This sale is paid: to take the goods back, record a return against the receipt.")
    if code == CounterErrorCode.INVALID_EMAIL:
        return _("Enter the buyer's e-mail address, like name@example.com.")
    if code == CounterErrorCode.EMAIL_NOT_SENT:
        return _("The e-mail could not be sent just now. Print the receipt, or try again in a moment.")
    return detail.message
