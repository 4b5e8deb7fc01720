"""Checkout test helpers: the shop the checkout tests buy from, an order placed through the real checkout, and
the GraphQL documents the API tests send."""

from __future__ import annotations

import dataclasses

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


def make_shop() -> Shop:
    """The `shop` fixture's shop (see tests/marketplace/checkout/fixtures.py), for fixtures of a wider scope too."""
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


def cash_pickup_checkout(shop: Shop, lines: dict[ProductVariant, int], *, email: str, user=None):
    """A checkout of `lines` (variant: quantity) to collect at the tourist site and pay for in cash there: ready to
    complete, made through the real checkout services."""
    from marketplace.checkout.services import LineRequest, checkout_create
    from payments.models import Gateway, TransactionItem

    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=variant.pk, quantity=quantity) for variant, quantity in lines.items()],
        email=email,
        language_code="vi",
        user=user,
    )
    checkout.collection_point = shop.tourist_site
    checkout.save()
    amount = sum(variant.channel_listings.get(channel=shop.channel).price_amount * n for variant, n in lines.items())
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=amount)
    return checkout


def place_cash_pickup_order(
    shop: Shop, lines: dict[ProductVariant, int] | None = None, *, email: str = "buyer@example.test", user=None
):
    """An order placed through the real checkout: by default one coffee and one cashew pack, cash at pickup at the
    tourist site."""
    from payments.checkout import checkout_complete

    lines = lines or {shop.coffee_variant: 1, shop.cashew_variant: 1}
    checkout = cash_pickup_checkout(shop, lines, email=email, user=user)
    return checkout_complete(token=checkout.pk, user=user)


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

LINES_ADD = f"""
mutation Add($id: ID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(id: $id, lines: $lines) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""

DELIVERY = f"""
mutation Delivery($id: ID!, $method: ID!) {{
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {{ checkout {{ {CHECKOUT_FIELDS} }} {ERRORS} }}
}}"""
