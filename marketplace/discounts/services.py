"""Writes to vouchers: counting a use when an order is placed, under the voucher's row lock."""

from __future__ import annotations

from django.db import transaction

from marketplace.discounts.error_codes import VoucherRefusal
from marketplace.discounts.models import Voucher, VoucherCode, VoucherCustomer


class VoucherNotApplicable(Exception):
    def __init__(self, refusal: VoucherRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def voucher_use(*, voucher_id: int, code: VoucherCode | None, email: str) -> Voucher:
    """Count one use of the voucher by this e-mail, or refuse (`VoucherNotApplicable`) when its limit is reached
    or, once per customer, this e-mail used it already.

    Call inside the transaction that places the order: the voucher's row stays locked until it commits, so
    concurrent orders using the same voucher queue up and the later ones see the count the earlier ones left.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AssertionError("voucher_use runs inside the transaction placing the order")
    voucher = Voucher.objects.select_for_update().get(pk=voucher_id)
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        raise VoucherNotApplicable(VoucherRefusal.USED_UP)
    email = email.strip().lower()
    if voucher.apply_once_per_customer:
        if not email or VoucherCustomer.objects.filter(voucher=voucher, customer_email=email).exists():
            raise VoucherNotApplicable(VoucherRefusal.ALREADY_USED)
        VoucherCustomer.objects.create(voucher=voucher, voucher_code=code, customer_email=email)
    voucher.used += 1
    voucher.save(update_fields=["used"])
    return voucher
