"""What stands in a checkout's way: every refusal of the checkout, built once, with Saleor's error codes.

Adding to the cart (`services`) and completing the checkout (`complete`) ask the same questions of what is
bought: is the product listed (a valid 3–5★ OCOP certificate today), is it sold in the channel, is there
enough stock. Each question is answered here, in one place, for both. A problem is about an `Item`: a
variant being put in the cart, or a line already in it (then the line is named too, and the buyer is
told to remove or update it).
"""

from __future__ import annotations

import dataclasses

from django.forms.models import model_to_dict

from marketplace.accounts.address_validation import AddressInvalid, validate_address
from marketplace.accounts.error_codes import AddressType
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.selectors import CheckoutInfo, LineInfo, available_shipping_methods
from marketplace.core.errors import ErrorDetail
from marketplace.shipping.models import ShippingMethod


@dataclasses.dataclass(frozen=True)
class Item:
    """What a problem is about: a product's variant, by name, and the checkout line holding it, if any."""

    name: str
    variant_id: int
    line_id: str | None = None

    @classmethod
    def of_line(cls, line: LineInfo) -> Item:
        return cls(name=line.product.name, variant_id=line.variant.pk, line_id=str(line.line.pk))

    @property
    def in_cart(self) -> bool:
        return self.line_id is not None

    def problem(self, message: str, code: CheckoutErrorCode, *, field: str) -> ErrorDetail:
        lines = (self.line_id,) if self.line_id is not None else ()
        return ErrorDetail(message, code, field, lines=lines, variants=(self.variant_id,))


# --- what is bought: both the cart and the completion ---


def not_listed(item: Item) -> ErrorDetail:
    if item.in_cart:
        message = (
            f"{item.name} can no longer be bought: it holds no valid 3–5 star OCOP certificate today. "
            "Remove it from the cart."
        )
    else:
        message = f"{item.name} is not for sale: it holds no valid 3–5 star OCOP certificate today."
    return item.problem(message, CheckoutErrorCode.PRODUCT_NOT_PUBLISHED, field="lines")


def not_sold_in_channel(item: Item, *, channel_slug: str) -> ErrorDetail:
    return item.problem(
        f"{item.name} is not sold in channel {channel_slug}.",
        CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL,
        field="lines",
    )


def sale_problem(item: Item, *, is_listed: bool, unit_price: int | None, channel_slug: str) -> ErrorDetail | None:
    """Why the item cannot be sold today, if it cannot: unlisted first (it is sold nowhere), then not priced in
    the checkout's channel (`unit_price` None)."""
    if not is_listed:
        return not_listed(item)
    if unit_price is None:
        return not_sold_in_channel(item, channel_slug=channel_slug)
    return None


def insufficient_stock(item: Item, *, available: int, outlet_name: str = "") -> ErrorDetail:
    """Only `available` can be had (at `outlet_name`, when the order is collected there). The quantity asked for
    is at fault when adding to the cart; the line, when completing."""
    where = f" at {outlet_name}" if outlet_name else ""
    return item.problem(
        f"Only {available} of {item.name} left in stock{where}.",
        CheckoutErrorCode.INSUFFICIENT_STOCK,
        field="lines" if item.in_cart else "quantity",
    )


# --- the quantity asked for: adding to the cart ---


def quantity_problem(item: Item, *, quantity: int, limit: int, available: int | None) -> ErrorDetail | None:
    """Why this quantity cannot go in the cart, if it cannot. `available` is None when the variant's stock is
    not tracked."""
    if quantity <= 0:
        return item.problem("The quantity must be at least 1.", CheckoutErrorCode.ZERO_QUANTITY, field="quantity")
    if quantity > limit:
        return item.problem(
            f"Cannot add more than {limit} of one item.",
            CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT,
            field="quantity",
        )
    if available is not None and quantity > available:
        return insufficient_stock(item, available=available)
    return None


# --- the whole checkout: completing it ---


def line_problems(line: LineInfo, *, channel_slug: str) -> list[ErrorDetail]:
    """A line that cannot be ordered as it stands: not for sale any more, or its price changed since the buyer
    chose it (updating the line accepts the new price). Stock is the allocation's question."""
    item = Item.of_line(line)
    problem = sale_problem(item, is_listed=line.is_listed, unit_price=line.unit_price, channel_slug=channel_slug)
    if problem is not None:
        return [problem]
    if line.price_changed:
        return [
            item.problem(
                f"The price of {item.name} changed from {line.line.price_seen_amount} to {line.unit_price} đồng. "
                "Update the line to accept the new price.",
                CheckoutErrorCode.PRICE_CHANGED,
                field="lines",
            )
        ]
    return []


