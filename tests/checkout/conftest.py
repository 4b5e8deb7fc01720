"""A small shop to buy from: two producers' listed products, a tourist-site outlet collecting from its own
stock, a showroom collecting from any warehouse, a producer's warehouse, and a delivery zone."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

import pytest
from django.test import Client

from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.models import Channel
from marketplace.channel.services import channel_ensure_default
from marketplace.outlets.models import CollectionPointOption, Outlet, OutletKind
from marketplace.shipping.models import ShippingMethod, ShippingZone
from storefront_api.core.ids import global_id
from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock, make_variant


@dataclasses.dataclass
class Shop:
    channel: Channel
    coffee: Product  # producer A
    cashew: Product  # producer B
    coffee_variant: ProductVariant
    cashew_variant: ProductVariant
    tourist_site: Outlet  # collects from its own stock; holds both products
    showroom: Outlet  # collects from any warehouse; holds only coffee
    warehouse: Outlet  # producer B's own store, not a collection point
    standard: ShippingMethod
    express: ShippingMethod

    def variant_id(self, variant: ProductVariant) -> str:
        return global_id("ProductVariant", variant.pk)

    def outlet_id(self, outlet: Outlet) -> str:
        return global_id("Warehouse", outlet.pk)


def _listed(name: str, producer, price: int) -> tuple[Product, ProductVariant]:
    product = make_product(producer=producer, name=name)
    make_certification(product, stars=4)
    variant = make_variant(product, price=price)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "listed"
    return product, variant


@pytest.fixture
def shop(db) -> Shop:
    channel = channel_ensure_default()
    coffee, coffee_variant = _listed("Cà phê hạt Robusta", make_producer(name="HTX Cà phê Xuân Lộc"), 150_000)
    producer_b = make_producer(name="HTX Điều Bình Phước")
    cashew, cashew_variant = _listed("Hạt điều rang muối", producer_b, 220_000)
    tourist_site = make_outlet(
        name="Khu du lịch Bửu Long",
        kind=OutletKind.TOURIST_SITE,
        click_and_collect_option=CollectionPointOption.LOCAL_STOCK,
        hold_days=3,
    )
    showroom = make_outlet(
        name="Trung tâm OCOP Biên Hòa",
        kind=OutletKind.SHOWROOM,
        click_and_collect_option=CollectionPointOption.ALL_WAREHOUSES,
    )
    warehouse = make_outlet(
        name="Kho HTX Điều",
        kind=OutletKind.PRODUCER_WAREHOUSE,
        producer=producer_b,
        click_and_collect_option=CollectionPointOption.DISABLED,
    )
    for outlet in (tourist_site, showroom, warehouse):
        outlet.channels.add(channel)
    make_stock(coffee_variant, tourist_site, quantity=10)
    make_stock(cashew_variant, tourist_site, quantity=10)
    make_stock(coffee_variant, showroom, quantity=5)
    make_stock(cashew_variant, warehouse, quantity=30)
    zone = ShippingZone.objects.create(name="Đồng Nai", provinces=["75"])
    zone.channels.add(channel)
    standard = ShippingMethod.objects.create(
        zone=zone, name="Giao tiêu chuẩn", name_en="Standard delivery", price_amount=30_000, maximum_delivery_days=3
    )
    express = ShippingMethod.objects.create(
        zone=zone,
        name="Giao nhanh",
        name_en="Express",
        price_amount=60_000,
        maximum_delivery_days=1,
        minimum_order_amount=1_000_000,
    )
    return Shop(
        channel, coffee, cashew, coffee_variant, cashew_variant, tourist_site, showroom, warehouse, standard, express
    )


def place_cash_pickup_order(shop: Shop):
    """One coffee and one cashew pack, cash at pickup at the tourist site, placed through the real checkout."""
    from marketplace.checkout.services import LineRequest, checkout_create
    from payments.checkout import checkout_complete
    from payments.models import Gateway, TransactionItem

    checkout = checkout_create(
        channel=shop.channel,
        lines=[
            LineRequest(variant_id=shop.coffee_variant.pk, quantity=1),
            LineRequest(variant_id=shop.cashew_variant.pk, quantity=1),
        ],
        email="buyer@example.test",
        language_code="vi",
        user=None,
    )
    checkout.collection_point = shop.tourist_site
    checkout.save()
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=370_000)
    return checkout_complete(token=checkout.pk, user=None)


@pytest.fixture
def api(db) -> Callable[..., dict]:
    """POST to /graphql/, anonymously or with `token=` (a JWT access token); returns the decoded JSON."""
    client = Client()

    def send(query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return send


ADDRESS = {
    "firstName": "An",
    "lastName": "Nguyễn",
    "streetAddress1": "12 Đường 30 Tháng 4",
    "city": "Phường Trấn Biên",
    "countryArea": "Đồng Nai",
    "country": "VN",
    "phone": "0912345678",
}

CHECKOUT_FIELDS = """
  id token email quantity languageCode
  lines { id quantity priceChanged unitPrice { gross { amount currency } } totalPrice { gross { amount } }
          variant { id name product { name } } problems { __typename } }
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount } }
  totalPrice { gross { amount currency } }
  availableCollectionPoints { id name clickAndCollectOption }
  shippingMethods { id name price { amount currency } }
  deliveryMethod { __typename ... on Warehouse { id name } ... on ShippingMethod { id name } }
  shippingAddress { city countryArea }
  availablePaymentGateways { id name currencies }
"""

ERRORS = "errors { field code message lines variants }"

CREATE = f"""
mutation Create($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""


from tests.payments.conftest import localstripe, stripe_settings  # noqa: E402, F401  (Stripe is localstripe here too)
