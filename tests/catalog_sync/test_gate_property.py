"""Whatever the feed contains, the gate holds: a product is listed exactly while it has a valid certificate.

Hypothesis writes feeds of well-formed and broken records (any status, stars out of range, dates
in the past, future or not dates at all, repeated and stale revisions, missing fields, things that
are not records) and applies them page by page as the sync does.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_sync.sync import apply_page
from marketplace.catalogue.models import ListingState, Product
from marketplace.catalogue.selectors import listed_products
from marketplace.certification.models import Certification
from marketplace.core.dates import local_today
from tests.catalog_sync.helpers import cert, day

JUNK = st.sampled_from([None, "", "7", -1, 3.5, [], {}, "2027-13-40", True])


@st.composite
def records(draw):
    index = draw(st.integers(0, 5))
    valid_from = draw(st.integers(-1200, 60))
    record = cert(
        f"C-{index}",
        revision=draw(st.integers(1, 4)),
        product_id=f"P-{draw(st.integers(0, 3))}",
        producer_id=f"S-{draw(st.integers(0, 2))}",
        stars=draw(st.integers(1, 5)),
        status=draw(st.sampled_from(["active", "active", "active", "expired", "revoked", "suspended", "superseded"])),
        valid_from=valid_from,
        valid_until=valid_from + draw(st.integers(-30, 1096)),
        minute=draw(st.integers(0, 50)),
    )
    if draw(st.booleans()):
        record["score"] = None
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(["stars", "status", "valid_until", "revision", "updated_at", "valid_from", "score"]))
        if draw(st.booleans()):
            record.pop(key, None)
        else:
            record[key] = draw(JUNK | st.integers(-3, 9))
    return record if draw(st.integers(0, 30)) else draw(JUNK)


def _gate_holds(today: datetime.date) -> None:
    for product in Product.objects.select_related("current_certification"):
        valid = [c for c in Certification.objects.filter(product=product) if c.is_valid_on(today)]
        if product.listing_state == ListingState.LISTED:
            current = product.current_certification
            assert current is not None and current.is_valid_on(today), product.registry_id
            assert 3 <= current.stars <= 5 and current.status == "active"
            assert current.valid_until >= today
        else:
            assert not valid, f"{product.registry_id} has a valid certificate but is {product.listing_state}"
    listed = set(listed_products(today=today).values_list("pk", flat=True))
    assert listed == set(Product.objects.filter(listing_state=ListingState.LISTED).values_list("pk", flat=True))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feed=st.lists(records(), min_size=1, max_size=24), page_size=st.integers(1, 8))
def test_no_feed_lists_a_product_without_a_valid_certificate(feed, page_size, settings):
    settings.OCOP_SYNC_IMAGES = False
    today = local_today()
    assert day(0) == today.isoformat()
    ordered = sorted(
        feed, key=lambda r: str(r.get("updated_at")) + str(r.get("certificate_id")) if isinstance(r, dict) else ""
    )
    with transaction.atomic():
        for start in range(0, len(ordered), page_size):
            apply_page(ordered[start : start + page_size])
            _gate_holds(today)
        transaction.set_rollback(True)
