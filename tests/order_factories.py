"""Order factories for the tests: rows built straight with the ORM, no checkout or services involved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from marketplace.accounts.models import Address
from marketplace.channel.services import channel_ensure_default
from marketplace.orders.models import Order, OrderLine, OrderStatus, PaymentMethod
from marketplace.orders.pickup import generate_pickup_code
from marketplace.outlets.models import Outlet
from marketplace.shipping.models import ShippingMethod, ShippingZone
from tests.factories import make_outlet, make_producer


def next_order_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        return cursor.fetchone()[0]


def make_pickup_outlet(**kw: Any) -> Outlet:
    """A showroom with everything a "ready for pickup" e-mail shows, in both languages."""
    defaults: dict[str, Any] = {
        "name": "Trung tâm OCOP Biên Hòa",
        "name_en": "Biên Hòa OCOP Centre",
        "address_line": "1 Đường Nguyễn Ái Quốc",
        "commune": "Phường Trấn Biên",
        "phone": "0251 3822 000",
        "opening_hours": "Thứ Hai – Chủ nhật, 8:00 – 20:00",
        "opening_hours_en": "Monday – Sunday, 8:00 – 20:00",
        "pickup_instructions": "Nhận hàng tại quầy thu ngân, tầng trệt.",
        "pickup_instructions_en": "Collect at the cashier's desk, ground floor.",
        "hold_days": 5,
    }
    defaults.update(kw)
    return make_outlet(**defaults)


def make_order(*, lines: int = 1, **kw: Any) -> Order:
    """A cash order for pickup at a new outlet, unfulfilled, with `lines` lines of 150.000 ₫ × 2.

    Pass `collection_point=None` (and perhaps `shipping_address`) for home delivery.
    """
    if "collection_point" not in kw:
        kw["collection_point"] = make_pickup_outlet()
    outlet = kw["collection_point"]
    line_total = 300_000
    subtotal = line_total * lines
    shipping = kw.get("shipping_amount", 0)
    defaults: dict[str, Any] = {
        "number": next_order_number(),
        "status": OrderStatus.UNFULFILLED,
        "channel": channel_ensure_default(),
        "user_email": "buyer@example.test",
        "language_code": "vi",
        "collection_point_name": outlet.name if outlet else "",
        "subtotal_amount": subtotal,
        "shipping_amount": shipping,
        "total_amount": subtotal + shipping,
        "commission_percent": Decimal("10.00"),
        "payment_method": PaymentMethod.CASH,
    }
    defaults.update(kw)
    order = Order.objects.create(**defaults)
    producer = make_producer()
    for index in range(lines):
        OrderLine.objects.create(
            order=order,
            producer=producer,
            product_name=f"Bưởi Tân Triều {index + 1}",
            product_name_en=f"Tan Trieu pomelo {index + 1}",
            variant_name="Hộp 2 quả",
            product_sku=f"TST-ORD-{order.number}-{index}",
            quantity=2,
            unit_price_amount=150_000,
            total_price_amount=line_total,
            sort_order=index,
        )
    return order


def make_ready_order(*, collect_by: datetime.date | None = None, **kw: Any) -> Order:
    """An order waiting at its outlet since yesterday, with a pickup code and a last day to collect."""
    now = timezone.now()
    defaults: dict[str, Any] = {
        "status": OrderStatus.READY_FOR_PICKUP,
        "pickup_code": generate_pickup_code(),
        "ready_at": now - datetime.timedelta(days=1),
        "collect_by": collect_by or timezone.localdate() + datetime.timedelta(days=4),
    }
    defaults.update(kw)
    return make_order(**defaults)


def make_delivery_order(**kw: Any) -> Order:
    """A card-paid order for home delivery to an address in Đồng Nai."""
    zone = ShippingZone.objects.create(name="Đồng Nai", provinces=["75"])
    method = ShippingMethod.objects.create(
        zone=zone, name="Giao hàng tiêu chuẩn", name_en="Standard delivery", price_amount=30_000
    )
    address = Address.objects.create(
        first_name="Lan",
        last_name="Trần Thị",
        street_address_1="12 Đường Võ Thị Sáu",
        city="Phường Trấn Biên",
        country_area="Tỉnh Đồng Nai",
        phone="0909 000 111",
    )
    defaults: dict[str, Any] = {
        "collection_point": None,
        "shipping_address": address,
        "billing_address": address,
        "shipping_method": method,
        "shipping_method_name": method.name,
        "shipping_amount": method.price_amount,
        "payment_method": PaymentMethod.CARD,
    }
    defaults.update(kw)
    return make_order(**defaults)
