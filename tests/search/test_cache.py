"""Cached searches: browsing without text reads only its page; an indexing, a delisting or a new day show at once."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.models import Product
from marketplace.catalogue.read_cache import SEARCH_INDEX, catalogue_version
from search.backends.base import SearchFilters, SearchQuery, SortField
from search.backends.postgres import PostgresBackend
from search.indexing import search_index_marked_products
from search.selectors import product_search
from tests.factories import delist

BROWSE = """
query($first: Int, $after: String, $filters: ProductSearchFilterInput) {
  productSearch(channel: "default-channel", first: $first, after: $after, filters: $filters) {
    totalCount
    facets { stars { value count } }
    edges { node { name } }
  }
}
"""


def browse(graphql, **variables) -> dict:
    data = graphql(BROWSE, variables)
    assert "errors" not in data, data["errors"]
    return data["data"]["productSearch"]


def test_browsing_counts_once_then_reads_only_the_page(graphql, catalogue):
    for n in range(5):
        catalogue(name=f"Mật ong rừng {n}", stars=5 if n < 2 else 4)
    search_index_marked_products()

    first = browse(graphql, first=2)
    with CaptureQueriesContext(connection) as queries:
        second = browse(graphql, first=2, after=_cursor(1))

    assert first["totalCount"] == second["totalCount"] == 5
    assert first["facets"] == second["facets"] == {"stars": [{"value": "5", "count": 2}, {"value": "4", "count": 3}]}
    assert [e["node"]["name"] for e in second["edges"]] == ["Mật ong rừng 2", "Mật ong rừng 3"]
    search_sql = [q["sql"] for q in queries if "search_productsearchentry" in q["sql"]]
    assert len(search_sql) == 1 and "GROUPING SETS" not in search_sql[0]


def test_indexing_and_delisting_show_at_once(graphql, catalogue, django_capture_on_commit_callbacks):
    products = [catalogue(name=f"Hạt điều {n}") for n in range(3)]
    search_index_marked_products()
    assert browse(graphql, first=10)["totalCount"] == 3

    with django_capture_on_commit_callbacks(execute=True):
        delist(products[0])
    shown = browse(graphql, first=10)
    assert [e["node"]["name"] for e in shown["edges"]] == ["Hạt điều 1", "Hạt điều 2"]  # the gate, at once
    assert shown["totalCount"] == 3  # the index's count, until the next indexing cycle

    search_index_marked_products()
    assert browse(graphql, first=10)["totalCount"] == 2


def test_a_new_day_searches_again(catalogue, monkeypatch):
    product = catalogue(name="Rượu đế Bàu Hàm")
    search_index_marked_products()
    query = SearchQuery(text="ruou", limit=10)
    assert product_search(query=query).product_ids == [product.pk]
    # Behind every signal's back: today's cached result still shows it …
    Product.objects.filter(pk=product.pk).update(listing_state="delisted")
    search_index_marked_products()
    assert product_search(query=query).total == 1
    # … tomorrow's key is another one.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    PostgresBackend().remove([product.pk])

    assert product_search(query=query).total == 0


@pytest.mark.parametrize(
    ("sort", "descending"),
    [(SortField.RELEVANCE, True), (SortField.PRICE, False), (SortField.STARS, True), (SortField.NEWEST, True)],
)
def test_the_page_alone_is_the_page_of_the_whole_search(catalogue, sort, descending):
    for n, (stars, price) in enumerate([(3, 90_000), (5, 40_000), (4, 40_000), (5, 120_000), (3, None)]):
        catalogue(name=f"Chuối sấy {n % 3} {n}", stars=stars, price=price)
    search_index_marked_products()
    backend = PostgresBackend()
    for filters in (SearchFilters(), SearchFilters(stars=(3, 5))):
        for offset in (0, 2):
            query = SearchQuery(filters=filters, sort=sort, descending=descending, offset=offset, limit=2)
            page = backend.search(replace(query, counts=False))
            assert page.product_ids == backend.search(query).product_ids
            assert page.total == -1


def _cursor(offset: int) -> str:
    from graphql_relay import offset_to_cursor

    return offset_to_cursor(offset)


def test_facets_are_counted_only_when_asked_for(graphql, catalogue):
    for n in range(3):
        catalogue(name=f"Nấm linh chi {n}", stars=5 if n else 3)
    search_index_marked_products()
    fragment = "fragment Counted on ProductSearchConnection { facets { stars { value count } } }"
    without = '{ productSearch(query: "nam", first: 2) { totalCount edges { node { name } } } }'
    spread = '{ productSearch(query: "nam linh", first: 2) { totalCount ...Counted } } ' + fragment

    with CaptureQueriesContext(connection) as queries:
        plain = graphql(without)["data"]["productSearch"]
    with_facets = graphql(spread)["data"]["productSearch"]

    assert plain["totalCount"] == 3
    # every name holds the words: more stars first, then the name
    assert [e["node"]["name"] for e in plain["edges"]] == ["Nấm linh chi 1", "Nấm linh chi 2"]
    assert not [q for q in queries if "GROUPING SETS" in q["sql"]]
    assert with_facets == {
        "totalCount": 3,
        "facets": {"stars": [{"value": "5", "count": 2}, {"value": "3", "count": 1}]},
    }


def test_indexing_bumps_the_search_version_not_the_counts_one(catalogue):
    catalogue(name="Tiêu đen Lộc Ninh")
    counts, results = catalogue_version(), catalogue_version(scope=SEARCH_INDEX)

    search_index_marked_products()

    assert catalogue_version() == counts
    assert catalogue_version(scope=SEARCH_INDEX) > results
