"""Saleor's `sortBy` (every ProductOrderField) and `filter`/`where` of products, as the Saleor storefront sends them."""

import base64
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.models import Category, Collection, CollectionProduct, Product
from marketplace.catalogue.read_cache import catalogue_version_reset
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification
from marketplace.inventory.models import Stock
from search.indexing import search_index_marked_products
from storefront_api.product import resolvers
from tests.factories import make_certification, make_outlet, make_product, make_stock, make_variant

PRODUCTS = """
query($sortBy: ProductOrder, $filter: ProductFilterInput, $where: ProductWhereInput, $search: String,
      $first: Int = 10) {
  products(first: $first, channel: "default-channel", sortBy: $sortBy, filter: $filter, where: $where,
           search: $search) {
    totalCount
    edges { node { slug } }
  }
}
"""


def _gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _listed(*, stars: int = 4, score: str | None = None, prices: tuple[int, ...] = (100_000,), **fields) -> Product:
    product = make_product(**fields)
    make_certification(product, stars=stars, score=Decimal(score) if score else None)
    outlet = make_outlet()
    for price in prices:
        make_stock(make_variant(product, price=price), outlet)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "listed"
    return product


def _slugs(answer: dict) -> list[str]:
    assert "errors" not in answer, answer["errors"]
    return [edge["node"]["slug"] for edge in answer["data"]["products"]["edges"]]


@pytest.fixture
def three(db):
    """Three listed products whose every sort key differs, none in the order of their names."""
    jam = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    drink = Category.objects.create(kind="group", scheme="2023", code="II", name="Rượu bia", slug="ruou-bia")
    craft = Category.objects.create(kind="group", scheme="2023", code="V", name="Mỹ nghệ", slug="my-nghe")
    a = _listed(slug="a", name="A mứt", stars=3, prices=(90_000, 300_000), group=jam)
    b = _listed(slug="b", name="B rượu", stars=5, score="91.5", prices=(250_000,), group=drink)
    c = _listed(slug="c", name="C giỏ", stars=4, prices=(150_000,), group=craft)
    now = timezone.now()
    for product, created, updated, listed in ((a, 2, 1, 3), (b, 3, 2, 1), (c, 1, 3, 2)):
        Product.objects.filter(pk=product.pk).update(
            created_at=now - datetime.timedelta(days=10 * created),
            updated_at=now - datetime.timedelta(days=10 * updated),
            listing_changed_at=now - datetime.timedelta(days=10 * listed),
        )
    catalogue_version_reset()
    return a, b, c


@pytest.mark.parametrize(
    ("field", "ascending"),
    [
        ("NAME", "abc"),
        ("PRICE", "acb"),  # the lowest variant price: 90 000, 150 000, 250 000
        ("MINIMAL_PRICE", "acb"),
        ("RATING", "acb"),  # OCOP stars: 3, 4, 5
        ("TYPE", "cba"),  # OCOP group: Mỹ nghệ, Rượu bia, Thực phẩm
        ("CREATED_AT", "bac"),  # oldest first
        ("LAST_MODIFIED_AT", "cba"),
        ("LAST_MODIFIED", "cba"),
        ("DATE", "cba"),
        ("PUBLISHED_AT", "acb"),  # listed 30, 20, 10 days ago
        ("PUBLICATION_DATE", "acb"),
        ("PUBLISHED", "abc"),  # every product the storefront sees is listed: by name
        ("COLLECTION", "abc"),  # outside a collection: by name
    ],
)
def test_products_sort_by_every_field_both_ways(graphql, three, field, ascending):
    asc = _slugs(graphql(PRODUCTS, {"sortBy": {"field": field, "direction": "ASC"}}))
    desc = _slugs(graphql(PRODUCTS, {"sortBy": {"field": field, "direction": "DESC"}}))

    assert "".join(asc) == ascending
    assert desc == asc[::-1]


def test_rating_breaks_equal_stars_by_score_then_name(graphql, three):
    _listed(slug="d", name="D trà", stars=5, score="95")
    _listed(slug="e", name="E mật ong", stars=5)

    best_first = _slugs(graphql(PRODUCTS, {"sortBy": {"field": "RATING", "direction": "DESC"}}))

    assert best_first == ["d", "b", "e", "c", "a"]


def test_the_storefronts_search_sorts(graphql, three):
    """lib/search/saleor-provider.ts: relevance is RATING DESC, newest DATE DESC, prices MINIMAL_PRICE."""
    search_index_marked_products()

    def search(field: str, direction: str) -> str:
        # Every factory producer is in "Phường Tân Triều": the three match.
        sort_by = {"field": field, "direction": direction}
        return "".join(_slugs(graphql(PRODUCTS, {"search": "tan trieu", "sortBy": sort_by})))

    assert search("RATING", "DESC") == "bca"
    assert search("DATE", "DESC") == "abc"
    assert search("MINIMAL_PRICE", "ASC") == "acb"
    assert search("MINIMAL_PRICE", "DESC") == "bca"
    assert search("NAME", "ASC") == "abc"


