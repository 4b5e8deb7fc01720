"""Checkout test helpers: the shop the checkout tests buy from, an order placed through the real checkout, and
the GraphQL documents the API tests send."""

from __future__ import annotations

import dataclasses

from marketplace.catalogue.models import Product, ProductVariant
from marketplace.channel.models import Channel
from marketplace.outlets.models import Outlet
from marketplace.shipping.models import ShippingMethod
from storefront_api.core.ids import global_id


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
