"""The checkout and order fields Saleor's storefront reads, and its checkout mutations, through our own documents:
gift cards (none), the delivery and its options, checkout problems, address validation rules and `saveAddress`,
detaching the customer, the one-line delete, checkout metadata, the channel's countries, and the order fields of
the buyer's order pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from marketplace.catalogue.models import ProductMedia
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionItem
from storefront_api.account import jwt
from storefront_api.core.ids import global_id
from tests.factories import delist, make_user
from tests.marketplace.checkout.helpers import ADDRESS, place_cash_pickup_order

ISSUER = "http://testserver/graphql/"

CHECKOUT_FIELDS = """
  id email voucherCode discountName translatedDiscountName discount { amount currency }
  giftCards { id displayCode currentBalance { amount currency } }
  user { id }
  delivery { id shippingMethod { id name price { amount } } }
  problems {
    __typename
    ... on CheckoutProblemDeliveryMethodInvalid { delivery { id } }
    ... on CheckoutProblemDeliveryMethodStale { delivery { id } }
    ... on CheckoutLineProblemInsufficientStock { availableQuantity line { id } variant { id } }
    ... on CheckoutLineProblemVariantNotAvailable { line { id } }
  }
  lines { id quantity problems { __typename } }
  metadata { key value } metafield(key: "consent") metafields privateMetadata { key }
  shippingAddress { firstName streetAddress1 city countryArea phone }
  billingAddress { firstName city }
