"""What Saleor's storefront keys by Saleor's enums and builds its address form from, through our own documents:
every Saleor order status, the account and thumbnail enum values it names, the address rules under
`AddressInput`'s names (a form filled from them is accepted by checkoutShippingAddressUpdate), and the channel's
(empty) metadata."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from marketplace.catalogue.models import ProductMedia
from marketplace.orders.models import OrderStatus as OrderStage
from storefront_api.order.types import _SALEOR_STATUS
from tests.factories import listed_product

ENUM = "query ($name: String!) { __type(name: $name) { enumValues(includeDeprecated: true) { name } } }"
# The storefront's ValidationRulesFragment, plus the rest of AddressValidationData.
RULES = """
query Rules($countryCode: CountryCode!, $countryArea: String) {
  addressValidationRules(countryCode: $countryCode, countryArea: $countryArea) {
    countryCode countryName addressFormat addressLatinFormat allowedFields requiredFields upperFields
    countryAreaType countryAreaChoices { raw verbose }
    cityType cityChoices { raw verbose }
    cityAreaType cityAreaChoices { raw verbose }
    postalCodeType postalCodeMatchers postalCodeExamples postalCodePrefix
  }
}"""
CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { id } errors { field code } }
}"""
SHIP = """
mutation Ship($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout {
      shippingAddress {
        firstName lastName companyName streetAddress1 streetAddress2 cityArea city countryArea postalCode phone
        country { code }
      }
    }
    errors { field code message addressType }
  }
}"""
OPTIONS = """
mutation Options($id: ID!) {
  deliveryOptionsCalculate(id: $id) { deliveries { shippingMethod { name } } errors { field code } }
}"""
CHANNEL = """
query {
  channel(slug: "default-channel") {
    metadata { key value } metafield(key: "x") metafields privateMetadata { key } privateMetafield(key: "x")
    ... on ObjectWithMetadata { __typename }
  }
}"""


def _post(query: str, variables: dict | None = None) -> dict:
    response = Client().post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def _enum_values(name: str) -> list[str]:
    return [value["name"] for value in _post(ENUM, {"name": name})["__type"]["enumValues"]]


# --- enums ---


def test_order_status_has_every_saleor_status_in_saleors_order(db):
    # The storefront's order-status-config.ts is a Record keyed by every one of them.
    assert _enum_values("OrderStatus") == [
        "DRAFT",
        "UNCONFIRMED",
        "UNFULFILLED",
        "PARTIALLY_FULFILLED",
        "PARTIALLY_RETURNED",
        "RETURNED",
        "FULFILLED",
        "CANCELED",
        "EXPIRED",
    ]


def test_fulfillment_status_has_every_saleor_status(db):
    # The storefront's order timeline labels a fulfilment by its status, with a text for each of these.
    assert _enum_values("FulfillmentStatus") == [
        "FULFILLED",
        "REFUNDED",
        "RETURNED",
        "REPLACED",
        "REFUNDED_AND_RETURNED",
        "CANCELED",
        "WAITING_FOR_APPROVAL",
    ]


def test_every_stage_maps_to_a_status_none_to_those_without_a_domain_state():
    assert set(_SALEOR_STATUS) == set(OrderStage)
    assert set(_SALEOR_STATUS.values()) == {"unconfirmed", "unfulfilled", "fulfilled", "canceled"}


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        # auth-api-utils.ts answers 429 on LOGIN_ATTEMPT_DELAYED; login forms test the other four.
        (
            "AccountErrorCode",
            {"LOGIN_ATTEMPT_DELAYED", "INVALID_CREDENTIALS", "INVALID_PASSWORD", "INACTIVE", "ACCOUNT_NOT_CONFIRMED"},
        ),
        ("ThumbnailFormatEnum", {"ORIGINAL", "AVIF", "WEBP"}),
        (
            "PaymentChargeStatusEnum",
            {
                "NOT_CHARGED",
                "PENDING",
                "PARTIALLY_CHARGED",
                "FULLY_CHARGED",
                "PARTIALLY_REFUNDED",
                "FULLY_REFUNDED",
                "REFUSED",
                "CANCELLED",
            },
        ),
        ("AddressTypeEnum", {"BILLING", "SHIPPING"}),
    ],
)
def test_the_enum_values_the_storefront_names_exist(db, enum, values):
    assert values <= set(_enum_values(enum))


def test_a_thumbnail_asked_in_avif_is_served_as_stored(db):
    product = listed_product()
    ProductMedia.objects.create(
        product=product,
        source="producer",
        status="ready",
        image=f"products/{product.pk}/1.webp",
        renditions={"256": f"products/{product.pk}/1-256.webp"},
    )
    query = "query ($s: String!) { product(slug: $s) { thumbnail(size: 256, format: AVIF) { url } } }"
    found = _post(query, {"s": product.slug})["product"]
    assert found["thumbnail"] == {"url": f"http://testserver/media/products/{product.pk}/1-256.webp"}


# --- the address form ---


