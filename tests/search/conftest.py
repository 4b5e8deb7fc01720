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

# "es-standin": the Elasticsearch backend against tests/search/es_standin.py, which evaluates what the backend sends
# (no BM25, its own reading of each clause): the shared rules as the backend asks for them, not a cluster's answers.
BACKENDS = ["postgres", "elasticsearch", "es-standin"]


def _backend(name: str, request: pytest.FixtureRequest) -> SearchBackend:
    if name == "postgres":
        return PostgresBackend()
    if name == "es-standin":
        from search.backends.elasticsearch import ElasticsearchBackend
        from tests.search.es_standin import ElasticsearchStandIn

        stand_in = ElasticsearchStandIn()
        request.addfinalizer(stand_in.stop)
        return ElasticsearchBackend(url=stand_in.url, index_name="ocop-products-test-shared-suite", max_retries=0)
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to run the shared suite against")
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url=url, index_name="ocop-products-test-shared-suite")


@pytest.fixture(params=BACKENDS)
def backend(request, db) -> SearchBackend:
    """Each backend in turn, empty; Elasticsearch only when ELASTICSEARCH_URL names a cluster, and always on the
    stand-in."""
    found = _backend(request.param, request)
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