def checkout_problems(info: CheckoutInfo) -> list[ErrorDetail]:
    """Everything that keeps the checkout from becoming an order, except stock: an empty cart (alone), the
    e-mail address, each line, the delivery method."""
    checkout = info.checkout
    if not info.lines:
        return [ErrorDetail("The checkout has no lines.", CheckoutErrorCode.NO_LINES, "lines")]
    details: list[ErrorDetail] = []
    if not checkout.email:
        details.append(ErrorDetail("Set an e-mail address first.", CheckoutErrorCode.EMAIL_NOT_SET, "email"))
    for line in info.lines:
        details.extend(line_problems(line, channel_slug=checkout.channel.slug))
    details.extend(delivery_problems(info))
    details.extend(address_problems(info))
    return details


def address_problems(info: CheckoutInfo) -> list[ErrorDetail]:
    """The addresses the order keeps must be whole Vietnamese addresses, even those a storefront saved under
    relaxed rules while the buyer typed (`ValidationRules`): the shipping address of a home delivery (street
    required) and the billing address (street optional, as when it is set)."""
    checkout = info.checkout
    wanted = [(checkout.billing_address, AddressType.BILLING, "billingAddress", False)]
    if checkout.shipping_method_id is not None:
        wanted.insert(0, (checkout.shipping_address, AddressType.SHIPPING, "shippingAddress", True))
    details: list[ErrorDetail] = []
    for address, kind, field, require_street in wanted:
        if address is None:
            continue
        try:
            validate_address(model_to_dict(address), require_street=require_street)
        except AddressInvalid as invalid:
            details.extend(
                ErrorDetail(
                    f"The {kind.value} address, {problem.field.replace('_', ' ')}: {problem.message}",
                    CheckoutErrorCode[problem.code],
                    field,
                    extra={"address_type": kind.value},
                )
                for problem in invalid.problems
            )
    return details


def delivery_problems(info: CheckoutInfo) -> list[ErrorDetail]:
    """A delivery method must be chosen and still apply: the shipping method to the address and the order, the
    collection point still handing over orders."""
    checkout = info.checkout
    if checkout.shipping_method_id is not None:
        if checkout.shipping_address is None:
            return [
                ErrorDetail("Set the shipping address.", CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET, "shippingAddress")
            ]
        if invalid_shipping_method(info) is not None:
            return [
                ErrorDetail(
                    "The shipping method no longer applies to this address or order.",
                    CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                    "deliveryMethodId",
                )
            ]
        return []
    outlet = checkout.collection_point
    if outlet is None:
        return [
            ErrorDetail(
                "Choose pickup at an outlet or a home delivery method.",
                CheckoutErrorCode.SHIPPING_METHOD_NOT_SET,
                "deliveryMethodId",
            )
        ]
    if not outlet.is_collection_point:
        return [
            ErrorDetail(
                f"{outlet.name} no longer hands over orders.",
                CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                "deliveryMethodId",
            )
        ]
    return []


def invalid_shipping_method(info: CheckoutInfo) -> ShippingMethod | None:
    """The chosen shipping method, when it no longer applies to the address or the order (None otherwise, and
    for a pickup)."""
    method = info.checkout.shipping_method
    if method is None or method.pk in {available.pk for available in available_shipping_methods(info=info)}:
        return None
    return method


# --- what the checkout shows while the buyer shops (Saleor's `Checkout.problems`) ---


@dataclasses.dataclass(frozen=True)
class VariantNotAvailable:
    """The line's product cannot be bought today: delisted, or not sold in the checkout's channel."""

    line: LineInfo


@dataclasses.dataclass(frozen=True)
class InsufficientStock:
    """Fewer than the line's quantity are in stock (at every active outlet together)."""

    line: LineInfo
    available: int


@dataclasses.dataclass(frozen=True)
class DeliveryMethodInvalid:
    """The chosen shipping method no longer applies to the address or the order."""

    shipping_method: ShippingMethod


LineStatusProblem = VariantNotAvailable | InsufficientStock
StatusProblem = LineStatusProblem | DeliveryMethodInvalid


def line_status_problems(info: CheckoutInfo, line: LineInfo) -> list[LineStatusProblem]:
    """What is wrong with a line as it stands, shown before completing refuses it: the same listing and
    channel rule as `sale_problem`, and the stock of every active outlet."""
    if (
        sale_problem(Item.of_line(line), is_listed=line.is_listed, unit_price=line.unit_price, channel_slug="")
        is not None
    ):
        return [VariantNotAvailable(line=line)]
    available = info.available_by_variant().get(line.variant.pk, 0)
    if line.variant.track_inventory and available < line.line.quantity:
        return [InsufficientStock(line=line, available=available)]
    return []


def checkout_status_problems(info: CheckoutInfo) -> list[StatusProblem]:
    """Every line's problems, then the delivery method's. Saleor's `CheckoutProblemDeliveryMethodStale` never
    arises: delivery options are read afresh on every request, never kept from an earlier calculation."""
    problems: list[StatusProblem] = [problem for line in info.lines for problem in line_status_problems(info, line)]
    method = invalid_shipping_method(info)
    if method is not None:
        problems.append(DeliveryMethodInvalid(shipping_method=method))
    return problems
