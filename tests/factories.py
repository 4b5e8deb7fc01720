"""Small model factories for the tests: plain functions, sensible defaults, unique ids; override anything by keyword."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from marketplace.accounts.models import Role, User
from marketplace.catalogue.models import Product, ProductVariant, ProductVariantChannelListing
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification, CertificationStatus, CouncilLevel
from marketplace.channel.services import channel_ensure_default
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet, OutletKind
from marketplace.producers.models import Producer, ProducerKind

PROVINCE = "Tỉnh Đồng Nai"
DEFAULT_PASSWORD = "test-password-2026"

_ids = itertools.count(1)


def _next() -> int:
    return next(_ids)


def make_producer(**kw: Any) -> Producer:
    n = _next()
    defaults: dict[str, Any] = {
        "registry_id": f"TST-P{n:05d}",
        "slug": f"producer-{n}",
        "name": f"Hợp tác xã Thử nghiệm {n}",
        "kind": ProducerKind.COOPERATIVE,
        "address_commune": "Xã Tân Bình",
        "address_province": PROVINCE,
        "commune_today": "Phường Tân Triều",
        "province_today": PROVINCE,
    }
    defaults.update(kw)
    return Producer.objects.create(**defaults)


def make_product(producer: Producer | None = None, **kw: Any) -> Product:
    n = _next()
    defaults: dict[str, Any] = {
        "registry_id": f"TST-{n:05d}",
        "slug": f"product-{n}",
        "name": f"Sản phẩm thử {n}",
        "product_set": "Rau, củ, quả, hạt tươi",
    }
    defaults.update(kw)
    return Product.objects.create(producer=producer or make_producer(), **defaults)


def make_certification(product: Product | None = None, **kw: Any) -> Certification:
    """A 4-star certificate, active and valid today, of `product` (and its producer)."""
    n = _next()
    product = product or make_product()
    today = timezone.localdate()
    valid_from = kw.pop("valid_from", today - datetime.timedelta(days=30))
    defaults: dict[str, Any] = {
        "certificate_id": f"TST-C{n:05d}",
        "revision": 1,
        "registry_updated_at": timezone.now(),
        "status": CertificationStatus.ACTIVE,
        "stars": 4,
        "council_level": CouncilLevel.PROVINCE,
        "decision_number": f"{n}/QĐ-UBND",
        "decision_date": valid_from,
        "issuer": "UBND tỉnh Đồng Nai",
        "valid_from": valid_from,
        "valid_until": valid_from + datetime.timedelta(days=3 * 365),
        "producer": product.producer,
    }
    defaults.update(kw)
    defaults.setdefault(
        "raw",
        {
            "certificate_id": defaults["certificate_id"],
            "revision": defaults["revision"],
            "status": defaults["status"],
            "stars": defaults["stars"],
            "product": {"product_id": product.registry_id, "name": product.name},
            "producer": {"producer_id": defaults["producer"].registry_id, "name": defaults["producer"].name},
        },
    )
    return Certification.objects.create(product=product, **defaults)


def make_outlet(**kw: Any) -> Outlet:
    n = _next()
    defaults: dict[str, Any] = {
        "name": f"Điểm bán OCOP thử {n}",
        "slug": f"outlet-{n}",
        "kind": OutletKind.SHOWROOM,
        "commune": "Phường Trấn Biên",
        "province": PROVINCE,
    }
    defaults.update(kw)
    return Outlet.objects.create(**defaults)


def make_variant(product: Product | None = None, price: int | None = 100_000, **kw: Any) -> ProductVariant:
    """A variant priced `price` đồng in the default channel (no price when `price` is None)."""
    n = _next()
    product = product or make_product()
    defaults: dict[str, Any] = {"sku": f"TST-SKU-{n:05d}", "name": "Hộp 500 g", "weight_grams": 500}
    defaults.update(kw)
    variant = ProductVariant.objects.create(product=product, **defaults)
    if price is not None:
        ProductVariantChannelListing.objects.create(
            variant=variant, channel=channel_ensure_default(), price_amount=price
        )
    return variant


def make_stock(variant: ProductVariant | None = None, outlet: Outlet | None = None, **kw: Any) -> Stock:
    defaults: dict[str, Any] = {"quantity": 10}
    defaults.update(kw)
    return Stock.objects.create(variant=variant or make_variant(), outlet=outlet or make_outlet(), **defaults)


def make_user(role: str = Role.CONSUMER, **kw: Any) -> User:
    """A user of `role`; staff roles get is_staff and, if not given, a producer or outlet of their own."""
    n = _next()
    password = kw.pop("password", DEFAULT_PASSWORD)
    defaults: dict[str, Any] = {
        "username": f"user{n}",
        "email": f"user{n}@example.test",
        "role": role,
        "is_staff": role != Role.CONSUMER or bool(kw.get("is_superuser")),
    }
    if role == Role.PRODUCER_STAFF and "producer" not in kw:
        defaults["producer"] = make_producer()
    if role == Role.OUTLET_STAFF and "outlet" not in kw:
        defaults["outlet"] = make_outlet()
    if role == Role.TRADE_STAFF:
        defaults["province"] = PROVINCE
    if role == Role.OPERATOR:
        defaults["is_superuser"] = False
    defaults.update(kw)
    user = User(**defaults)
    user.set_password(password)
    user.save()
    return user


def listed_product(*, price: int = 120_000, quantity: int = 10, **product_fields: Any) -> Product:
    """A product with a valid 4-star certificate, a priced variant in stock, listed through the gate."""
    product = make_product(**product_fields)
    make_certification(product)
    make_stock(make_variant(product, price=price), make_outlet(), quantity=quantity)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "listed"
    return product


def delist(product: Product) -> None:
    """Expire its certificate in the past and let the gate delist it."""
    certification = product.current_certification
    certification.valid_until = certification.valid_from + datetime.timedelta(days=1)
    certification.save()
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "delisted"
