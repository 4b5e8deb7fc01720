import os
from collections.abc import Callable
from typing import Any

import pytest

from marketplace.catalogue.models import Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.services import channel_ensure_default
from search.backends.base import SearchBackend
from search.backends.postgres import PostgresBackend
from search.indexing import search_index_products
from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock, make_variant

BACKENDS = ["postgres", "elasticsearch"]


def _backend(name: str) -> SearchBackend:
    if name == "postgres":
        return PostgresBackend()
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to run the shared suite against")
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url=url, index_name="ocop-products-test-shared-suite")


@pytest.fixture(params=BACKENDS)
def backend(request, db) -> SearchBackend:
    """Each backend in turn, empty; Elasticsearch only when ELASTICSEARCH_URL names a cluster."""
    found = _backend(request.param)
    found.reset()
    yield found
    found.reset()


@pytest.fixture
def catalogue(db) -> Callable[..., Product]:
    """Make a listed product: `catalogue(name=..., stars=4, price=..., outlet=..., producer=..., **product)`."""
    channel_ensure_default()

    def make(
        *,
        stars: int = 4,
        price: int | None = 100_000,
        outlet=None,
        quantity: int = 5,
        producer=None,
        producer_fields: dict[str, Any] | None = None,
        **product_fields: Any,
    ) -> Product:
        product = make_product(producer or make_producer(**(producer_fields or {})), **product_fields)
        make_certification(product, stars=stars)
        variant = make_variant(product, price=price)
        if quantity:
            make_stock(variant, outlet or make_outlet(), quantity=quantity)
        products_refresh_listing(product_ids=[product.pk], trigger="staff")
        product.refresh_from_db()
        assert product.listing_state == "listed"
        return product

    return make


@pytest.fixture
def index(backend) -> Callable[..., None]:
    """Index these products into the backend under test, as the indexing task would."""

    def run(*products: Product) -> None:
        search_index_products(product_ids=[p.pk for p in products], backend=backend)

    return run
