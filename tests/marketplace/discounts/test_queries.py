"""A voucher adds a fixed number of SQL statements to reading and to completing a checkout, whatever the number
of lines: the code with its voucher, what it is limited to, the e-mail's earlier use; when the order is placed,
the voucher's locked row, the use and the order's copy."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Category, Collection
from marketplace.checkout.selectors import checkout_info
from marketplace.checkout.services import checkout_add_promo_code, checkout_delivery_method_update
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionItem
from tests.marketplace.checkout.test_complete_queries import PICKUP_QUERIES, _checkout
from tests.marketplace.discounts.helpers import make_voucher, shop_checkout

# The code with its voucher; its products, collections, categories (and the category tree), producers; the
# e-mail's earlier use; the products' collections.
VOUCHER_READ_QUERIES = 8
# The voucher's row locked, the e-mail's earlier use, the customer's row, the count, the order's discount row.
VOUCHER_PLACE_QUERIES = 5


def _limited_voucher(shop):
    """Limited to a collection holding the cashews and to a group whose product set holds the coffee."""
    collection = Collection.objects.create(name="Đặc sản", slug="dac-san")
    collection.products.add(shop.cashew)
    group = Category.objects.create(kind="group", scheme="2023", name="Thực phẩm", slug="thuc-pham")
    product_set = Category.objects.create(kind="product_set", scheme="2023", parent=group, name="Cà phê", slug="ca-phe")
    shop.coffee.category = product_set
    shop.coffee.save()
    return make_voucher(shop.channel, collections=[collection], categories=[group], apply_once_per_customer=True)


def _count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_reading_a_checkout_with_a_voucher(shop):
    _limited_voucher(shop)
    one = checkout_add_promo_code(checkout=shop_checkout(shop, cashew=0), promo_code="TET2027")
    two = checkout_add_promo_code(checkout=shop_checkout(shop, email="b@example.test"), promo_code="TET2027")
    plain = shop_checkout(shop, email="c@example.test")
    base = _count(lambda: checkout_info(checkout=plain))
    assert _count(lambda: checkout_info(checkout=one)) == base + VOUCHER_READ_QUERIES
    assert _count(lambda: checkout_info(checkout=two)) == base + VOUCHER_READ_QUERIES
    assert checkout_info(checkout=two).discount == 37_000  # the coffee by its group, the cashews by the collection


def test_completing_with_a_voucher(shop, django_assert_num_queries):
    _limited_voucher(shop)
    checkout = _checkout(shop, quantities={shop.coffee_variant.pk: 5, shop.cashew_variant.pk: 15})
    checkout_delivery_method_update(checkout=checkout, outlet_id=shop.showroom.pk)
    checkout_add_promo_code(checkout=checkout, promo_code="TET2027")
    with django_assert_num_queries(PICKUP_QUERIES + VOUCHER_READ_QUERIES + VOUCHER_PLACE_QUERIES):
        order = checkout_complete(token=checkout.pk, user=None)
    assert order.discount_amount > 0
    assert not TransactionItem.objects.filter(checkout_id=checkout.pk, gateway=Gateway.CASH).exists()
