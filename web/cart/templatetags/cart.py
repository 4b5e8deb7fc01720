from django import template

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