def test_rank_needs_a_search_and_orders_best_first(graphql, db):
    _listed(slug="keo", name="Kẹo mật ong")
    _listed(slug="mat-ong", name="Mật ong")
    _listed(slug="ruou", name="Rượu")
    search_index_marked_products()

    refused = graphql(PRODUCTS, {"sortBy": {"field": "RANK", "direction": "DESC"}})
    best_first = _slugs(graphql(PRODUCTS, {"search": "mat ong", "sortBy": {"field": "RANK", "direction": "DESC"}}))
    worst_first = _slugs(graphql(PRODUCTS, {"search": "mat ong", "sortBy": {"field": "RANK", "direction": "ASC"}}))
    unsorted = _slugs(graphql(PRODUCTS, {"search": "mat ong"}))

    assert refused["data"] == {"products": None}
    assert refused["errors"][0]["message"] == "Sorting by RANK is available only when using a search filter."
    assert best_first[0] == "mat-ong" and set(best_first) == {"mat-ong", "keo"}
    assert worst_first == best_first[::-1]
    assert unsorted == best_first


def test_collection_products_in_the_collections_order(graphql, three):
    a, b, c = three
    collection = Collection.objects.create(slug="featured-products", name="Nổi bật", is_published=True)
    for order, product in ((2, a), (0, b), (1, c)):
        CollectionProduct.objects.create(collection=collection, product=product, sort_order=order)
    # As the storefront reads its featured products (lib/catalog/get-featured-products.ts).
    query = """query($sortBy: ProductOrder) { collection(slug: "featured-products", channel: "default-channel") {
      products(first: 10, sortBy: $sortBy) { edges { node { slug } } } } }"""

    def slugs(direction: str) -> list[str]:
        answer = graphql(query, {"sortBy": {"field": "COLLECTION", "direction": direction}})
        assert "errors" not in answer, answer["errors"]
        return [edge["node"]["slug"] for edge in answer["data"]["collection"]["products"]["edges"]]

    assert slugs("ASC") == ["b", "c", "a"]
    assert slugs("DESC") == ["a", "c", "b"]


def test_where_as_the_storefronts_listing_pages_send_it(graphql, three):
    """src/ui/components/plp/filter-utils.ts: category, price range and attribute facets, ANDed and ORed."""
    a, b, c = three
    jam, drink = a.group, b.group

    def where(condition: dict) -> list[str]:
        return _slugs(graphql(PRODUCTS, {"where": condition}))

    assert where({"category": {"oneOf": [_gid("Category", jam.pk), _gid("Category", drink.pk)]}}) == ["a", "b"]
    assert where({"category": {"eq": _gid("Category", drink.pk)}}) == ["b"]
    # A product matches when one of its variants is in range (a: 90 000 and 300 000).
    assert where({"price": {"range": {"gte": 200000}}}) == ["a", "b"]
    assert where({"price": {"range": {"gte": 100000, "lte": 200000}}}) == ["c"]
    assert where({"price": {"eq": 250000}}) == ["b"]
    assert where({"price": {"oneOf": [150000, "90000"]}}) == ["a", "c"]
    assert where({"minimalPrice": {"range": {"gte": 100000}}}) == ["b", "c"]
    stars = {"attributes": [{"slug": "ocop-stars", "values": ["5", "4"]}]}
    assert where({"AND": [{"price": {"range": {"lte": 200000}}}, stars]}) == ["c"]
    assert where({"OR": [{"category": {"eq": _gid("Category", jam.pk)}}, stars]}) == ["a", "b", "c"]
    assert where({"AND": [{"OR": [{"price": {"range": {"gte": 240000, "lte": 260000}}}, {"slug": {"eq": "c"}}]}]}) == [
        "b",
        "c",
    ]
    assert where({"name": {"oneOf": ["A mứt", "C giỏ"]}, "ids": [_gid("Product", c.pk)]}) == ["c"]


def test_where_price_as_a_literal_decimal(graphql, three):
    answer = graphql(
        '{ products(first: 5, where: {price: {range: {gte: 149999.5, lte: "150000"}}}) { edges { node { slug } } } }'
    )

    assert _slugs(answer) == ["c"]


