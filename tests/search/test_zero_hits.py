"""A search that matches nothing answers an empty page with a total of 0, through every way in: Saleor's
`products(search:)` and `products(filter: {search:})`, the `productSearch` extension and the catalogue page;
with PostgreSQL and with Elasticsearch (the stand-in at the network edge)."""

from collections.abc import Iterator

import pytest
from django.test import Client

from search.indexing import search_index_marked_products
from tests.search.es_standin import ElasticsearchStandIn

PRODUCTS = """
query($search: String, $filterSearch: String) {
  products(search: $search, filter: {search: $filterSearch}, channel: "default-channel", first: 20) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { id } }
  }
}
"""

PRODUCT_SEARCH = """
query($query: String) {
  productSearch(query: $query, channel: "default-channel", first: 20) {
    totalCount
    edges { node { id } }
  }
}
"""


@pytest.fixture(params=["postgres", "elasticsearch"])
def search_backend(request, settings) -> Iterator[str]:
    """The backend the API and the pages use: PostgreSQL, or Elasticsearch (a stand-in cluster)."""
    if request.param == "postgres":
        settings.ELASTICSEARCH_URL = ""
        yield request.param
        return
    standin = ElasticsearchStandIn()
    settings.ELASTICSEARCH_URL = standin.url
    settings.ELASTICSEARCH_INDEX = "ocop-products-test-zero-hits"
    try:
        yield request.param
    finally:
        standin.stop()


@pytest.fixture
def indexed_honey(search_backend, catalogue):
    """One listed, indexed product, so that the index exists and a hit would be possible."""
    product = catalogue(name="Mật ong rừng Mã Đà")
    search_index_marked_products()
    return product


@pytest.mark.parametrize("argument", ["search", "filterSearch"])
def test_products_search_without_a_match_is_an_empty_page(graphql, indexed_honey, argument):
    answer = graphql(PRODUCTS, {argument: "zzzz"})

    assert "errors" not in answer, answer["errors"]
    assert answer["data"]["products"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
        "edges": [],
    }


def test_products_search_with_a_match_still_finds_it(graphql, indexed_honey):
    answer = graphql(PRODUCTS, {"search": "mat ong"})

    assert answer["data"]["products"]["totalCount"] == 1


def test_product_search_without_a_match_is_an_empty_page(graphql, indexed_honey):
    answer = graphql(PRODUCT_SEARCH, {"query": "zzzz"})

    assert "errors" not in answer, answer["errors"]
    assert answer["data"]["productSearch"] == {"totalCount": 0, "edges": []}


def test_catalogue_page_without_a_match_says_so(indexed_honey):
    response = Client().get("/products/", {"q": "zzzz"})

    assert response.status_code == 200
    assert response.context["page"].total == 0
    assert response.context["page"].cards == []
    assert "Mật ong rừng Mã Đà" not in response.content.decode()
