"""Voucher test helpers: a voucher with one code, and a checkout of the checkout tests' shop to apply it to."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from marketplace.channel.models import Channel
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.discounts.models import Voucher, VoucherCode
from tests.marketplace.checkout.helpers import Shop


def make_voucher(channel: Channel, code: str = "TET2027", **kw: Any) -> Voucher:
    """A 10% voucher valid since yesterday, with one code; `products=`, `producers=`… limit it."""
    limits = {name: kw.pop(name) for name in ("products", "collections", "categories", "producers") if name in kw}
    defaults: dict[str, Any] = {
        "name": "Khuyến mãi Tết",
        "name_en": "Tết sale",
        "channel": channel,
        "discount_value_type": "percentage",
        "discount_value": 10,
        "start_date": timezone.now() - datetime.timedelta(days=1),
    }
    defaults.update(kw)
    voucher = Voucher.objects.create(**defaults)
    for name, values in limits.items():
        getattr(voucher, name).set(values)
    VoucherCode.objects.create(voucher=voucher, code=code)
    return voucher


def shop_checkout(shop: Shop, *, coffee: int = 1, cashew: int = 1, email: str = "buyer@example.test") -> Checkout:
    """Coffee (150.000 ₫, producer A) and cashew (220.000 ₫, producer B), pickup at the tourist site."""
    lines = [
        LineRequest(variant_id=variant.pk, quantity=quantity)
        for variant, quantity in ((shop.coffee_variant, coffee), (shop.cashew_variant, cashew))
        if quantity
    ]
    checkout = checkout_create(channel=shop.channel, lines=lines, email=email, language_code="vi", user=None)
    checkout.collection_point = shop.tourist_site
    checkout.save()
    return checkout


def pay_cash_and_complete(checkout: Checkout):
    from payments.checkout import checkout_complete
    from payments.models import Gateway, TransactionItem

    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=0)
    return checkout_complete(token=checkout.pk, user=None)