"""
ERRORS = "errors { field code message }"
CREATE = f"""
mutation Create($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}
"""
QUERY = f"query Checkout($id: ID!) {{ checkout(id: $id) {{ {CHECKOUT_FIELDS} }} }}"
SHIPPING_ADDRESS = f"""
mutation Ship($id: ID!, $address: AddressInput!, $save: Boolean, $rules: CheckoutAddressValidationRules) {{
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address, saveAddress: $save, validationRules: $rules) {{
    checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code message addressType }}
  }}
}}"""
BILLING_ADDRESS = f"""
mutation Bill($id: ID!, $address: AddressInput!, $save: Boolean, $rules: CheckoutAddressValidationRules) {{
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address, saveAddress: $save, validationRules: $rules) {{
    checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code message addressType }}
  }}
}}"""
OPTIONS = """
mutation Options($id: ID!) {
  deliveryOptionsCalculate(id: $id) {
    deliveries {
      id shippingMethod { id name active price { amount currency } minimumDeliveryDays maximumDeliveryDays }
    }
    errors { field code message }
  }
}"""
DELIVERY = f"""
mutation Delivery($id: ID!, $method: ID!) {{
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""
ATTACH = f"mutation Attach($id: ID!) {{ checkoutCustomerAttach(id: $id) {{ checkout {{ user {{ id }} }} {ERRORS} }} }}"
DETACH = f"mutation Detach($id: ID!) {{ checkoutCustomerDetach(id: $id) {{ checkout {{ user {{ id }} }} {ERRORS} }} }}"
LINE_DELETE = f"""
mutation LineDelete($id: ID!, $lineId: ID) {{
  checkoutLineDelete(id: $id, lineId: $lineId) {{ checkout {{ lines {{ id }} }} {ERRORS} }}
}}"""
METADATA = """
mutation Meta($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) {
    errors { field code message }
    metadataErrors { code }
    item { __typename ... on Checkout { id metadata { key value } metafield(key: "consent") } }
  }
}"""
CHANNEL = 'query { channel(slug: "default-channel") { countries { code country } } }'


def _send(query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def api(db):
    """The data of an answer that has no GraphQL errors."""

    def send(query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        body = _send(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        return body["data"]

    return send


def _token(user) -> str:
    return jwt.create_access_token(user, issuer=ISSUER)


def _create(api, shop, lines=None, *, token=None) -> dict:
    lines = lines or [(shop.coffee_variant, 2)]
    payload = {
        "channel": shop.channel.slug,
        "email": "tourist@example.test",
        "lines": [{"variantId": shop.variant_id(variant), "quantity": quantity} for variant, quantity in lines],
    }
    result = api(CREATE, {"input": payload}, token=token)["checkoutCreate"]
    assert result["errors"] == []
    return result["checkout"]


# --- the checkout fragment ---


def test_a_new_checkout_answers_the_storefronts_fragment(api, shop):
    checkout = _create(api, shop)
    assert checkout["giftCards"] == []
    assert checkout["delivery"] is None
    assert checkout["problems"] == []
    assert (checkout["voucherCode"], checkout["discountName"], checkout["translatedDiscountName"]) == (None,) * 3
    assert checkout["discount"] == {"amount": 0, "currency": "VND"}
    assert (checkout["metadata"], checkout["metafield"], checkout["metafields"]) == ([], None, {})
    assert checkout["privateMetadata"] == []


def test_the_channel_ships_to_vietnam_only(api, shop):
    assert api(CHANNEL)["channel"]["countries"] == [{"code": "VN", "country": "Vietnam"}]


# --- delivery options, the chosen delivery and its problems ---


def test_delivery_options_are_the_shipping_methods_for_the_address(api, shop):
    checkout = _create(api, shop)
    before = api(OPTIONS, {"id": checkout["id"]})["deliveryOptionsCalculate"]
    assert before == {"deliveries": [], "errors": []}  # no address yet

    api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})
    options = api(OPTIONS, {"id": checkout["id"]})["deliveryOptionsCalculate"]
    assert options["errors"] == []
    # Express needs 1,000,000 đồng of goods; the cart holds 300,000.
    assert options["deliveries"] == [
        {
            "id": global_id("CheckoutDelivery", shop.standard.pk),
            "shippingMethod": {
                "id": global_id("ShippingMethod", shop.standard.pk),
                "name": "Giao tiêu chuẩn",
                "active": True,
                "price": {"amount": 30_000, "currency": "VND"},
                "minimumDeliveryDays": 1,
                "maximumDeliveryDays": 3,
            },
        }
    ]

    chosen = api(DELIVERY, {"id": checkout["id"], "method": options["deliveries"][0]["id"]})
    result = chosen["checkoutDeliveryMethodUpdate"]
    assert result["errors"] == []
    assert result["checkout"]["delivery"]["id"] == options["deliveries"][0]["id"]
    assert result["checkout"]["delivery"]["shippingMethod"]["name"] == "Giao tiêu chuẩn"
    assert result["checkout"]["problems"] == []


def test_a_delivery_that_no_longer_applies_is_a_problem(api, shop):
    checkout = _create(api, shop)
    api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})
    api(DELIVERY, {"id": checkout["id"], "method": global_id("CheckoutDelivery", shop.standard.pk)})
    shop.standard.minimum_order_amount = 500_000
    shop.standard.save()

    seen = api(QUERY, {"id": checkout["id"]})["checkout"]
    delivery_id = global_id("CheckoutDelivery", shop.standard.pk)
    assert seen["delivery"]["id"] == delivery_id  # still the chosen one, flagged
    assert seen["problems"] == [{"__typename": "CheckoutProblemDeliveryMethodInvalid", "delivery": {"id": delivery_id}}]


def test_a_pickup_has_no_delivery(api, shop):
    checkout = _create(api, shop)
    chosen = api(DELIVERY, {"id": checkout["id"], "method": shop.outlet_id(shop.tourist_site)})
    assert chosen["checkoutDeliveryMethodUpdate"]["checkout"]["delivery"] is None


@pytest.mark.parametrize(
    ("checkout_id", "code"),
    [
        (global_id("Checkout", "00000000-0000-0000-0000-000000000000"), "NOT_FOUND"),
        (global_id("Product", 1), "GRAPHQL_ERROR"),
        ("bm9wZQ==", "GRAPHQL_ERROR"),
    ],
)
def test_delivery_options_of_an_unknown_checkout_are_refused(api, shop, checkout_id, code):
    result = api(OPTIONS, {"id": checkout_id})["deliveryOptionsCalculate"]
    assert result["deliveries"] == []
    assert [(error["field"], error["code"]) for error in result["errors"]] == [("id", code)]


def test_line_problems_name_the_line(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 3), (shop.cashew_variant, 1)])
    coffee_line, cashew_line = (line["id"] for line in checkout["lines"])
    Stock.objects.filter(variant=shop.coffee_variant).update(quantity=1)
    delist(shop.cashew)

    seen = api(QUERY, {"id": checkout["id"]})["checkout"]
    assert seen["problems"] == [
        {
            "__typename": "CheckoutLineProblemInsufficientStock",
            "availableQuantity": 2,  # one at each outlet holding coffee
            "line": {"id": coffee_line},
            "variant": {"id": shop.variant_id(shop.coffee_variant)},
        },
        {"__typename": "CheckoutLineProblemVariantNotAvailable", "line": {"id": cashew_line}},
    ]
    assert [line["problems"] for line in seen["lines"]] == [
        [{"__typename": "CheckoutLineProblemInsufficientStock"}],
        [{"__typename": "CheckoutLineProblemVariantNotAvailable"}],
    ]


