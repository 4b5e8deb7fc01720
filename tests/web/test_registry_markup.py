"""Registry text reaches the pages as text: the sync strips markup from a record's text on the way in, and
the templates escape whatever is left."""

from __future__ import annotations

from django.test import Client

from catalog_sync.sync import run_sync
from marketplace.catalogue.models import Product
from search.indexing import search_index_products
from tests.catalog_sync.helpers import cert

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_from_the_registry_is_shown_as_text(db, registry_sim):
    record = cert(product_name=f"Bưởi {MARKUP}")
    record["product"]["description"] = f"Ngọt {MARKUP}"
    record["producer"]["name"] = f"HTX {MARKUP}"
    registry_sim([record])
    run_sync(trigger="test")
    product = Product.objects.get(registry_id="DNP-0001")
    assert product.listing_state == "listed"
    assert "<" not in product.name and "<" not in product.description and "<" not in product.producer.name

    search_index_products(product_ids=[product.pk])

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    for path in (f"/p/{product.slug}/", "/products/?q=buoi", f"/verify/{record['certificate_id']}/"):
        page = client.get(path).content.decode()
        assert "onerror=alert(1)>" not in page, path
        assert '<script>alert("x")' not in page, path
        assert product.name in page, path
