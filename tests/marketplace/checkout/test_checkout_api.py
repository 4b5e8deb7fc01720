"""The checkout through the storefront API, as a Saleor client drives it."""

from __future__ import annotations

from marketplace.catalogue.models import ProductVariantChannelListing
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Stock
from tests.factories import delist
from tests.marketplace.checkout.helpers import ADDRESS, CHECKOUT_FIELDS, CREATE, DELIVERY, ERRORS, LINES_ADD

LINES_UPDATE = f"""
mutation Update($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {{
  checkoutLinesUpdate(id: $id, lines: $lines) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""
LINES_DELETE = f"""
mutation Delete($id: ID!, $linesIds: [ID!]!) {{
  checkoutLinesDelete(id: $id, linesIds: $linesIds) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""
SHIPPING_ADDRESS = f"""
mutation Address($id: ID!, $address: AddressInput!) {{
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {{
    checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code message addressType }}
  }}
}}"""
COMPLETE = f"""
mutation Complete($id: ID!) {{
  checkoutComplete(id: $id) {{ order {{ id number status stage }} {ERRORS} }}
}}"""
QUERY = f"query Checkout($id: ID!) {{ checkout(id: $id) {{ {CHECKOUT_FIELDS} }} }}"


def _create(api, shop, lines, **extra):
    payload = {
        "channel": shop.channel.slug,
        "email": "tourist@example.test",
        "lines": [{"variantId": shop.variant_id(variant), "quantity": quantity} for variant, quantity in lines],
        **extra,
    }
    return api(CREATE, {"input": payload})["checkoutCreate"]


def test_create_prices_lines_in_whole_dong_and_offers_collection_points(api, shop):
    result = _create(api, shop, [(shop.coffee_variant, 2), (shop.cashew_variant, 1)], languageCode="EN")
    assert result["errors"] == []
    checkout = result["checkout"]
    assert checkout["quantity"] == 3
    assert checkout["languageCode"] == "EN"
    assert checkout["subtotalPrice"]["gross"] == {"amount": 520_000, "currency": "VND"}
    assert checkout["totalPrice"]["gross"]["amount"] == 520_000
    assert [line["totalPrice"]["gross"]["amount"] for line in checkout["lines"]] == [300_000, 220_000]
    # The tourist site holds both; the showroom has cashews nowhere near, but collects from any warehouse.
    points = {point["name"]: point["clickAndCollectOption"] for point in checkout["availableCollectionPoints"]}
    assert points == {"Khu du lịch Bửu Long": "LOCAL", "Trung tâm OCOP Biên Hòa": "ALL"}
    assert checkout["shippingMethods"] == []  # no address yet
    assert checkout["deliveryMethod"] is None


def test_local_stock_outlet_offers_itself_only_when_it_holds_every_line(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 11)])  # 10 at the tourist site, 15 in all
    assert checkout["errors"] == []
    names = [point["name"] for point in checkout["checkout"]["availableCollectionPoints"]]
    assert names == ["Trung tâm OCOP Biên Hòa"]


def test_line_errors_use_saleors_codes(api, shop, settings):
    delist(shop.cashew)
    result = _create(api, shop, [(shop.cashew_variant, 1)])
    assert result["checkout"] is None
    assert [(error["code"], error["field"]) for error in result["errors"]] == [("PRODUCT_NOT_PUBLISHED", "lines")]

    result = _create(api, shop, [(shop.coffee_variant, 16)])
    assert [error["code"] for error in result["errors"]] == ["INSUFFICIENT_STOCK"]
    assert "Only 15" in result["errors"][0]["message"]

    settings.OCOP_CHECKOUT_MAX_LINE_QUANTITY = 3
    result = _create(api, shop, [(shop.coffee_variant, 4)])
    assert [error["code"] for error in result["errors"]] == ["QUANTITY_GREATER_THAN_LIMIT"]

    ProductVariantChannelListing.objects.filter(variant=shop.coffee_variant).delete()
    result = _create(api, shop, [(shop.coffee_variant, 1)])
    assert [error["code"] for error in result["errors"]] == ["UNAVAILABLE_VARIANT_IN_CHANNEL"]

    result = api(CREATE, {"input": {"channel": shop.channel.slug, "lines": [{"variantId": "bm9wZQ==", "quantity": 1}]}})
    assert [error["code"] for error in result["checkoutCreate"]["errors"]] == ["GRAPHQL_ERROR"]

    result = api(CREATE, {"input": {"channel": "nowhere", "lines": []}})
    assert [error["code"] for error in result["checkoutCreate"]["errors"]] == ["CHANNEL_INACTIVE"]
    assert Checkout.objects.count() == 0  # nothing half-written


