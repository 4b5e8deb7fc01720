"""Writes of the producer portal: a cooperative's staff change their own products' prices, stock,
descriptions and photos, and nothing the registry owns.

Each service checks that the user acts for the product's producer (or is an operator), validates
everything before writing, writes in one transaction, and announces the product with
`products_changed` on commit, so that search reindexes it and cached catalogue reads refresh. Rows
are written with `save()`, so the model signals that the admin's saves send (search marks, cache
versions) are sent here too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import role_of
from marketplace.catalogue.images import ProcessedImage
from marketplace.catalogue.media_services import product_media_delete, product_media_store_processed
from marketplace.catalogue.models import Product, ProductMedia, ProductVariant, ProductVariantChannelListing
from marketplace.catalogue.signals import products_changed
from marketplace.channel.services import channel_ensure_default
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet
from web.portal.error_codes import PortalErrorCode

# The product fields a producer's staff write (accounts.permissions grants them these and no others).
PRODUCER_EDITABLE_PRODUCT_FIELDS = ("seller_description", "seller_description_en")
MAX_PRICE = 1_000_000_000  # đồng; a price above a billion is a typing slip
MAX_QUANTITY = 1_000_000


def _ensure_own(by_user: User, product: Product) -> None:
    role = role_of(by_user)
    if role == Role.OPERATOR:
        return
    if role == Role.PRODUCER_STAFF and by_user.producer_id is not None and by_user.producer_id == product.producer_id:
        return
    raise PermissionDenied("Only the producer's staff can change its products.")


def _announce(product: Product) -> None:
    product_ids = [product.pk]
    transaction.on_commit(lambda: products_changed.send(sender=Product, product_ids=product_ids))


def _is_whole(value: object, *, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def variant_prices_update(*, product: Product, prices: Mapping[int, int], by_user: User) -> list[int]:
    """Set prices of the product's variants, `{variant pk: whole đồng}`, in the default channel.

    Returns the pks of the variants whose price changed. A variant without a price gets one.
    """
    _ensure_own(by_user, product)
    errors = [
        ErrorDetail(
            gettext("Enter a whole number of đồng, at least 1 and at most %(max)s.") % {"max": f"{MAX_PRICE:,}"},
            PortalErrorCode.INVALID,
            "price",
            variants=(variant_id,),
        )
        for variant_id, amount in prices.items()
        if not _is_whole(amount, low=1, high=MAX_PRICE)
    ]
    if errors:
        raise DomainError(details=errors)
    changed: list[int] = []
    with transaction.atomic():
        variants = set(
            ProductVariant.objects.select_for_update()
            .filter(product=product, pk__in=list(prices))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        _refuse_unknown_variants(prices, variants)
        channel = channel_ensure_default()
        listings = {
            listing.variant_id: listing
            for listing in ProductVariantChannelListing.objects.select_for_update().filter(
                variant_id__in=variants, channel=channel
            )
        }
        for variant_id, amount in sorted(prices.items()):
            listing = listings.get(variant_id)
            if listing is None:
                ProductVariantChannelListing.objects.create(
                    variant_id=variant_id, channel=channel, price_amount=amount, currency=channel.currency_code
                )
            elif listing.price_amount != amount:
                listing.price_amount = amount
                listing.save(update_fields=["price_amount"])
            else:
                continue
            changed.append(variant_id)
        if changed:
            _announce(product)
    return changed


def stock_update_quantities(*, product: Product, quantities: Mapping[tuple[int, int], int], by_user: User) -> int:
    """Set how many of the product's variants outlets hold, `{(variant pk, outlet pk): quantity}`.

    An active outlet that holds none of a variant yet gets a stock row. A quantity is never set below
    what is already promised to orders (`quantity_allocated`). Returns how many rows changed.
    """
    _ensure_own(by_user, product)
    with transaction.atomic():
        variants = set(
            ProductVariant.objects.filter(product=product, pk__in={v for v, _ in quantities}).values_list(
                "pk", flat=True
            )
        )
        _refuse_unknown_variants({variant_id: None for variant_id, _ in quantities}, variants)
        stocks = {
            (stock.variant_id, stock.outlet_id): stock
            for stock in Stock.objects.select_for_update()
            .filter(variant_id__in=variants, outlet_id__in={o for _, o in quantities})
            .order_by("pk")
        }
        new_outlets = {outlet_id for variant_id, outlet_id in quantities if (variant_id, outlet_id) not in stocks}
        active = set(Outlet.objects.filter(pk__in=new_outlets, is_active=True).values_list("pk", flat=True))
        errors = []
        for (variant_id, outlet_id), quantity in sorted(quantities.items()):
            stock = stocks.get((variant_id, outlet_id))
            if not _is_whole(quantity, low=0, high=MAX_QUANTITY):
                message = gettext("Enter a whole number from 0 to %(max)s.") % {"max": f"{MAX_QUANTITY:,}"}
                code = PortalErrorCode.INVALID
            elif stock is None and outlet_id not in active:
                message, code = gettext("This outlet does not take stock."), PortalErrorCode.NOT_FOUND
            elif stock is not None and quantity < stock.quantity_allocated:
                message = gettext("%(allocated)s are promised to orders; the quantity cannot be lower.") % {
                    "allocated": stock.quantity_allocated
                }
                code = PortalErrorCode.BELOW_ALLOCATED
            else:
                continue
            errors.append(
                ErrorDetail(message, code, "quantity", variants=(variant_id,), extra={"outlet": str(outlet_id)})
            )
        if errors:
            raise DomainError(details=errors)

        changed = 0
        for (variant_id, outlet_id), quantity in sorted(quantities.items()):
            stock = stocks.get((variant_id, outlet_id))
            if stock is None:
                stock, created = Stock.objects.get_or_create(
                    variant_id=variant_id, outlet_id=outlet_id, defaults={"quantity": quantity}
                )
                if created:
                    changed += 1
                    continue
            if stock.quantity != quantity:
                stock.quantity = quantity
                stock.save(update_fields=["quantity"])
                changed += 1
        if changed:
            _announce(product)
    return changed


def variant_names_en_update(*, product: Product, names: Mapping[int, str], by_user: User) -> list[int]:
    """The English names of the product's packs, `{variant pk: "Jar 500 g"}` (empty: English pages put the
    Vietnamese name's common words in English). Returns the pks of the variants whose English name changed."""
    _ensure_own(by_user, product)
    cleaned = {variant_id: " ".join(_clean_text(name).split())[:255] for variant_id, name in names.items()}
    changed: list[int] = []
    with transaction.atomic():
        variants = {
            variant.pk: variant
            for variant in ProductVariant.objects.select_for_update().filter(product=product, pk__in=list(cleaned))
        }
        _refuse_unknown_variants(cleaned, variants)
        for variant_id, name in sorted(cleaned.items()):
            variant = variants[variant_id]
            if variant.name_en != name:
                variant.name_en = name
                variant.save(update_fields=["name_en"])
                changed.append(variant_id)
        if changed:
            _announce(product)
    return changed