# --- address validation rules ---


def test_without_required_fields_a_partial_address_is_kept_but_cannot_be_ordered(api, shop):
    checkout = _create(api, shop)
    partial = {"firstName": "An", "countryArea": "Đồng Nai", "country": "VN"}
    refused = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": partial})["checkoutShippingAddressUpdate"]
    assert {(error["field"], error["code"], error["addressType"]) for error in refused["errors"]} == {
        ("streetAddress1", "REQUIRED", "SHIPPING"),
        ("city", "REQUIRED", "SHIPPING"),
        ("phone", "REQUIRED", "SHIPPING"),
    }
    kept = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": partial, "rules": {"checkRequiredFields": False}})[
        "checkoutShippingAddressUpdate"
    ]
    assert kept["errors"] == []
    assert kept["checkout"]["shippingAddress"]["countryArea"] == "Tỉnh Đồng Nai"
    # A wrong format is still refused.
    wrong = api(
        SHIPPING_ADDRESS,
        {"id": checkout["id"], "address": {**partial, "phone": "12"}, "rules": {"checkRequiredFields": False}},
    )["checkoutShippingAddressUpdate"]
    assert [(error["field"], error["code"]) for error in wrong["errors"]] == [("phone", "INVALID")]

    # Completing needs a whole address: the partial one refuses the order.
    model = Checkout.objects.get()
    model.shipping_method = shop.standard
    model.save()
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=model, amount_requested=330_000)
    from marketplace.core.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        checkout_complete(token=model.pk, user=None)
    assert {(detail.field, detail.code.value) for detail in refusal.value.details} >= {
        ("shippingAddress", "REQUIRED"),
    }


def test_without_format_checks_what_is_not_recognised_is_kept_as_typed(api, shop):
    checkout = _create(api, shop)
    address = {**ADDRESS, "phone": "+1 555 0100", "city": "Nowhere"}
    refused = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": address})["checkoutShippingAddressUpdate"]
    assert {(error["field"], error["code"]) for error in refused["errors"]} == {
        ("phone", "INVALID"),
        ("city", "INVALID"),
    }
    kept = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": address, "rules": {"checkFieldsFormat": False}})[
        "checkoutShippingAddressUpdate"
    ]
    assert kept["errors"] == []
    assert kept["checkout"]["shippingAddress"]["phone"] == "+1 555 0100"
    assert kept["checkout"]["shippingAddress"]["city"] == "Nowhere"
    stored = Checkout.objects.get().shipping_address
    assert (stored.province_code, stored.commune_code) == ("75", "")
    # The country is never a matter of format.
    abroad = api(
        SHIPPING_ADDRESS,
        {"id": checkout["id"], "address": {**address, "country": "TH"}, "rules": {"checkFieldsFormat": False}},
    )["checkoutShippingAddressUpdate"]
    assert [(error["field"], error["code"]) for error in abroad["errors"]] == [("country", "INVALID")]


