"""`productSearch` (the OCOP extension) and Saleor's `products(search:)`, both backed by the search index."""

import base64

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Category
from marketplace.catalogue.read_cache import catalogue_version_reset
from search.indexing import search_index_marked_products
from tests.factories import delist, make_outlet
from tests.storefront_api.test_products import EVERY_PRODUCT_FIELD

SEARCH = """
query Search($query: String, $filters: ProductSearchFilterInput, $sortBy: ProductSearchSortingInput,
             $first: Int, $after: String) {
  productSearch(channel: "default-channel", query: $query, filters: $filters, sortBy: $sortBy,
                first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    facets {
      stars { value label count }
      group { value label count }
      commune { value label count }
      district { value label count }
      producerKind { value label count }
      outlet { value label count }
    }
    edges { cursor node { name slug } }
  }
}
"""

SEARCH_EVERY_FIELD = (
    """
query($first: Int) {
  productSearch(query: "mut", first: $first) {
    totalCount
    facets { stars { value count } outlet { value label count } }
    edges { node { ...EveryField } }
  }
}
"""
    + EVERY_PRODUCT_FIELD
)

PRODUCTS_SEARCH = """
query($search: String, $filterSearch: String, $sortBy: ProductOrder) {
  products(first: 10, channel: "default-channel", search: $search, filter: {search: $filterSearch}, sortBy: $sortBy) {
    totalCount
    edges { node { name } }
  }
}
"""


def _id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def names(data: dict, field: str = "productSearch") -> list[str]:
    assert "errors" not in data, data["errors"]
    return [edge["node"]["name"] for edge in data["data"][field]["edges"]]


def test_product_search_ranks_filters_and_counts(graphql, catalogue):
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    showroom = make_outlet(name="Showroom OCOP Biên Hòa")
    catalogue(name="Hạt điều rang muối", stars=5, price=200_000, group=group, outlet=showroom)
    catalogue(name="Hạt điều", stars=4, price=150_000, producer_fields={"kind": "household"})
    catalogue(name="Bánh hạt điều", stars=3, price=90_000, group=group)
    catalogue(name="Cà phê", stars=4)
    search_index_marked_products()

    everything = graphql(SEARCH, {"query": "hat dieu"})
    filtered = graphql(SEARCH, {"query": "hạt điều", "filters": {"stars": [5, 3], "price": {"gte": 100_000}}})
    in_showroom = graphql(SEARCH, {"query": "dieu", "filters": {"outlets": [_id("Warehouse", showroom.pk)]}})
    by_price = graphql(SEARCH, {"query": "dieu", "sortBy": {"field": "PRICE", "direction": "ASC"}})
    households = graphql(SEARCH, {"query": "dieu", "filters": {"producerKinds": ["HOUSEHOLD"]}})
    in_group = graphql(SEARCH, {"query": "dieu", "filters": {"groups": [_id("Category", group.pk)]}})

    assert names(everything)[0] == "Hạt điều"  # the exact name first
    assert sorted(names(everything)) == ["Bánh hạt điều", "Hạt điều", "Hạt điều rang muối"]
    result = everything["data"]["productSearch"]
    assert result["totalCount"] == 3
    assert result["facets"]["stars"] == [
        {"value": "5", "label": "5★", "count": 1},
        {"value": "4", "label": "4★", "count": 1},
        {"value": "3", "label": "3★", "count": 1},
    ]
    assert result["facets"]["group"] == [{"value": _id("Category", group.pk), "label": "Thực phẩm", "count": 2}]
    assert {"value": _id("Warehouse", showroom.pk), "label": "Showroom OCOP Biên Hòa", "count": 1} in result["facets"][
        "outlet"
    ]
    assert {f["value"]: f["count"] for f in result["facets"]["producerKind"]} == {"cooperative": 2, "household": 1}
    assert names(filtered) == ["Hạt điều rang muối"]
    assert filtered["data"]["productSearch"]["facets"]["stars"][1] == {"value": "4", "label": "4★", "count": 1}
    assert names(in_showroom) == ["Hạt điều rang muối"]
    assert names(by_price) == ["Bánh hạt điều", "Hạt điều", "Hạt điều rang muối"]
    assert names(households) == ["Hạt điều"]
    assert sorted(names(in_group)) == ["Bánh hạt điều", "Hạt điều rang muối"]


