"""Completing a checkout runs a fixed number of SQL statements, whatever the number of lines and fulfilments.

Counted around `payments.checkout.checkout_complete` (the entry point of the API and the cart page): the
locked checkout, its transactions, the lines with today's prices, the locked stock, then the order's rows
in one insert per table and the stock allocations in one update.
"""

from __future__ import annotations

from marketplace.checkout.models import Checkout
from marketplace.checkout.services import (
    LineRequest,
    checkout_create,
    checkout_delivery_method_update,
    checkout_shipping_address_update,
)
from marketplace.orders.models import Order
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionItem

# Savepoints, the order number's sequence and the confirmation e-mail's outbox row count too. Home delivery adds
# the copy of the shipping address and the shipping methods that still apply to it. A pickup reads the collection
# point's opening hours for its ready day.
PICKUP_QUERIES = 23
DELIVERY_QUERIES = 24


def _checkout(shop, *, quantities: dict[int, int]) -> Checkout:
    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=variant_id, quantity=quantity) for variant_id, quantity in quantities.items()],
        email="buyer@example.test",
        language_code="vi",
        user=None,
    )
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=0)
    return checkout


def test_a_pickup_order_from_two_outlets_and_two_producers(shop, django_assert_num_queries):
    # 5 coffee at the showroom itself, the cashews from the tourist site and producer B's warehouse.
    checkout = _checkout(shop, quantities={shop.coffee_variant.pk: 5, shop.cashew_variant.pk: 15})
    checkout_delivery_method_update(checkout=checkout, outlet_id=shop.showroom.pk)

    with django_assert_num_queries(PICKUP_QUERIES):
        order = checkout_complete(token=checkout.pk, user=None)

    assert order.fulfillments.count() == 2  # the coffee at the showroom, the cashews from producer B's warehouse
    assert Order.objects.filter(pk=order.pk, collection_point=shop.showroom).exists()


def test_a_home_delivery_order(shop, django_assert_num_queries):
    checkout = _checkout(shop, quantities={shop.coffee_variant.pk: 1, shop.cashew_variant.pk: 1})
    checkout_shipping_address_update(
        checkout=checkout,
        address_values={
            "first_name": "An",
            "last_name": "Nguyễn",
            "street_address_1": "12 Đường 30 Tháng 4",
            "city": "Phường Trấn Biên",
            "country_area": "Đồng Nai",
            "province_code": "75",
            "phone": "0912345678",
        },
    )
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shop.standard.pk)

    with django_assert_num_queries(DELIVERY_QUERIES):
        order = checkout_complete(token=checkout.pk, user=None)

    assert order.shipping_address is not None
    assert order.fulfillments.count() == 2
