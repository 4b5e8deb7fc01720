import base64
import datetime
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.catalogue.collection_services import collections_refresh_automatic
from marketplace.catalogue.models import Category, Collection, CollectionProduct, CollectionRule, Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.catalogue.tasks import refresh_automatic_collections_task
from tests.factories import delist, make_certification, make_outlet, make_product, make_stock, make_user, make_variant


def listed(*, stars: int = 4, certified_days_ago: int = 30, **fields) -> Product:
    product = make_product(**fields)
    make_certification(product, stars=stars, valid_from=timezone.localdate() - datetime.timedelta(certified_days_ago))
    make_stock(make_variant(product), make_outlet())
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    return product


def _collection(slug: str, products: list[Product], **fields) -> Collection:
    fields.setdefault("name", slug)
    fields.setdefault("is_published", True)
    collection = Collection.objects.create(slug=slug, **fields)
    for order, product in enumerate(products):
        CollectionProduct.objects.create(collection=collection, product=product, sort_order=order)
    return collection


def _gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def test_automatic_collections_follow_the_listed_catalogue(db):
    five_old = listed(stars=5, certified_days_ago=300, name="Bưởi")
    five_new = listed(stars=5, certified_days_ago=3, name="Cà phê")
    four = listed(stars=4, certified_days_ago=10, name="Điều")
    delisted_five = listed(stars=5, certified_days_ago=5, name="Mật ong")
    delist(delisted_five)
    manual = _collection("qua-tet", [four])

    first = collections_refresh_automatic()
    again = collections_refresh_automatic()

    assert first == again == {"5-sao-ocop": 2, "moi-trong-mua": 3}
    five_stars = Collection.objects.get(slug="5-sao-ocop")
    assert five_stars.rule == CollectionRule.FIVE_STARS and five_stars.is_published
    assert five_stars.name == "5 sao OCOP" and five_stars.name_en == "5-star OCOP"
    assert list(five_stars.collection_products.values_list("product_id", flat=True)) == [five_old.pk, five_new.pk]
    newest = Collection.objects.get(slug="moi-trong-mua")
    assert list(newest.collection_products.values_list("product_id", flat=True)) == [five_new.pk, four.pk, five_old.pk]
    assert list(manual.collection_products.values_list("product_id", flat=True)) == [four.pk]


def test_the_hourly_task_refreshes_the_automatic_collections(db):
    five = listed(stars=5)

    assert refresh_automatic_collections_task() == {"5-sao-ocop": 1, "moi-trong-mua": 1}
    assert list(Collection.objects.get(slug="5-sao-ocop").products.all()) == [five]


def test_automatic_collections_keep_what_staff_changed(db):
    listed(stars=5)
    collections_refresh_automatic()
    Collection.objects.filter(slug="5-sao-ocop").update(is_published=False, name="Năm sao")

    collections_refresh_automatic()

    five_stars = Collection.objects.get(slug="5-sao-ocop")
    assert (five_stars.is_published, five_stars.name) == (False, "Năm sao")


COLLECTION = """
query($slug: String!) {
  collection(slug: $slug, channel: "default-channel") {
    id name slug description seoTitle seoDescription channel backgroundImage { url }
    translation(languageCode: EN) { name description language { code } }
    products(first: 10) {
      totalCount
      edges { node { slug pricing { priceRange { start { gross { amount currency } } } } } }
    }
  }
}
"""


def test_collection_shows_only_listed_products_in_its_order(graphql):
    a, b, c = (listed(name=name) for name in ("A", "B", "C"))
    collection = _collection(
        "5-sao-ocop",
        [c, a, b],
        name="5 sao OCOP",
        name_en="5-star OCOP",
        description="Hạng cao nhất.",
        description_en="The highest rating.",
    )
    delist(a)

    data = graphql(COLLECTION, {"slug": "5-sao-ocop"})

    assert "errors" not in data
    found = data["data"]["collection"]
    assert found["id"] == _gid("Collection", collection.pk)
    assert (found["name"], found["slug"], found["seoTitle"], found["channel"]) == (
        "5 sao OCOP",
        "5-sao-ocop",
        "5 sao OCOP",
        "default-channel",
    )
    assert json.loads(found["description"]) == {"blocks": [{"type": "paragraph", "data": {"text": "Hạng cao nhất."}}]}
    assert found["seoDescription"] == "Hạng cao nhất."
    assert found["backgroundImage"] is None
    assert found["translation"]["name"] == "5-star OCOP"
    assert found["translation"]["language"] == {"code": "EN"}
    assert json.loads(found["translation"]["description"])["blocks"][0]["data"]["text"] == "The highest rating."
    products = found["products"]
    assert products["totalCount"] == 2
    assert [e["node"]["slug"] for e in products["edges"]] == [c.slug, b.slug]
    assert products["edges"][0]["node"]["pricing"]["priceRange"]["start"]["gross"] == {
        "amount": 100000.0,
        "currency": "VND",
    }


