"""The domain's refusals in the page's language. The services explain themselves in English for the API;
the pages say the same by error code, with the product named where a line is at fault."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import ErrorDetail

ADDRESS_INVALID = {
    "country_area": lambda: _("Choose one of Vietnam's 34 provinces."),
    "city": lambda: _("Choose a commune of this province."),
    "phone": lambda: _("Write a Vietnamese phone number: 0 and 9 digits (e.g. 0912 345 678) or +84…."),
    "postal_code": lambda: _("A Vietnamese postal code has 5 or 6 digits, e.g. 76000."),
}


VOUCHER_REFUSALS: dict[str, Callable[[], str]] = {  # by `VoucherRefusal` value
    "other_channel": lambda: _("This code is not valid in this shop."),
    "not_started": lambda: _("This code is not valid yet."),
    "expired": lambda: _("This code has expired."),
    "used_up": lambda: _("This code has been used as many times as it may be."),
    "already_used": lambda: _("This code can be used once per customer, and this e-mail address has used it."),
    "minimum_not_reached": lambda: _("Your cart does not reach this code's minimum order."),
    "nothing_eligible": lambda: _("This code does not apply to any product in your cart."),
}


def voucher_refusal_message(reason: str) -> str:
    """Why a promo code does not apply, in the page's language."""
    return VOUCHER_REFUSALS[reason]() if reason in VOUCHER_REFUSALS else _("This code does not apply to your cart.")


def error_message(detail: ErrorDetail, *, name: str = "") -> str:
    """What to show for one refusal; `name` is the product of the line or variant at fault, if any."""
    code = detail.code
    what = name or _("This product")
    if code == CheckoutErrorCode.REQUIRED:
        return _("This field is required.")
    if code == CheckoutErrorCode.VOUCHER_NOT_APPLICABLE:
        return voucher_refusal_message(detail.extra.get("reason", ""))
    if detail.field in ("promoCode", "promoCodeId"):
        return _("This promo code is not valid.")
    if code == CheckoutErrorCode.INVALID:
        if detail.field == "email":
            return _("Enter a valid e-mail address.")
        if detail.field in ADDRESS_INVALID:
            return ADDRESS_INVALID[detail.field]()
        return _("Check this value.")
    messages: dict[str, Callable[[], str]] = {
        CheckoutErrorCode.PRODUCT_NOT_PUBLISHED: lambda: (
            _(
                "%(name)s can no longer be bought: it holds no valid 3–5 star OCOP certificate today. "
                "Remove it from the cart."
            )
            % {"name": what}
        ),
        CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL: lambda: _("%(name)s is not sold here.") % {"name": what},
        CheckoutErrorCode.PRICE_CHANGED: lambda: (
            _("The price of %(name)s changed. Accept the new price to go on.") % {"name": what}
        ),
        CheckoutErrorCode.INSUFFICIENT_STOCK: lambda: (
            _("Not enough of %(name)s is left in stock for this quantity.") % {"name": what}
        ),
        CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT: lambda: (
            _("You can buy at most %(limit)s of one item.") % {"limit": settings.OCOP_CHECKOUT_MAX_LINE_QUANTITY}
        ),
        CheckoutErrorCode.ZERO_QUANTITY: lambda: _("The quantity must be at least 1."),
        CheckoutErrorCode.NOT_FOUND: lambda: _("This item could not be found. Reload the page and try again."),
        CheckoutErrorCode.NO_LINES: lambda: _("Your cart is empty."),
        CheckoutErrorCode.EMAIL_NOT_SET: lambda: _("Enter your e-mail address."),
        CheckoutErrorCode.SHIPPING_METHOD_NOT_SET: lambda: _("Choose pickup at an outlet or a home delivery method."),
        CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET: lambda: _("Enter the delivery address."),
        CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE: lambda: _(
            "This pickup point or delivery method cannot serve your cart. Choose another one."
        ),
        CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID: lambda: _("The card payment has not gone through yet."),
        CheckoutErrorCode.CHANNEL_INACTIVE: lambda: _("The shop is closed right now."),
        CheckoutErrorCode.PAYMENT_ERROR: lambda: (
            _("The card payment did not go through: %(reason)s") % {"reason": detail.message}
        ),
    }
    if code in messages:
        return messages[code]()
    if str(code) == "PAYMENT_ERROR":  # payments' own error codes share the name
        return messages[CheckoutErrorCode.PAYMENT_ERROR]()
    return detail.message
