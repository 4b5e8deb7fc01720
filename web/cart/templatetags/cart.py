from django import template
from django.utils.translation import gettext_lazy as _

from web.cart.errors import voucher_refusal_message
from web.cart.language import in_language as _in_language

register = template.Library()


@register.filter
def in_language(obj, field: str) -> str:
    """{{ outlet|in_language:"opening_hours" }}: the English text on English pages when there is one."""
    return _in_language(obj, field)


@register.filter
def get_item(mapping: dict, key) -> object:
    """{{ errors|get_item:line.pk }}: a dict's value by a key from the template (str keys)."""
    return (mapping or {}).get(str(key), ())


@register.filter
def outlet_address(outlet) -> str:
    """The fullest address the outlet has (`Outlet.full_address`)."""
    return outlet.full_address


@register.filter
def voucher_refusal(reason: str) -> str:
    """{{ promo.refusal|voucher_refusal }}: why the cart's promo code does not apply, in the page's language."""
    return voucher_refusal_message(reason)


# An order's status as the buyer reads it: where their order is, in their words (issue 16 §3), not the back
# office's ("Unfulfilled").
_BUYER_STATUS = {
    "unconfirmed": _("Awaiting payment"),
    "unfulfilled": _("Being prepared"),
    "ready_for_pickup": _("Ready for pickup"),
    "shipped": _("On its way"),
    "picked_up": _("Collected"),
    "delivered": _("Delivered"),
    "canceled": _("Cancelled"),
}


@register.filter
def buyer_status(status: str) -> str:
    """{{ order.status|buyer_status }}."""
    return str(_BUYER_STATUS.get(status, status))