def test_where_collection_counts_published_collections_only(graphql, three):
    a, b, _ = three
    shown = Collection.objects.create(slug="shown", name="Shown", is_published=True)
    hidden = Collection.objects.create(slug="hidden", name="Hidden", is_published=False)
    CollectionProduct.objects.create(collection=shown, product=a)
    CollectionProduct.objects.create(collection=hidden, product=b)
    ids = [_gid("Collection", shown.pk), _gid("Collection", hidden.pk)]

    assert _slugs(graphql(PRODUCTS, {"where": {"collection": {"oneOf": ids}}})) == ["a"]
    assert _slugs(graphql(PRODUCTS, {"filter": {"collections": ids}})) == ["a"]


def test_filter_price_as_the_storefront_sends_it(graphql, three):
    """filter-utils.ts buildFilterVariables: `price: {gte, lte}` in the channel's currency (đồng)."""
    a = three[0]

    assert _slugs(graphql(PRODUCTS, {"filter": {"price": {"gte": 100000, "lte": 200000}}})) == ["c"]
    assert _slugs(graphql(PRODUCTS, {"filter": {"price": {"gte": 200000}}})) == ["a", "b"]
    assert _slugs(graphql(PRODUCTS, {"filter": {"minimalPrice": {"lte": 150000}}})) == ["a", "c"]
    in_category = {"categories": [_gid("Category", a.group.pk)], "price": {"lte": 95000.0}}
    assert _slugs(graphql(PRODUCTS, {"filter": in_category})) == ["a"]


def test_where_and_category_products_together(graphql, three):
    query = """query($where: ProductWhereInput) { category(slug: "thuc-pham") {
      products(first: 10, channel: "default-channel", where: $where) { edges { node { slug } } } } }"""

    inside = graphql(query, {"where": {"price": {"range": {"lte": 100000}}}})
    outside = graphql(query, {"where": {"price": {"range": {"gte": 400000}}}})

    assert [e["node"]["slug"] for e in inside["data"]["category"]["products"]["edges"]] == ["a"]
    assert outside["data"]["category"]["products"]["edges"] == []


def test_filtered_sorted_page_runs_a_constant_number_of_queries(graphql, db):
    for n in range(30):
        _listed(slug=f"p-{n:02d}", name=f"Sản phẩm {n:02d}", stars=3 + n % 3, prices=(100_000 + n, 200_000))
    variables = {
        "where": {
            "AND": [{"price": {"range": {"gte": 1000}}}, {"OR": [{"name": {"eq": "x"}}, {"price": {"eq": 200000}}]}]
        },
        "sortBy": {"field": "RATING", "direction": "DESC"},
    }

    counts = {}
    for first in (3, 30):
        catalogue_version_reset()
        with CaptureQueriesContext(connection) as queries:
            assert len(_slugs(graphql(PRODUCTS, {**variables, "first": first}))) == first
        counts[first] = len(queries)

    assert counts[3] == counts[30]


def test_saleor_product_flags_in_filter_and_where(graphql, three):
    """Every product the storefront sees is published, visible and available; none is a gift card or preordered."""
    _, b, c = three
    Product.objects.filter(pk=c.pk).update(group=None)
    Stock.objects.filter(variant__product=b).update(quantity=0)
    catalogue_version_reset()
    day_ago = (timezone.now() - datetime.timedelta(days=15)).isoformat()

    def both(conditions: dict) -> list[str]:
        by_filter = _slugs(graphql(PRODUCTS, {"filter": conditions}))
        by_where = _slugs(graphql(PRODUCTS, {"where": conditions}))
        assert by_filter == by_where, conditions
        return by_filter

    assert both({"isPublished": True, "isVisibleInListing": True, "isAvailable": True}) == ["a", "b", "c"]
    assert both({"isPublished": False}) == both({"isAvailable": False}) == []
    assert both({"giftCard": True}) == both({"hasPreorderedVariants": True}) == []
    assert both({"giftCard": False, "hasPreorderedVariants": False}) == ["a", "b", "c"]
    assert both({"metadata": [{"key": "brand"}]}) == []
    assert both({"hasCategory": False}) == ["c"]
    assert both({"hasCategory": True}) == ["a", "b"]
    assert both({"stockAvailability": "OUT_OF_STOCK"}) == ["b"]
    assert both({"stockAvailability": "IN_STOCK"}) == ["a", "c"]
    assert both({"publishedFrom": day_ago}) == both({"availableFrom": day_ago}) == ["a", "c"]  # listed 30, 20 days ago
    assert _slugs(graphql(PRODUCTS, {"filter": {"updatedAt": {"gte": day_ago}}})) == ["a"]
    assert _slugs(graphql(PRODUCTS, {"where": {"updatedAt": {"range": {"lte": day_ago}}}})) == ["b", "c"]


PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $sortBy: ProductOrder, $filter: ProductFilterInput) {
  products(first: $first, after: $after, last: $last, before: $before, channel: "default-channel",
           sortBy: $sortBy, filter: $filter) {
    totalCount
    edges { node { slug } cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def _pages(graphql, sort_by: dict | None, **extra) -> list[dict]:
    """The `products` answers of five windows: first 2, the 2 after the second, the last 2, the one before the
    third, and the first 100."""
    answers = []
    for window in ({"first": 2}, {"first": 2, "after": "YXJyYXljb25uZWN0aW9uOjE="}, {"last": 2},
                   {"last": 1, "before": "YXJyYXljb25uZWN0aW9uOjI="}, {"first": 100}):  # fmt: skip
        answer = graphql(PAGE, {"sortBy": sort_by, **window, **extra})
        assert "errors" not in answer, answer["errors"]
        answers.append(answer["data"]["products"])
    return answers


@pytest.mark.parametrize(
    "sort_by", [None, {"field": "NAME", "direction": "ASC"}, {"field": "NAME", "direction": "DESC"}]
)
def test_every_listed_product_by_name_pages_as_any_filtered_list_does_and_keeps_the_gate(
    graphql, db, sort_by, monkeypatch
):
    """The plainest list (no filter, by name) is read by a statement compiled once; a filter that keeps every
    product (`isPublished: true`) takes the general path. Both answer the same pages, and neither shows a product
    whose certificate ran out yesterday though the daily task has not delisted it yet."""
    for letter in "edcba":
        _listed(slug=letter, name=f"{letter.upper()} sản phẩm")
    lapsed = _listed(slug="f", name="F hết hạn")
    lapsed.current_certification.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    lapsed.current_certification.save(update_fields=["valid_until"])
    catalogue_version_reset()

    statement_pages = []
    by_name = resolvers.listed_products_by_name
    monkeypatch.setattr(resolvers, "listed_products_by_name", lambda **kw: statement_pages.append(kw) or by_name(**kw))
    plain, filtered = _pages(graphql, sort_by), _pages(graphql, sort_by, filter={"isPublished": True})

    assert len(statement_pages) == 5  # the plain pages, not the filtered ones

    assert plain == filtered
    every = [edge["node"]["slug"] for edge in plain[-1]["edges"]]
    assert "".join(every) == ("edcba" if (sort_by or {}).get("direction") == "DESC" else "abcde")
    assert [page["totalCount"] for page in plain] == [5] * 5
    assert [edge["node"]["slug"] for edge in plain[1]["edges"]] == every[2:4]  # after the second
    assert plain[1]["pageInfo"]["hasPreviousPage"] and plain[1]["pageInfo"]["hasNextPage"]
    assert [edge["node"]["slug"] for edge in plain[2]["edges"]] == every[3:]


@pytest.mark.parametrize("direction", [None, "DESC", "ASC"])
def test_a_search_alone_pages_by_rank_as_any_filtered_search_does_and_keeps_the_gate(
    graphql, db, direction, monkeypatch
):
    """A search with no other filter, by rank, is paged from the engine's ranked ids passed through the gate (two
    statements); with a filter that keeps every product (`isPublished: true`) it takes the general path. Both
    answer the same pages, and neither shows a product still in the index whose certificate ran out yesterday."""
    for slug, name in (("a", "Mật ong rừng"), ("b", "Mật ong hoa cà phê"), ("c", "Kẹo mật ong"), ("d", "Mật ong")):
        _listed(slug=slug, name=name)
    _listed(slug="e", name="Cà phê")  # not a match
    lapsed = _listed(slug="f", name="Mật ong hết hạn")
    search_index_marked_products()
    Certification.objects.filter(pk=lapsed.current_certification_id).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    catalogue_version_reset()
    sort_by = {"field": "RANK", "direction": direction} if direction else None

    ranked_pages = []
    in_order = resolvers.listed_products_in_order
    monkeypatch.setattr(resolvers, "listed_products_in_order", lambda **kw: ranked_pages.append(kw) or in_order(**kw))
    fast = _pages(graphql, sort_by, filter={"search": "mat ong"})
    general = _pages(graphql, sort_by, filter={"search": "mat ong", "isPublished": True})

    assert len(ranked_pages) == 5  # the pages of the search alone, not the filtered ones
    assert fast == general
    every = [edge["node"]["slug"] for edge in fast[-1]["edges"]]
    assert sorted(every) == ["a", "b", "c", "d"] and "f" not in every
    assert [page["totalCount"] for page in fast] == [4] * 5
    assert every[0 if direction != "ASC" else -1] == "d"  # the exact name first, best first
