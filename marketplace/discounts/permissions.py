"""The back office's rules for vouchers: operators set them up; no other role sees them.

An order's copy of its discount (`OrderDiscount`) is written only when the order is placed; the back office
shows it to operators, read-only, with the order.
"""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, VIEW, Resource, register_model, scope_operator_only
from marketplace.discounts.models import OrderDiscount, Voucher, VoucherCode, VoucherCustomer

VOUCHER = Resource("discounts.voucher", grants={Role.OPERATOR: ALL}, fixed_after_add=frozenset({"channel"}))
VOUCHER_CUSTOMER = Resource("discounts.voucher_customer", grants={Role.OPERATOR: VIEW})
ORDER_DISCOUNT = Resource("discounts.order_discount", grants={Role.OPERATOR: VIEW})

register_model(Voucher, scope=scope_operator_only)
register_model(VoucherCode, scope=scope_operator_only)
register_model(VoucherCustomer, scope=scope_operator_only)
register_model(OrderDiscount, scope=scope_operator_only)