def test_address_rules_name_fields_as_address_input_does(db):
    rules = _post(RULES, {"countryCode": "VN"})["addressValidationRules"]
    assert rules["allowedFields"] == [
        "name",
        "companyName",
        "streetAddress1",
        "streetAddress2",
        "cityArea",
        "city",
        "countryArea",
        "postalCode",
    ]
    assert rules["requiredFields"] == ["name", "streetAddress1", "city", "countryArea", "phone"]
    assert rules["upperFields"] == []
    assert (rules["countryCode"], rules["countryName"]) == ("VN", "VIET NAM")
    assert (rules["countryAreaType"], rules["cityType"], rules["postalCodeType"]) == ("province", "city", "postal")
    assert rules["addressFormat"] == rules["addressLatinFormat"] == "%N%n%O%n%A%n%D, %C%n%S %Z"
    assert (rules["cityAreaChoices"], rules["postalCodePrefix"]) == ([], "")
    # Every allowed field but "name" (first and last name) is an AddressInput field.
    input_fields = {
        field["name"]
        for field in _post('{ __type(name: "AddressInput") { inputFields { name } } }')["__type"]["inputFields"]
    }
    assert set(rules["allowedFields"]) - input_fields == {"name"}
    assert set(rules["requiredFields"]) - input_fields == {"name"}


def test_the_required_fields_are_those_the_checkout_requires(shop):
    rules = _post(RULES, {"countryCode": "VN"})["addressValidationRules"]
    checkout_id = _create_checkout(shop)
    errors = _post(SHIP, {"id": checkout_id, "address": {"country": "VN"}})["checkoutShippingAddressUpdate"]["errors"]
    required = {error["field"] for error in errors if error["code"] == "REQUIRED"}
    assert required == {"firstName" if field == "name" else field for field in rules["requiredFields"]}


def test_the_provinces_offered_are_those_addresses_accept(shop):
    rules = _post(RULES, {"countryCode": "VN"})["addressValidationRules"]
    assert len(rules["countryAreaChoices"]) == 34
    checkout_id = _create_checkout(shop)
    for choice in rules["countryAreaChoices"]:
        communes = _post(RULES, {"countryCode": "VN", "countryArea": choice["raw"]})["addressValidationRules"]
        address = {"firstName": "An", "streetAddress1": "1 Đường Số 1", "phone": "0912345678", "country": "VN"}
        address |= {"countryArea": choice["raw"], "city": communes["cityChoices"][0]["raw"]}
        result = _post(SHIP, {"id": checkout_id, "address": address})["checkoutShippingAddressUpdate"]
        assert result["errors"] == [], choice
        assert result["checkout"]["shippingAddress"]["countryArea"] == choice["raw"]


def test_a_form_filled_from_the_rules_places_a_dong_nai_address(shop):
    # As the storefront's form does: show the allowed fields, offer the provinces as a select (raw is the value),
    # fill every field, and send the form under the field names the rules gave.
    rules = _post(RULES, {"countryCode": "VN"})["addressValidationRules"]
    province = next(choice for choice in rules["countryAreaChoices"] if choice["verbose"] == "Đồng Nai")
    communes = _post(RULES, {"countryCode": "VN", "countryArea": province["raw"]})["addressValidationRules"]
    commune = next(choice for choice in communes["cityChoices"] if choice["verbose"] == "Trấn Biên")
    typed = {
        "companyName": "HTX Cà phê Xuân Lộc",
        "streetAddress1": "12 Đường 30 Tháng 4",
        "streetAddress2": "Tầng 2",
        "cityArea": "Khu phố 3",
        "city": commune["raw"],
        "countryArea": province["raw"],
        "postalCode": rules["postalCodeExamples"][0],
    }
    form = {field: typed[field] for field in rules["allowedFields"] if field != "name"}
    address = form | {"firstName": "An", "lastName": "Nguyễn", "phone": "0912 345 678", "country": "VN"}

    result = _post(SHIP, {"id": _create_checkout(shop), "address": address})["checkoutShippingAddressUpdate"]

    assert result["errors"] == []
    assert result["checkout"]["shippingAddress"] == {
        "firstName": "An",
        "lastName": "Nguyễn",
        "companyName": "HTX Cà phê Xuân Lộc",
        "streetAddress1": "12 Đường 30 Tháng 4",
        "streetAddress2": "Tầng 2",
        "cityArea": "Khu phố 3",
        "city": "Phường Trấn Biên",
        "countryArea": "Tỉnh Đồng Nai",
        "postalCode": "76000",
        "phone": "+84912345678",
        "country": {"code": "VN"},
    }


def test_the_address_the_form_places_gets_its_delivery(shop):
    rules = _post(RULES, {"countryCode": "VN", "countryArea": "Tỉnh Đồng Nai"})["addressValidationRules"]
    address = {
        "firstName": "An",
        "streetAddress1": "12 Đường 30 Tháng 4",
        "city": rules["cityChoices"][0]["raw"],
        "countryArea": "Tỉnh Đồng Nai",
        "phone": "0912345678",
        "country": "VN",
    }
    checkout_id = _create_checkout(shop)
    assert _post(SHIP, {"id": checkout_id, "address": address})["checkoutShippingAddressUpdate"]["errors"] == []
    options = _post(OPTIONS, {"id": checkout_id})["deliveryOptionsCalculate"]
    assert options == {"deliveries": [{"shippingMethod": {"name": "Giao tiêu chuẩn"}}], "errors": []}


def _create_checkout(shop) -> str:
    payload = {
        "channel": shop.channel.slug,
        "email": "tourist@example.test",
        "lines": [{"variantId": shop.variant_id(shop.coffee_variant), "quantity": 1}],
    }
    result = _post(CREATE, {"input": payload})["checkoutCreate"]
    assert result["errors"] == []
    return result["checkout"]["id"]


# --- the channel ---


def test_the_channel_keeps_saleors_metadata_fields_empty(shop):
    channel = _post(CHANNEL)["channel"]
    assert channel == {
        "metadata": [],
        "metafield": None,
        "metafields": {},
        "privateMetadata": [],
        "privateMetafield": None,
        "__typename": "Channel",
    }
