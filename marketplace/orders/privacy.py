"""What a receipt shows of its buyer.

An order's id is its receipt: the storefront's order page reads `order(id)` right after checkout, and anyone
holding the id (a forwarded link, a shared screen) reads the order by it, as Saleor answers an order by id.
The receipt shows what was bought, for how much, how and where it is collected or delivered, and the commune
and province of its addresses. Who bought it (the e-mail, names, street, hamlet, phone and note) is shown in
full only to the buyer and to staff who may see the order (`buyer_details_visible`); to anyone else it is
masked as Saleor masks it (`k...@example.vn`, `N....`, a phone's first three characters), and the pickup code,
which releases the goods at the outlet, is not shown at all.
"""

from __future__ import annotations

import copy

from marketplace.accounts.models import Address, Role, User
from marketplace.orders.models import Order
from marketplace.orders.permissions import visible_orders


def buyer_details_visible(user: User | None, order: Order) -> bool:
    """Whether `user` sees who bought `order`: its buyer, and staff who may see the order (operators, the
    outlet's staff where it is collected, the producers whose products it holds)."""
    if user is None or not user.is_authenticated:
        return False
    if order.user_id is not None and order.user_id == user.pk:
        return True
    if user.role in (Role.CONSUMER, Role.TRADE_STAFF):
        return False
    return visible_orders(user).filter(pk=order.pk).exists()


def mask_text(value: str, *, keep: int = 1) -> str:
    """The first `keep` characters, then a dot for each other one (Saleor's `obfuscate_string`)."""
    if not value:
        return ""
    return value[:keep] + "." * (len(value) - keep)


def mask_email(value: str) -> str:
    """`khach@example.vn` → `k...@example.vn` (Saleor's `obfuscate_email`)."""
    if "@" not in value:
        return mask_text(value)
    local, _, domain = value.rpartition("@")
    return f"{local[:1]}...@{domain}"


def masked_address(address: Address) -> Address:
    """A copy of `address` (never saved) with the names, street, hamlet and phone masked; the commune,
    province, postal code and country kept."""
    masked = copy.copy(address)
    for field in ("first_name", "last_name", "company_name", "street_address_1", "street_address_2", "city_area"):
        setattr(masked, field, mask_text(getattr(address, field)))
    masked.phone = mask_text(address.phone, keep=3)
    return masked


def masked_receipt(order: Order) -> Order:
    """A copy of `order` (never saved) as a receipt shows it to someone who is not its buyer: the buyer's
    e-mail, note and addresses masked, no pickup code. Its lines and discounts are read from `order`'s
    prefetched rows as they are."""
    receipt = copy.copy(order)
    receipt.user_email = mask_email(order.user_email)
    receipt.customer_note = mask_text(order.customer_note)
    receipt.pickup_code = None
    for field in ("shipping_address", "billing_address"):
        address = getattr(order, field)
        if address is not None:
            setattr(receipt, field, masked_address(address))
    return receipt