def test_without_normalization_names_stay_as_typed_with_their_codes(api, shop):
    checkout = _create(api, shop)
    address = {**ADDRESS, "city": "tran bien", "countryArea": "dong nai", "phone": "0912 345 678"}
    normal = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": address})["checkoutShippingAddressUpdate"]
    assert normal["checkout"]["shippingAddress"]["city"] == "Phường Trấn Biên"
    assert normal["checkout"]["shippingAddress"]["phone"] == "+84912345678"
    as_typed = api(
        SHIPPING_ADDRESS,
        {"id": checkout["id"], "address": address, "rules": {"enableFieldsNormalization": False}},
    )["checkoutShippingAddressUpdate"]
    shipping = as_typed["checkout"]["shippingAddress"]
    assert (shipping["city"], shipping["countryArea"], shipping["phone"]) == ("tran bien", "dong nai", "0912 345 678")
    stored = Checkout.objects.get().shipping_address
    assert (stored.province_code, stored.commune_code) != ("", "")


# --- saveAddress ---


def _complete_with_cash(checkout_id: str, user) -> Order:
    from storefront_api.core.ids import resolve_global_uuid

    checkout = Checkout.objects.get(pk=resolve_global_uuid(checkout_id, only_type="Checkout", field="id"))
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=330_000)
    return checkout_complete(token=checkout.pk, user=user)


def test_save_address_keeps_the_addresses_in_the_buyers_address_book(api, shop):
    buyer = make_user(email="an@example.test")
    token = _token(buyer)
    checkout = _create(api, shop, token=token)
    api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS}, token=token)  # saveAddress: true by default
    api(
        BILLING_ADDRESS, {"id": checkout["id"], "address": {**ADDRESS, "firstName": "Bình"}, "save": False}, token=token
    )
    api(DELIVERY, {"id": checkout["id"], "method": global_id("CheckoutDelivery", shop.standard.pk)}, token=token)
    assert buyer.addresses.count() == 0  # kept only once the order is placed

    _complete_with_cash(checkout["id"], buyer)
    buyer.refresh_from_db()
    saved = list(buyer.addresses.all())
    assert [(address.first_name, address.city) for address in saved] == [("An", "Phường Trấn Biên")]
    assert buyer.default_shipping_address_id == saved[0].pk
    assert buyer.default_billing_address_id is None

    # The same address again is not added twice.
    again = _create(api, shop, token=token)
    api(SHIPPING_ADDRESS, {"id": again["id"], "address": ADDRESS}, token=token)
    api(DELIVERY, {"id": again["id"], "method": global_id("CheckoutDelivery", shop.standard.pk)}, token=token)
    _complete_with_cash(again["id"], buyer)
    assert buyer.addresses.count() == 1


def test_a_guests_address_goes_into_no_address_book(api, shop):
    checkout = _create(api, shop)
    api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS, "save": True})
    api(DELIVERY, {"id": checkout["id"], "method": global_id("CheckoutDelivery", shop.standard.pk)})
    order = _complete_with_cash(checkout["id"], None)
    assert order.user_id is None
    from marketplace.accounts.models import User

    assert not User.objects.filter(addresses__isnull=False).exists()


# --- customer detach, one-line delete, metadata ---