def _refuse_unknown_variants(wanted: Mapping[int, object], found: Iterable[int]) -> None:
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        raise DomainError(
            gettext("This product has no such variant."),
            code=PortalErrorCode.NOT_FOUND,
            field="variant",
            variants=tuple(unknown),
        )


def _clean_text(text: str) -> str:
    """NFC (Vietnamese typed on different keyboards compares equal), Unix line ends, no outer blanks."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def product_descriptions_update(
    *, product: Product, seller_description: str, seller_description_en: str, by_user: User
) -> bool:
    """The producer's own descriptions, in Vietnamese and English; the registry's description stays as it is.

    Returns whether anything changed.
    """
    _ensure_own(by_user, product)
    values = {
        "seller_description": _clean_text(seller_description),
        "seller_description_en": _clean_text(seller_description_en),
    }
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return False
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=[*changed, "updated_at"])
        _announce(locked)
    for name in changed:
        setattr(product, name, values[name])
    product.updated_at = locked.updated_at
    return True


def product_photo_add(*, product: Product, processed: ProcessedImage, alt: str, by_user: User) -> ProductMedia:
    """Store a photo the producer uploaded, already checked and re-encoded by `catalogue.images.process_image`.

    It goes the way of the registry's images (`product_media_store_processed`): the same file names,
    renditions and ready state; it comes after the product's other images.
    """
    _ensure_own(by_user, product)
    with transaction.atomic():
        last = ProductMedia.objects.filter(product=product).aggregate(last=Max("sort_order"))["last"]
        media = ProductMedia.objects.create(
            product=product,
            source=ProductMedia.Source.PRODUCER,
            status=ProductMedia.Status.PENDING,
            alt=_clean_text(alt)[: ProductMedia._meta.get_field("alt").max_length],
            sort_order=0 if last is None else last + 1,
        )
        product_media_store_processed(media=media, processed=processed)
        _announce(product)
    return media


def product_photo_remove(*, media: ProductMedia, by_user: User) -> None:
    """Delete one of the producer's own photos and its files. The registry's photos are not theirs to remove."""
    if media.source != ProductMedia.Source.PRODUCER:
        raise PermissionDenied("Registry photos are kept as the registry lists them.")
    _ensure_own(by_user, media.product)
    with transaction.atomic():
        if product_media_delete(media=media):
            _announce(media.product)
