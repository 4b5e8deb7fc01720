"""The listing-window read model counts exactly what the gate lists, whatever changes the rows and however.

`listed_count()` sums `ListingWindow` rows that PostgreSQL triggers keep in step with products and
certificates. Here random changes — the gate's own, the ORM's, bulk updates and deletions, written past any
Python code — are made one after the other, and after each one the read model's count must equal the gate's
count (`listed_products(...).count()`), for several days and category filters.
"""

from __future__ import annotations

import datetime
import importlib
import random

import pytest
from django.db import connection
from django.db.models import Q

from marketplace.catalogue.models import Category, ListingState, ListingWindow, Product
from marketplace.catalogue.selectors import listed_count, listed_products
from marketplace.certification.models import Certification, CertificationStatus
from tests.factories import make_certification, make_product

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
DAYS = [TODAY + datetime.timedelta(days=d) for d in (-31, -1, 0, 30, 1100)]


def _categories() -> list[Category]:
    """Two OCOP groups, each with two product sets."""
    made = []
    for code in ("I", "II"):
        group = Category.objects.create(
            kind=Category.Kind.GROUP, scheme="2023", code=code, name=f"Nhóm {code}", slug=f"nhom-{code.lower()}"
        )
        made.append(group)
        for number in (1, 2):
            slug = f"bo-{code.lower()}{number}"
            made.append(
                Category.objects.create(
                    kind=Category.Kind.PRODUCT_SET, scheme="2023", parent=group, name=f"Bộ {code}{number}", slug=slug
                )
            )
    return made


def _certify(product: Product, rng: random.Random, **fields) -> None:
    """A certificate with random dates (some without a start, some ended) made the product's current one."""
    certificate = make_certification(product, **fields)
    for field, value in _random_dates(rng).items():
        setattr(certificate, field, value)
    certificate.save()
    product.current_certification = certificate
    product.save(update_fields=["current_certification"])


def _gate_count(day: datetime.date, category_ids: list[int] | None) -> int:
    products = listed_products(today=day)
    if category_ids is not None:
        products = products.filter(
            Q(category_id__in=category_ids) | Q(category__parent_id__in=category_ids) | Q(group_id__in=category_ids)
        )
    return products.count()


def _assert_counts_agree(categories: list[Category], step: str) -> None:
    filters = [None, [categories[0].pk], [categories[1].pk], [categories[3].pk, categories[4].pk]]
    for day in DAYS:
        for category_ids in filters:
            expected = _gate_count(day, category_ids)
            assert listed_count(category_ids=category_ids, today=day) == expected, (step, day, category_ids)


def _random_dates(rng: random.Random) -> dict[str, datetime.date | None]:
    start = TODAY + datetime.timedelta(days=rng.choice([-800, -60, -30, 0, 1, 30]))
    return {
        "valid_from": rng.choice([start, start, None]),
        "decision_date": rng.choice([start - datetime.timedelta(days=5), start, None]),
        "valid_until": start + datetime.timedelta(days=rng.choice([-1, 0, 31, 3 * 365])),
    }


def _change(rng: random.Random, categories: list[Category]) -> str:
    """One random change to products or certificates, made the way the sync, staff or a raw fix would."""
    products = list(Product.objects.order_by("pk"))
    certificates = list(Certification.objects.order_by("pk"))
    product = rng.choice(products)
    certificate = rng.choice(certificates)
    group = rng.choice([c for c in categories if c.parent_id is None] + [None])
    product_set = rng.choice([c for c in categories if c.parent_id is not None] + [None])
    kind = rng.choice(
        ["state", "certificate field", "dates", "reassign", "category", "bulk state", "bulk certificate", "new",
         "delete certificate", "delete product", "raw sql"]
    )  # fmt: skip
    if kind == "state":
        product.listing_state = rng.choice(list(ListingState))
        product.save(update_fields=["listing_state"])
    elif kind == "certificate field":
        field, value = rng.choice(
            [("status", rng.choice(list(CertificationStatus))), ("stars", rng.randint(1, 5)),
             ("quarantined_revision", rng.choice([None, 2]))]
        )  # fmt: skip
        setattr(certificate, field, value)
        certificate.save(update_fields=[field])
    elif kind == "dates":
        for field, value in _random_dates(rng).items():
            setattr(certificate, field, value)
        certificate.save()
    elif kind == "reassign":
        product.current_certification = rng.choice([*certificates, None])
        product.save(update_fields=["current_certification"])
    elif kind == "category":
        product.group, product.category = group, product_set
        product.save(update_fields=["group", "category"])
    elif kind == "bulk state":
        Product.objects.filter(pk__in=[p.pk for p in rng.sample(products, min(3, len(products)))]).update(
            listing_state=rng.choice(list(ListingState))
        )
    elif kind == "bulk certificate":
        Certification.objects.filter(pk__in=[c.pk for c in rng.sample(certificates, min(3, len(certificates)))]).update(
            valid_until=TODAY + datetime.timedelta(days=rng.choice([-1, 0, 10]))
        )
    elif kind == "new":
        made = make_product(group=group, category=product_set, listing_state=ListingState.LISTED)
        _certify(made, rng, stars=rng.randint(2, 5))
    elif kind == "delete certificate" and len(certificates) > 2:
        certificate.delete()
    elif kind == "delete product" and len(products) > 2:
        Certification.objects.filter(product=product).delete()  # a product's certificates protect it
        product.delete()
    elif kind == "raw sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE certification_certification SET status = %s, valid_from = NULL WHERE id = %s",
                [rng.choice(["active", "revoked"]), certificate.pk],
            )
    return kind


def test_the_read_model_counts_what_the_gate_lists_after_every_change():
    rng = random.Random(20261205)
    categories = _categories()
    for number in range(8):
        product = make_product(
            group=categories[0 if number % 2 else 3], category=categories[1 + number % 2 if number % 2 else 4],
            listing_state=ListingState.LISTED,
        )  # fmt: skip
        _certify(product, rng)
    _assert_counts_agree(categories, "start")
    kinds = set()
    for step in range(120):
        kind = _change(rng, categories)
        kinds.add(kind)
        _assert_counts_agree(categories, f"{step}: {kind}")
    assert len(kinds) == 11  # every kind of change was made
    assert listed_count(today=TODAY) > 0 or _gate_count(TODAY, None) == 0


def test_the_migration_counts_the_products_already_there_and_a_delisting_leaves_the_count_in_its_transaction():
    product = make_product(listing_state=ListingState.LISTED)
    product.current_certification = make_certification(product, valid_from=TODAY - datetime.timedelta(days=3))
    product.save(update_fields=["current_certification"])
    assert listed_count(today=TODAY) == 1
    ListingWindow.objects.all().delete()  # as if the products were there before the read model
    migration = importlib.import_module("marketplace.catalogue.migrations.0005_listing_windows")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert listed_count(today=TODAY) == 1
    Product.objects.filter(pk=product.pk).update(listing_state=ListingState.DELISTED)
    assert listed_count(today=TODAY) == 0  # read back in the same transaction