def test_collection_products_sort_and_filter(graphql):
    a, b, c = (listed(name=name, stars=stars) for name, stars in (("A", 5), ("B", 4), ("C", 5)))
    _collection("mix", [c, b, a])
    query = """
    query($sort: ProductOrder, $filter: ProductFilterInput) {
      collection(slug: "mix") { products(first: 10, sortBy: $sort, filter: $filter) { edges { node { slug } } } }
    }
    """

    by_name = graphql(query, {"sort": {"field": "NAME", "direction": "DESC"}})
    five = graphql(query, {"filter": {"attributes": [{"slug": "ocop-stars", "values": ["5"]}]}})

    assert [e["node"]["slug"] for e in by_name["data"]["collection"]["products"]["edges"]] == [c.slug, b.slug, a.slug]
    assert [e["node"]["slug"] for e in five["data"]["collection"]["products"]["edges"]] == [c.slug, a.slug]


def test_collections_list_published_ones_only(graphql):
    shown = _collection("moi-trong-mua", [], name="Mới trong mùa")
    _collection("an", [], name="An", is_published=False)
    _collection("5-sao-ocop", [], name="5 sao OCOP")

    data = graphql('{ collections(first: 10, channel: "default-channel") { totalCount edges { node { slug } } } }')
    hidden = graphql('{ collection(slug: "an") { id } }')
    by_id = graphql("query($id: ID!) { collection(id: $id) { slug } }", {"id": _gid("Collection", shown.pk)})
    wrong_id = graphql("query($id: ID!) { collection(id: $id) { slug } }", {"id": _gid("Product", shown.pk)})
    unknown_channel = graphql('{ collections(first: 1, channel: "nope") { totalCount } }')

    assert data["data"]["collections"]["totalCount"] == 2
    assert [e["node"]["slug"] for e in data["data"]["collections"]["edges"]] == ["5-sao-ocop", "moi-trong-mua"]
    assert hidden == {"data": {"collection": None}}
    assert by_id["data"]["collection"] == {"slug": "moi-trong-mua"}
    assert wrong_id["errors"][0]["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    assert unknown_channel["errors"][0]["extensions"]["exception"]["code"] == "NOT_FOUND"


def test_product_lists_its_published_collections(graphql):
    product = listed()
    _collection("b-collection", [product], name="B")
    _collection("a-collection", [product], name="A")
    _collection("hidden", [product], name="Hidden", is_published=False)

    data = graphql("query($s: String!) { product(slug: $s) { collections { slug name } } }", {"s": product.slug})

    assert data["data"]["product"]["collections"] == [
        {"slug": "a-collection", "name": "A"},
        {"slug": "b-collection", "name": "B"},
    ]


def test_category_translation(graphql):
    Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", name_en="Food", slug="thuc-pham")
    Category.objects.create(kind="group", scheme="2023", code="II", name="Đồ uống", slug="do-uong")

    food = graphql('{ category(slug: "thuc-pham") { translation(languageCode: EN) { name } } }')
    drinks = graphql('{ category(slug: "do-uong") { translation(languageCode: EN) { name } } }')

    assert food["data"]["category"]["translation"] == {"name": "Food"}
    assert drinks["data"]["category"]["translation"] == {"name": None}  # untranslated: the client shows "Đồ uống"


def test_collection_page_runs_a_constant_number_of_queries(graphql):
    query = """
    query($first: Int!) {
      collection(slug: "many") {
        products(first: $first) {
          edges { node { slug collections { slug } attributes { values { slug } }
            pricing { priceRange { start { gross { amount } } } } variants { quantityAvailable } } }
        }
      }
    }
    """
    collection = _collection("many", [])
    counts = {}
    for first in (1, 5):
        while collection.collection_products.count() < first:
            CollectionProduct.objects.create(collection=collection, product=listed())
        with CaptureQueriesContext(connection) as queries:
            data = graphql(query, {"first": first})
        assert len(data["data"]["collection"]["products"]["edges"]) == first
        counts[first] = len(queries)

    assert counts[1] == counts[5]


def test_operators_manage_collections_in_the_back_office(db):
    product = listed()
    collection = _collection("qua-tet", [product], name="Quà Tết")
    change = reverse("admin:catalogue_collection_change", args=[collection.pk])
    operator, producer_staff = Client(), Client()
    operator.force_login(make_user("operator"))
    producer_staff.force_login(make_user("producer_staff"))

    page = operator.get(change)

    assert page.status_code == 200
    assert product.name in page.content.decode()
    assert producer_staff.get(change).status_code in (302, 403, 404)