def test_the_owner_detaches_the_checkout(api, shop):
    owner = make_user(email="owner@example.test")
    checkout = _create(api, shop)
    api(ATTACH, {"id": checkout["id"]}, token=_token(owner))

    guest = _send(DETACH, {"id": checkout["id"]})
    assert guest["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    stranger = _send(DETACH, {"id": checkout["id"]}, token=_token(make_user(email="other@example.test")))
    assert stranger["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert Checkout.objects.get().user_id == owner.pk

    detached = api(DETACH, {"id": checkout["id"]}, token=_token(owner))["checkoutCustomerDetach"]
    assert detached == {"checkout": {"user": None}, "errors": []}
    assert Checkout.objects.get().email == "tourist@example.test"
    again = api(DETACH, {"id": checkout["id"]}, token=_token(owner))["checkoutCustomerDetach"]
    assert again == {"checkout": {"user": None}, "errors": []}  # a guest's checkout stays one
    unknown = api(DETACH, {"id": global_id("Checkout", "00000000-0000-0000-0000-000000000000")}, token=_token(owner))
    assert [error["code"] for error in unknown["checkoutCustomerDetach"]["errors"]] == ["NOT_FOUND"]


def test_check_out_line_delete_removes_one_line(api, shop):
    checkout = _create(api, shop, [(shop.coffee_variant, 1), (shop.cashew_variant, 1)])
    coffee_line, cashew_line = (line["id"] for line in checkout["lines"])
    deleted = api(LINE_DELETE, {"id": checkout["id"], "lineId": coffee_line})["checkoutLineDelete"]
    assert deleted == {"checkout": {"lines": [{"id": cashew_line}]}, "errors": []}

    again = api(LINE_DELETE, {"id": checkout["id"], "lineId": coffee_line})["checkoutLineDelete"]
    assert [(error["field"], error["code"]) for error in again["errors"]] == [("lineId", "NOT_FOUND")]
    missing = api(LINE_DELETE, {"id": checkout["id"]})["checkoutLineDelete"]
    assert [(error["field"], error["code"]) for error in missing["errors"]] == [("lineId", "REQUIRED")]
    malformed = api(LINE_DELETE, {"id": checkout["id"], "lineId": "bm9wZQ=="})["checkoutLineDelete"]
    assert [(error["field"], error["code"]) for error in malformed["errors"]] == [("lineId", "GRAPHQL_ERROR")]


def test_update_metadata_sets_public_keys_of_a_checkout(api, shop):
    checkout = _create(api, shop)
    first = api(METADATA, {"id": checkout["id"], "input": [{"key": "consent", "value": "yes"}]})["updateMetadata"]
    assert first["errors"] == [] and first["metadataErrors"] == []
    assert first["item"] == {
        "__typename": "Checkout",
        "id": checkout["id"],
        "metadata": [{"key": "consent", "value": "yes"}],
        "metafield": "yes",
    }
    second = api(METADATA, {"id": checkout["id"], "input": [{"key": "source", "value": "Bửu Long"}]})
    assert second["updateMetadata"]["item"]["metadata"] == [
        {"key": "consent", "value": "yes"},
        {"key": "source", "value": "Bửu Long"},
    ]
    seen = api(QUERY, {"id": checkout["id"]})["checkout"]
    assert seen["metafields"] == {"consent": "yes", "source": "Bửu Long"}


@pytest.mark.parametrize(
    ("object_id", "items", "code"),
    [
        (None, [{"key": " ", "value": "x"}], "REQUIRED"),
        (None, [{"key": "k" * 257, "value": "x"}], "INVALID"),
        (global_id("Checkout", "00000000-0000-0000-0000-000000000000"), [{"key": "a", "value": "b"}], "NOT_FOUND"),
        (global_id("Product", 1), [{"key": "a", "value": "b"}], "NOT_FOUND"),
        (global_id("User", 1), [{"key": "a", "value": "b"}], "NOT_FOUND"),
        ("bm9wZQ==", [{"key": "a", "value": "b"}], "GRAPHQL_ERROR"),
    ],
)
def test_update_metadata_refusals(api, shop, object_id, items, code):
    checkout = _create(api, shop)
    result = api(METADATA, {"id": object_id or checkout["id"], "input": items})["updateMetadata"]
    assert result["item"] is None
    assert [error["code"] for error in result["errors"]] == [code]
    assert [error["code"] for error in result["metadataErrors"]] == [code]
    assert Checkout.objects.get().metadata == {}


# --- orders as the buyer's pages read them ---

ORDER_FIELDS = """
  id number paymentStatus paymentStatusDisplay isPaid metadata { key } privateMetadata { key }
  totalCaptured { amount currency } totalCharged { amount }
  lines { id quantity productName thumbnail(size: 128, format: WEBP) { url alt } }
  fulfillments { id status lines { id quantity orderLine { id } } }
"""
ORDER = f"query Order($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
MY_ORDERS = f"""
query Mine($first: Int) {{
  me {{ orders(first: $first) {{ totalCount edges {{ node {{ {ORDER_FIELDS} }} }} }} }}
}}"""


def _pickup_order(shop, user) -> Order:
    return place_cash_pickup_order(shop, {shop.coffee_variant: 2}, email="an@example.test", user=user)


def test_a_buyer_reads_his_orders_with_payment_status_thumbnails_and_fulfilment_lines(api, shop):
    buyer = make_user(email="an@example.test")
    order = _pickup_order(shop, buyer)
    ProductMedia.objects.create(
        product=shop.coffee, source=ProductMedia.Source.PRODUCER, status="ready", image="products/coffee.jpg"
    )

    data = api(MY_ORDERS, {"first": 100}, token=_token(buyer))["me"]["orders"]
    assert data["totalCount"] == 1
    node = data["edges"][0]["node"]
    assert node["number"] == str(order.number)
    assert (node["paymentStatus"], node["paymentStatusDisplay"], node["isPaid"]) == (
        "NOT_CHARGED",
        "Chưa thanh toán",  # in the shop's language, Vietnamese
        False,
    )
    assert node["totalCaptured"] == {"amount": 0, "currency": "VND"}
    assert (node["metadata"], node["privateMetadata"]) == ([], [])  # orders keep no metadata
    [line] = node["lines"]
    assert line["productName"] == "Cà phê hạt Robusta"
    assert line["thumbnail"]["url"].endswith("products/coffee.jpg")
    assert line["thumbnail"]["alt"] == "Cà phê hạt Robusta"
    [fulfillment] = node["fulfillments"]
    assert [(item["quantity"], item["orderLine"]["id"]) for item in fulfillment["lines"]] == [(2, line["id"])]
    assert fulfillment["lines"][0]["id"].startswith(global_id("FulfillmentLine", "")[:8])

    # Another buyer has no orders; by its id he reads only the receipt, its buyer masked (test_order_receipt.py).
    stranger = make_user(email="other@example.test")
    assert api(MY_ORDERS, {"first": 100}, token=_token(stranger))["me"]["orders"]["totalCount"] == 0
    receipt = "query($id: ID!) { order(id: $id) { number userEmail } }"
    assert api(receipt, {"id": node["id"]}, token=_token(stranger))["order"] == {
        "number": node["number"],
        "userEmail": "a...@example.test",
    }
    assert api(ORDER, {"id": node["id"]}, token=_token(buyer))["order"]["number"] == node["number"]


def test_an_order_line_without_pictures_has_no_thumbnail(api, shop):
    buyer = make_user(email="an@example.test")
    _pickup_order(shop, buyer)
    node = api(MY_ORDERS, {"first": 1}, token=_token(buyer))["me"]["orders"]["edges"][0]["node"]
    assert node["lines"][0]["thumbnail"] is None


def _queries_of_my_orders(api, token) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        api(MY_ORDERS, {"first": 10}, token=token)
    return len(queries)


def _order_of(shop, user, variants) -> Order:
    from marketplace.checkout.services import LineRequest, checkout_create

    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=variant.pk, quantity=1) for variant in variants],
        email=user.email,
        language_code="vi",
        user=user,
    )
    checkout.collection_point = shop.tourist_site
    checkout.save()
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=370_000)
    return checkout_complete(token=checkout.pk, user=user)


def test_thumbnails_of_an_orders_lines_take_one_query(api, shop):
    for product in (shop.coffee, shop.cashew):
        ProductMedia.objects.create(product=product, source=ProductMedia.Source.PRODUCER, status="ready", image="p.jpg")
    one, two = make_user(email="one@example.test"), make_user(email="two@example.test")
    _order_of(shop, one, [shop.coffee_variant])
    _order_of(shop, two, [shop.coffee_variant, shop.cashew_variant])
    assert _queries_of_my_orders(api, _token(two)) == _queries_of_my_orders(api, _token(one))