def test_product_search_pages_and_hides_delisted_products_at_once(
    graphql, catalogue, django_capture_on_commit_callbacks
):
    products = [catalogue(name=f"Khô gà lá chanh {n}") for n in range(6)]
    search_index_marked_products()
    with django_capture_on_commit_callbacks(execute=True):
        delist(products[4])  # marked, but still in the index until the next indexing cycle

    first = graphql(SEARCH, {"query": "kho ga", "first": 2})["data"]["productSearch"]
    rest = graphql(SEARCH, {"query": "kho ga", "first": 10, "after": first["pageInfo"]["endCursor"]})

    assert [e["node"]["name"] for e in first["edges"]] == ["Khô gà lá chanh 0", "Khô gà lá chanh 1"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert names(rest) == ["Khô gà lá chanh 2", "Khô gà lá chanh 3", "Khô gà lá chanh 5"]
    assert rest["data"]["productSearch"]["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["data"]["productSearch"]["edges"][-1]["cursor"],
    }
    # The count follows the index: right again once the delisting's mark is worked off.
    assert first["totalCount"] == 6
    search_index_marked_products()
    assert graphql(SEARCH, {"query": "kho ga", "first": 2})["data"]["productSearch"]["totalCount"] == 5


def test_product_search_bounds_its_page_and_checks_ids(graphql, catalogue):
    too_many = graphql(SEARCH, {"query": "x", "first": 101})
    wrong_id = graphql(SEARCH, {"query": "x", "filters": {"groups": [_id("Product", 1)]}})

    assert too_many["data"]["productSearch"] is None
    assert too_many["errors"][0]["extensions"]["exception"]["code"] == "INVALID"
    assert wrong_id["errors"][0]["message"] == "Must receive a Category id."


def test_product_search_runs_a_constant_number_of_queries(graphql, catalogue):
    for n in range(30):
        catalogue(name=f"Mứt mãng cầu {n:02d}", price=50_000 + n)
    search_index_marked_products()

    counts = {}
    for first in (3, 30):
        catalogue_version_reset()  # the total is counted, not taken from the cache of the first page
        with CaptureQueriesContext(connection) as queries:
            data = graphql(SEARCH_EVERY_FIELD, {"first": first})
        assert "errors" not in data, data["errors"]
        assert len(data["data"]["productSearch"]["edges"]) == first
        assert data["data"]["productSearch"]["totalCount"] == 30
        counts[first] = len(queries)

    # channel, typo corrections, search with facets, gate check, page, then the product loaders
    assert counts[3] == counts[30] <= 14


def test_products_search_argument_uses_the_index(graphql, catalogue):
    catalogue(name="Bưởi da xanh")
    catalogue(name="Bưởi Tân Triều")
    catalogue(name="Rượu bưởi", price=300_000)
    hidden = catalogue(name="Bưởi đường lá cam")
    search_index_marked_products()
    delist(hidden)  # still in the index

    ranked = graphql(PRODUCTS_SEARCH, {"search": "buoi tan trieu"})
    by_filter = graphql(PRODUCTS_SEARCH, {"filterSearch": "BUOI"})
    by_price = graphql(PRODUCTS_SEARCH, {"search": "buoi", "sortBy": {"field": "PRICE", "direction": "DESC"}})

    # Every factory producer is in "Phường Tân Triều", so all three match; the name ranks first.
    assert names(ranked, "products")[0] == "Bưởi Tân Triều"
    assert len(names(ranked, "products")) == 3
    assert sorted(names(by_filter, "products")) == ["Bưởi Tân Triều", "Bưởi da xanh", "Rượu bưởi"]
    assert by_filter["data"]["products"]["totalCount"] == 3
    assert names(by_price, "products")[0] == "Rượu bưởi"


def test_products_search_orders_by_rank(graphql, catalogue):
    catalogue(name="Mật ong hoa cà phê")
    catalogue(name="Mật ong")
    catalogue(name="Kẹo mật ong")
    search_index_marked_products()

    assert names(graphql(PRODUCTS_SEARCH, {"search": "mat ong"}), "products")[0] == "Mật ong"


def test_products_search_page_runs_a_constant_number_of_queries(graphql, catalogue):
    for n in range(30):
        catalogue(name=f"Mứt mãng cầu {n:02d}")
    search_index_marked_products()
    query = (
        """query($first: Int!) { products(first: $first, search: "mut mang cau") {
        totalCount edges { node { ...EveryField } } } }"""
        + EVERY_PRODUCT_FIELD
    )

    counts = {}
    for first in (3, 30):
        catalogue_version_reset()  # the total is counted, not taken from the cache of the first page
        with CaptureQueriesContext(connection) as queries:
            data = graphql(query, {"first": first})
        assert "errors" not in data, data["errors"]
        assert len(data["data"]["products"]["edges"]) == first
        counts[first] = len(queries)

    # the products page's queries, plus the search's (typo corrections, ranked ids)
    assert counts[3] == counts[30] <= 12


CORRECTED = """
query($query: String) {
  productSearch(channel: "default-channel", query: $query) {
    totalCount corrected correctedQuery edges { node { name } }
  }
}
"""


def test_product_search_says_when_it_shows_similar_names_instead_of_matches(graphql, catalogue):
    catalogue(name="Hạt điều rang muối")
    catalogue(name="Hạt tiêu đen")
    search_index_marked_products()

    exact = graphql(CORRECTED, {"query": "hạt tiêu"})["data"]["productSearch"]
    typo = graphql(CORRECTED, {"query": "hat deiu"})["data"]["productSearch"]
    nothing = graphql(CORRECTED, {"query": "mật ong"})["data"]["productSearch"]

    assert (exact["corrected"], exact["correctedQuery"], exact["totalCount"]) == (False, None, 1)
    assert (typo["corrected"], typo["correctedQuery"]) == (True, "hat dieu")
    assert [edge["node"]["name"] for edge in typo["edges"]] == ["Hạt điều rang muối"]
    assert (nothing["corrected"], nothing["totalCount"], nothing["edges"]) == (False, 0, [])
