"""The storefront's checkout steps run a fixed number of SQL statements, whatever the number of lines.

Counted around the API request with the tests' checkout selection (lines, prices, collection points, shipping
methods, payment gateways). A step that changes only the checkout's own row (the delivery method) shows the lines
and stock it read to check the change; one that changes lines shows the checkout it locked, without reading it
again.
"""

from __future__ import annotations

import pytest

from tests.marketplace.checkout.helpers import CREATE, DELIVERY, LINES_ADD

CREATE_EMPTY_QUERIES = 6
LINES_ADD_QUERIES = 12
DELIVERY_QUERIES = 6


@pytest.mark.parametrize("lines", [1, 2])
def test_create_add_and_choose_a_collection_point(api, shop, lines, django_assert_num_queries):
    variants = [shop.coffee_variant, shop.cashew_variant][:lines]
    with django_assert_num_queries(CREATE_EMPTY_QUERIES):
        created = api(CREATE, {"input": {"channel": shop.channel.slug, "lines": []}})["checkoutCreate"]
    checkout_id = created["checkout"]["id"]

    wanted = [{"variantId": shop.variant_id(variant), "quantity": 1} for variant in variants]
    with django_assert_num_queries(LINES_ADD_QUERIES):
        added = api(LINES_ADD, {"id": checkout_id, "lines": wanted})["checkoutLinesAdd"]
    assert added["errors"] == []
    assert [line["quantity"] for line in added["checkout"]["lines"]] == [1] * lines

    with django_assert_num_queries(DELIVERY_QUERIES):
        chosen = api(DELIVERY, {"id": checkout_id, "method": shop.outlet_id(shop.showroom)})
    result = chosen["checkoutDeliveryMethodUpdate"]
    assert result["errors"] == []
    assert result["checkout"]["deliveryMethod"]["id"] == shop.outlet_id(shop.showroom)
    assert result["checkout"]["lines"] == added["checkout"]["lines"]
    assert result["checkout"]["totalPrice"] == added["checkout"]["totalPrice"]