def test_lines_add_update_delete(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 1)])["checkout"]
    added = api(
        LINES_ADD,
        {
            "id": checkout["id"],
            "lines": [
                {"variantId": shop.variant_id(shop.coffee_variant), "quantity": 2},
                {"variantId": shop.variant_id(shop.cashew_variant), "quantity": 1},
            ],
        },
    )["checkoutLinesAdd"]
    assert added["errors"] == []
    assert [line["quantity"] for line in added["checkout"]["lines"]] == [3, 1]
    coffee_line, cashew_line = added["checkout"]["lines"]

    updated = api(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": coffee_line["id"], "quantity": 5}]})
    assert [line["quantity"] for line in updated["checkoutLinesUpdate"]["checkout"]["lines"]] == [5, 1]
    too_many = api(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": coffee_line["id"], "quantity": 99}]})
    assert [error["code"] for error in too_many["checkoutLinesUpdate"]["errors"]] == ["QUANTITY_GREATER_THAN_LIMIT"]

    deleted = api(LINES_DELETE, {"id": checkout["id"], "linesIds": [cashew_line["id"]]})["checkoutLinesDelete"]
    assert [line["variant"]["product"]["name"] for line in deleted["checkout"]["lines"]] == ["Cà phê hạt Robusta"]
    zero = api(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": coffee_line["id"], "quantity": 0}]})
    assert zero["checkoutLinesUpdate"]["checkout"]["lines"] == []


def test_shipping_address_in_todays_units_and_flat_rate_methods(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 2)])["checkout"]
    wrong = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": {**ADDRESS, "city": "Phường Bến Nghé"}})
    errors = wrong["checkoutShippingAddressUpdate"]["errors"]
    assert [(error["field"], error["code"], error["addressType"]) for error in errors] == [
        ("city", "INVALID", "SHIPPING")
    ]
    result = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})["checkoutShippingAddressUpdate"]
    assert result["errors"] == []
    assert result["checkout"]["shippingAddress"] == {"city": "Phường Trấn Biên", "countryArea": "Tỉnh Đồng Nai"}
    # Express needs 1,000,000 đồng of goods; the cart holds 300,000.
    assert [method["name"] for method in result["checkout"]["shippingMethods"]] == ["Giao tiêu chuẩn"]
    chosen = api(DELIVERY, {"id": checkout["id"], "method": result["checkout"]["shippingMethods"][0]["id"]})
    checkout = chosen["checkoutDeliveryMethodUpdate"]["checkout"]
    assert checkout["deliveryMethod"]["__typename"] == "ShippingMethod"
    assert checkout["shippingPrice"]["gross"]["amount"] == 30_000
    assert checkout["totalPrice"]["gross"]["amount"] == 330_000

    express = api(DELIVERY, {"id": checkout["id"], "method": f"{_method_id(shop.express)}"})
    assert [error["code"] for error in express["checkoutDeliveryMethodUpdate"]["errors"]] == [
        "DELIVERY_METHOD_NOT_APPLICABLE"
    ]


def _method_id(method):
    from storefront_api.core.ids import global_id

    return global_id("ShippingMethod", method.pk)


def test_collection_point_must_hold_the_lines(api, shop):
    checkout = _create(api, shop, [(shop.cashew_variant, 12)])["checkout"]  # 10 at the tourist site
    refused = api(DELIVERY, {"id": checkout["id"], "method": shop.outlet_id(shop.tourist_site)})
    assert [error["code"] for error in refused["checkoutDeliveryMethodUpdate"]["errors"]] == [
        "DELIVERY_METHOD_NOT_APPLICABLE"
    ]
    chosen = api(DELIVERY, {"id": checkout["id"], "method": shop.outlet_id(shop.showroom)})
    result = chosen["checkoutDeliveryMethodUpdate"]
    assert result["errors"] == []
    assert result["checkout"]["deliveryMethod"] == {
        "__typename": "Warehouse",
        "id": shop.outlet_id(shop.showroom),
        "name": "Trung tâm OCOP Biên Hòa",
    }
    assert result["checkout"]["shippingPrice"]["gross"]["amount"] == 0


def test_a_cart_change_that_no_longer_fits_the_collection_point_unsets_it(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 2)])["checkout"]
    api(DELIVERY, {"id": checkout["id"], "method": shop.outlet_id(shop.tourist_site)})
    line = checkout["lines"][0]
    result = api(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": line["id"], "quantity": 12}]})
    assert result["checkoutLinesUpdate"]["checkout"]["deliveryMethod"] is None


def test_a_price_change_is_shown_and_must_be_accepted(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 1)])["checkout"]
    ProductVariantChannelListing.objects.filter(variant=shop.coffee_variant).update(price_amount=175_000)
    seen = api(QUERY, {"id": checkout["id"]})["checkout"]
    assert seen["lines"][0]["priceChanged"] is True
    assert seen["lines"][0]["unitPrice"]["gross"]["amount"] == 175_000
    accepted = api(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": seen["lines"][0]["id"], "quantity": 1}]})
    assert accepted["checkoutLinesUpdate"]["checkout"]["lines"][0]["priceChanged"] is False


def test_stock_problems_are_reported_on_the_lines(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 3)])["checkout"]
    Stock.objects.filter(variant=shop.coffee_variant).update(quantity=1)
    seen = api(QUERY, {"id": checkout["id"]})["checkout"]
    assert seen["lines"][0]["problems"] == [{"__typename": "CheckoutLineProblemInsufficientStock"}]


def test_unknown_and_malformed_checkout_ids(api, shop):
    assert api(QUERY, {"id": "Q2hlY2tvdXQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"})["checkout"] is None
    result = api(COMPLETE, {"id": "bm9wZQ=="})["checkoutComplete"]
    assert [error["code"] for error in result["errors"]] == ["GRAPHQL_ERROR"]
