"""Writes to a checkout. Each validates everything first and refuses with every reason at once."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from marketplace.accounts.models import Address, User
from marketplace.catalogue.models import ProductVariant
from marketplace.catalogue.selectors import listed_products, variant_price_in_channel
from marketplace.channel.models import Channel
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.problems import Item, quantity_problem, sale_problem
from marketplace.checkout.selectors import (
    CheckoutInfo,
    available_collection_points,
    available_shipping_methods,
    checkout_info,
    checkout_locked,
    stocks_of_variants,
)
from marketplace.checkout.vouchers import evaluate
from marketplace.core.dates import local_today
from marketplace.core.db import AnyOf
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.metadata import metadata_merged
from marketplace.core.statements import Statement
from marketplace.discounts.error_codes import VoucherRefusal
from marketplace.discounts.models import Voucher
from marketplace.discounts.selectors import voucher_code_find
from marketplace.outlets.models import Outlet

LANGUAGES = {"vi", "en"}


@dataclasses.dataclass(frozen=True)
class LineRequest:
    variant_id: int
    quantity: int


def _locked(checkout: Checkout) -> Checkout:
    """The checkout read again and locked until the transaction ends, with the relations it is shown with, so
    that it can be shown as it is after the change without being read once more."""
    locked = checkout_locked(token=checkout.pk)
    if locked is None:
        raise Checkout.DoesNotExist(f"checkout {checkout.pk} is gone")
    return locked


# The variants asked for, with their product, price in the channel and whether the product is listed today.
_VARIANTS: Statement[Any] = Statement(  # rows annotated with channel_price and product_listed
    lambda variant_ids, channel_id, today: (
        ProductVariant.objects.filter(AnyOf("pk", variant_ids))
        .select_related("product")
        .annotate(
            channel_price=variant_price_in_channel(variant=OuterRef("pk"), channel_id=channel_id),
            product_listed=Exists(listed_products(today=today).filter(pk=OuterRef("product_id"))),
        )
    )
)


def _variant_quantities(*, channel: Channel, wanted: dict[int, int]) -> dict[int, int]:
    """Checks that each variant may be bought in this quantity; returns their prices (variant id → đồng).

    Two statements: the variants with their price in `channel` and whether their product is listed today,
    then their stock."""
    if not wanted:
        return {}
    rows = _VARIANTS(variant_ids=list(wanted), channel_id=channel.pk, today=local_today())
    variants = {variant.pk: variant for variant in rows}
    prices = {pk: variant.channel_price for pk, variant in variants.items() if variant.channel_price is not None}
    listed = {variant.product_id for variant in variants.values() if variant.product_listed}
    available: dict[int, int] = {}
    for stock in stocks_of_variants(variant_ids=list(wanted)):
        available[stock.variant_id] = available.get(stock.variant_id, 0) + stock.quantity_available
    details = [
        ErrorDetail(
            "Couldn't find a product variant with this id.", CheckoutErrorCode.NOT_FOUND, "lines", variants=(pk,)
        )
        for pk in wanted
        if pk not in variants
    ]
    for pk, quantity in wanted.items():
        variant = variants.get(pk)
        if variant is None:
            continue
        item = Item(name=variant.product.name, variant_id=pk)
        found = (
            sale_problem(
                item, is_listed=variant.product_id in listed, unit_price=prices.get(pk), channel_slug=channel.slug
            ),
            quantity_problem(
                item,
                quantity=quantity,
                limit=settings.OCOP_CHECKOUT_MAX_LINE_QUANTITY,
                available=available.get(pk, 0) if variant.track_inventory else None,
            ),
        )
        details.extend(problem for problem in found if problem is not None)
    if details:
        raise DomainError(details=details)
    return prices


def checkout_create(
    *,
    channel: Channel | None,
    lines: list[LineRequest],
    email: str | None,
    language_code: str | None,
    user: User | None,
) -> Checkout:
    if channel is None or not channel.is_active:
        raise DomainError("The channel is not active.", code=CheckoutErrorCode.CHANNEL_INACTIVE, field="channel")
    wanted: dict[int, int] = {}
    for request in lines:
        wanted[request.variant_id] = wanted.get(request.variant_id, 0) + request.quantity
    prices = _variant_quantities(channel=channel, wanted=wanted)
    with transaction.atomic():
        checkout = Checkout.objects.create(
            channel=channel,
            user=user,
            email=(email or (user.email if user else "")).strip(),
            language_code=_language(language_code, user),
        )
        CheckoutLine.objects.bulk_create(
            CheckoutLine(checkout=checkout, variant_id=pk, quantity=quantity, price_seen_amount=prices[pk])
            for pk, quantity in wanted.items()
        )
    return checkout


def _language(language_code: str | None, user: User | None) -> str:
    code = (language_code or (user.language_code if user else "") or "vi").lower()[:2]
    return code if code in LANGUAGES else "vi"


def checkout_lines_add(*, checkout: Checkout, lines: list[LineRequest]) -> Checkout:
    """Adds the quantities to the lines of the same variants (new lines otherwise)."""
    with transaction.atomic():
        checkout = _locked(checkout)
        current = {line.variant_id: line for line in checkout.lines.all()}
        wanted: dict[int, int] = {}
        for request in lines:
            base = wanted.get(
                request.variant_id, current[request.variant_id].quantity if request.variant_id in current else 0
            )
            wanted[request.variant_id] = base + request.quantity
        prices = _variant_quantities(channel=checkout.channel, wanted=wanted)
        _write_quantities(checkout=checkout, current=current, wanted=wanted, prices=prices)
    return checkout


def checkout_lines_update(*, checkout: Checkout, quantities: dict[str, int]) -> Checkout:
    """Sets the quantity of lines by line id (0 removes the line); re-reads each changed line's price.

    Updating a line is also how a buyer accepts a price that changed since they chose it.
    """
    with transaction.atomic():
        checkout = _locked(checkout)
        by_id = {str(line.pk): line for line in checkout.lines.all()}
        unknown = [line_id for line_id in quantities if line_id not in by_id]
        if unknown:
            raise DomainError(
                "Couldn't find these lines in the checkout.",
                code=CheckoutErrorCode.NOT_FOUND,
                field="lineId",
                lines=tuple(unknown),
            )
        removed = [by_id[line_id] for line_id, quantity in quantities.items() if quantity == 0]
        wanted = {by_id[line_id].variant_id: quantity for line_id, quantity in quantities.items() if quantity != 0}
        if wanted:
            prices = _variant_quantities(channel=checkout.channel, wanted=wanted)
            current = {line.variant_id: line for line in by_id.values()}
            _write_quantities(checkout=checkout, current=current, wanted=wanted, prices=prices)
        if removed:
            CheckoutLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
        _forget_inapplicable_delivery(checkout)
    return checkout


def checkout_lines_delete(*, checkout: Checkout, line_ids: list[str], field: str = "linesIds") -> Checkout:
    """Removes these lines (`field` names the argument that gave them, for the refusal)."""
    with transaction.atomic():
        checkout = _locked(checkout)
        existing = {str(pk) for pk in checkout.lines.values_list("pk", flat=True)}
        unknown = [line_id for line_id in line_ids if line_id not in existing]
        if unknown:
            raise DomainError(
                "Couldn't find these lines in the checkout.",
                code=CheckoutErrorCode.NOT_FOUND,
                field=field,
                lines=tuple(unknown),
            )
        checkout.lines.filter(pk__in=line_ids).delete()
        _forget_inapplicable_delivery(checkout)
    return checkout


def _write_quantities(
    *, checkout: Checkout, current: dict[int, CheckoutLine], wanted: dict[int, int], prices: dict[int, int]
) -> None:
    new_lines = []
    for variant_id, quantity in wanted.items():
        line = current.get(variant_id)
        if line is None:
            new_lines.append(
                CheckoutLine(
                    checkout=checkout, variant_id=variant_id, quantity=quantity, price_seen_amount=prices[variant_id]
                )
            )
        else:
            line.quantity = quantity
            line.price_seen_amount = prices[variant_id]
            line.save(update_fields=["quantity", "price_seen_amount"])
    CheckoutLine.objects.bulk_create(new_lines)
    checkout.save(update_fields=["last_change", "updated_at"])


def _forget_inapplicable_delivery(checkout: Checkout) -> None:
    """A changed cart may no longer fit its collection point or shipping method: Saleor then unsets it."""
    if not checkout.collection_point_id and not checkout.shipping_method_id:
        return
    info = checkout_info(checkout=checkout)
    if checkout.collection_point_id and checkout.collection_point_id not in {
        outlet.pk for outlet in available_collection_points(info=info)
    }:
        checkout.collection_point = None
    if checkout.shipping_method_id and checkout.shipping_method_id not in {
        method.pk for method in available_shipping_methods(info=info)
    }:
        checkout.shipping_method = None
    checkout.save(update_fields=["collection_point", "shipping_method", "last_change", "updated_at"])


def checkout_email_update(*, checkout: Checkout, email: str) -> Checkout:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("Enter a valid e-mail address.", code=CheckoutErrorCode.INVALID, field="email") from None
    checkout.email = email
    checkout.save(update_fields=["email", "last_change", "updated_at"])
    return checkout


def checkout_language_code_update(*, checkout: Checkout, language_code: str) -> Checkout:
    checkout.language_code = _language(language_code, None)
    checkout.save(update_fields=["language_code", "last_change", "updated_at"])
    return checkout


def checkout_shipping_address_update(
    *, checkout: Checkout, address_values: dict, save_address: bool = False
) -> Checkout:
    """Sets the delivery address (already validated against today's units); a shipping method that
    no longer serves its province is unset. With `save_address`, placing the order copies the address into
    the buyer's address book (`complete.place_order`), as Saleor's `saveAddress` does."""
    with transaction.atomic():
        checkout.shipping_address = _replace_address(checkout.shipping_address, address_values)
        checkout.save_shipping_address = save_address
        checkout.save(update_fields=["shipping_address", "save_shipping_address", "last_change", "updated_at"])
        _forget_inapplicable_delivery(checkout)
    return checkout


def checkout_billing_address_update(
    *, checkout: Checkout, address_values: dict, save_address: bool = False
) -> Checkout:
    """Sets the billing address; `save_address` as for the shipping address."""
    with transaction.atomic():
        checkout.billing_address = _replace_address(checkout.billing_address, address_values)
        checkout.save_billing_address = save_address
        checkout.save(update_fields=["billing_address", "save_billing_address", "last_change", "updated_at"])
    return checkout


def _replace_address(address: Address | None, values: dict) -> Address:
    if address is None:
        return Address.objects.create(**values)
    for name, value in values.items():
        setattr(address, name, value)
    address.save()
    return address


def checkout_delivery_method_update(
    *,
    checkout: Checkout,
    shipping_method_id: int | None = None,
    outlet_id: int | None = None,
    info: CheckoutInfo | None = None,
) -> Checkout:
    """Chooses home delivery by a shipping method, or pickup at a collection point (one or the other).

    `info`, the checkout's `checkout_info` when the caller has read it, stays true afterwards: only the
    checkout's own row changes."""
    info = info or checkout_info(checkout=checkout)
    if outlet_id is not None:
        points = {outlet.pk: outlet for outlet in available_collection_points(info=info)}
        if outlet_id not in points:
            raise DomainError(
                _not_applicable_message(outlet_id),
                code=CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                field="deliveryMethodId",
            )
        checkout.collection_point = points[outlet_id]
        checkout.shipping_method = None
    else:
        if checkout.shipping_address is None:
            raise DomainError(
                "Set a shipping address before choosing home delivery.",
                code=CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET,
                field="deliveryMethodId",
            )
        methods = {method.pk: method for method in available_shipping_methods(info=info)}
        if shipping_method_id not in methods:
            raise DomainError(
                "This shipping method does not deliver to the address or this order.",
                code=CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE,
                field="deliveryMethodId",
            )
        checkout.shipping_method = methods[shipping_method_id]
        checkout.collection_point = None
    checkout.save(update_fields=["collection_point", "shipping_method", "last_change", "updated_at"])
    return checkout


def _not_applicable_message(outlet_id: int) -> str:
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        return "Couldn't find this collection point."
    return f"{outlet.name} cannot hand over this order: it does not hold every item, or does not collect orders."


def checkout_customer_attach(*, checkout: Checkout, user: User) -> Checkout:
    checkout.user = user
    if not checkout.email:
        checkout.email = user.email
    checkout.save(update_fields=["user", "email", "last_change", "updated_at"])
    return checkout


def checkout_customer_detach(*, checkout: Checkout, user: User) -> Checkout:
    """The signed-in owner leaves the checkout (signing out): it becomes a guest's again, e-mail kept, as in
    Saleor. Only its owner may detach it; detaching a guest's checkout changes nothing."""
    if checkout.user_id is not None and checkout.user_id != user.pk:
        raise PermissionDenied("You can only detach a checkout that belongs to you.")
    checkout.user = None
    checkout.save(update_fields=["user", "last_change", "updated_at"])
    return checkout


def checkout_metadata_update(*, checkout: Checkout, items: dict[str, str]) -> Checkout:
    """Sets public metadata keys, the others kept (Saleor's `updateMetadata`; rules in `core.metadata`)."""
    with transaction.atomic():
        checkout = _locked(checkout)
        checkout.metadata = metadata_merged(checkout.metadata, items)
        checkout.save(update_fields=["metadata", "last_change", "updated_at"])
    return checkout


# --- vouchers ---

VOUCHER_REFUSALS: dict[VoucherRefusal, str] = {
    VoucherRefusal.OTHER_CHANNEL: "This voucher is not valid in this channel.",
    VoucherRefusal.NOT_STARTED: "This voucher is not valid yet.",
    VoucherRefusal.EXPIRED: "This voucher has expired.",
    VoucherRefusal.USED_UP: "This voucher has been used as many times as it may be.",
    VoucherRefusal.ALREADY_USED: "This voucher may be used once per customer, and this e-mail has used it.",
    VoucherRefusal.MINIMUM_NOT_REACHED: "The checkout's subtotal is below this voucher's minimum.",
    VoucherRefusal.NOTHING_ELIGIBLE: "None of the checkout's products is one this voucher applies to.",
}


def voucher_not_applicable(refusal: VoucherRefusal, *, field: str) -> ErrorDetail:
    """Saleor's VOUCHER_NOT_APPLICABLE, with the reason (`extra["reason"]`) for the pages."""
    return ErrorDetail(
        VOUCHER_REFUSALS[refusal],
        CheckoutErrorCode.VOUCHER_NOT_APPLICABLE,
        field,
        extra={"reason": refusal.value},
    )


def checkout_add_promo_code(*, checkout: Checkout, promo_code: str) -> Checkout:
    """Applies the voucher of this code (replacing any other), or refuses: an unknown code is INVALID, a voucher
    that does not apply to this checkout today VOUCHER_NOT_APPLICABLE, and lines that cannot be bought in the
    channel UNAVAILABLE_VARIANT_IN_CHANNEL (as Saleor). The discount itself is computed whenever the checkout is
    read, and once more when the order is placed."""
    with transaction.atomic():
        checkout = _locked(checkout)
        code = voucher_code_find(code=promo_code)
        if code is None:
            raise DomainError("Promo code is invalid", code=CheckoutErrorCode.INVALID, field="promoCode")
        info = checkout_info(checkout=checkout)
        unavailable = tuple(line.variant.pk for line in info.lines if not line.is_listed or line.unit_price is None)
        if unavailable:
            raise DomainError(
                "Some of the checkout lines variants are unavailable.",
                code=CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL,
                field="lines",
                variants=unavailable,
            )
        found = evaluate(code=code, checkout=checkout, lines=info.lines, now=timezone.now())
        if found.refusal is not None:
            raise DomainError(details=[voucher_not_applicable(found.refusal, field="promoCode")])
        checkout.voucher_code = code.code
        checkout.save(update_fields=["voucher_code", "last_change", "updated_at"])
    return checkout


def checkout_remove_promo_code(
    *, checkout: Checkout, promo_code: str | None = None, voucher_id: int | None = None
) -> Checkout:
    """Takes the voucher off the checkout, named by its code (any case) or by the voucher's id.

    As Saleor: a code not on the checkout is INVALID when it names a voucher, NOT_FOUND when it names nothing; a
    voucher id that names no voucher, or not the checkout's, is NOT_FOUND; an id on a checkout without a voucher
    changes nothing.
    """
    current = checkout.voucher_code
    if promo_code is not None:
        typed = promo_code.strip()
        if not current or typed.lower() != current.lower():
            if voucher_code_find(code=typed) is not None:
                raise DomainError(
                    "Cannot remove a voucher not attached to this checkout.",
                    code=CheckoutErrorCode.INVALID,
                    field="promoCode",
                )
            raise DomainError("Promo code does not exists.", code=CheckoutErrorCode.NOT_FOUND, field="promoCode")
    elif current:
        if voucher_id is None or not Voucher.objects.filter(pk=voucher_id).exists():
            raise DomainError(
                f"Couldn't resolve to a node: {voucher_id}", code=CheckoutErrorCode.NOT_FOUND, field="promoCodeId"
            )
        code = voucher_code_find(code=current)
        if code is None or code.voucher_id != voucher_id:
            raise DomainError(
                "Couldn't remove a promo code from a checkout.", code=CheckoutErrorCode.NOT_FOUND, field="promoCodeId"
            )
    if current:
        checkout.voucher_code = ""
        checkout.save(update_fields=["voucher_code", "last_change", "updated_at"])
    return checkout
