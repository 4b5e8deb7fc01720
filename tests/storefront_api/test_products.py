import base64
import datetime
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql import GraphQLError

from marketplace.catalogue.models import Category, ListingState, ProductMedia
from marketplace.catalogue.read_cache import catalogue_version_reset
from storefront_api.core.views import StorefrontGraphQLView
from tests.factories import delist, listed_product, make_certification, make_outlet, make_stock, make_variant

# As saleor/storefront sends them (product list and product page), unchanged.
SALEOR_PRODUCT_LIST = """
query ProductList($first: Int = 9, $after: String, $channel: String!) {
  products(first: $first, after: $after, channel: $channel) {
    totalCount
    edges {
      node {
        ...ProductListItem
      }
      cursor
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}

fragment ProductListItem on Product {
  id
  name
  slug
  pricing {
    priceRange {
      start { gross { amount currency } }
      stop { gross { amount currency } }
    }
  }
  category { id name }
  thumbnail(size: 1024, format: WEBP) { url alt }
}
"""

SALEOR_PRODUCT_DETAILS = """
query ProductDetails($slug: String!, $channel: String!) {
  product(slug: $slug, channel: $channel) {
    id
    name
    slug
    description
    seoTitle
    seoDescription
    thumbnail(size: 1024, format: WEBP) { url alt }
    category { id name }
    variants {
      id
      name
      quantityAvailable
      pricing { price { gross { currency amount } } }
    }
    pricing {
      priceRange {
        start { gross { amount currency } }
      }
    }
  }
}
"""

EVERY_PRODUCT_FIELD = """
fragment EveryField on Product {
  id name slug description seoTitle seoDescription created updatedAt
  category { id name slug }
  thumbnail(size: 256) { url alt }
  media { url alt }
  isAvailable isAvailableForPurchase
  pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
  variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } }
  productType { name }
  translation(languageCode: EN) { name description }
  certification {
    certificateId stars score councilLevel decisionNumber decisionDate issuer validFrom validUntil status
  }
  certificationHistory { certificateId validUntil }
  producer {
    id name kind phone
    address { line commune district province communeToday provinceToday }
  }
  provenanceUrl
}
"""

PRODUCT_LIST = (
    """
query Everything($first: Int!) {
  products(first: $first, channel: "default-channel") {
    totalCount
    edges { cursor node { ...EveryField } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + EVERY_PRODUCT_FIELD
)

PRODUCT_PAGE = "query($slug: String!) { product(slug: $slug) { ...EveryField } }" + EVERY_PRODUCT_FIELD


def _decode(global_id: str) -> str:
    return base64.b64decode(global_id).decode()


def test_saleor_product_list_works_unchanged(graphql):
    category = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    cheap = listed_product(name="Bưởi Tân Triều", price=45_000, category=category)
    variant = make_variant(cheap, price=90_000)
    make_stock(variant, make_outlet())

    data = graphql(SALEOR_PRODUCT_LIST, {"channel": "default-channel"})

    assert "errors" not in data
    products = data["data"]["products"]
    assert products["totalCount"] == 1
    node = products["edges"][0]["node"]
    assert node["name"] == "Bưởi Tân Triều"
    assert _decode(node["id"]) == f"Product:{cheap.pk}"
    assert node["category"] == {
        "id": base64.b64encode(f"Category:{category.pk}".encode()).decode(),
        "name": "Thực phẩm",
    }
    assert node["pricing"]["priceRange"] == {
        "start": {"gross": {"amount": 45000.0, "currency": "VND"}},
        "stop": {"gross": {"amount": 90000.0, "currency": "VND"}},
    }
    assert node["thumbnail"] is None
    assert products["pageInfo"] == {"endCursor": products["edges"][0]["cursor"], "hasNextPage": False}


def test_saleor_product_page_works_unchanged(graphql):
    product = listed_product(
        name="Hạt điều rang muối", seller_description="Hạt điều Bình Phước.\n\nRang củi, không phẩm màu.", quantity=7
    )
    variant = product.variants.get()
    variant.stocks.update(quantity_allocated=2)
    make_stock(variant, make_outlet(), quantity=4, quantity_allocated=1)

    data = graphql(SALEOR_PRODUCT_DETAILS, {"slug": product.slug, "channel": "default-channel"})

    assert "errors" not in data
    found = data["data"]["product"]
    assert json.loads(found["description"]) == {
        "blocks": [
            {"type": "paragraph", "data": {"text": "Hạt điều Bình Phước."}},
            {"type": "paragraph", "data": {"text": "Rang củi, không phẩm màu."}},
        ]
    }
    assert found["seoTitle"] == "Hạt điều rang muối"
    assert found["seoDescription"] == "Hạt điều Bình Phước. Rang củi, không phẩm màu."
    assert found["variants"] == [
        {
            "id": base64.b64encode(f"ProductVariant:{variant.pk}".encode()).decode(),
            "name": variant.name,
            "quantityAvailable": (7 - 2) + (4 - 1),
            "pricing": {"price": {"gross": {"currency": "VND", "amount": 120000.0}}},
        }
    ]


def test_delisted_product_is_absent_and_null(graphql):
    shown = listed_product()
    hidden = listed_product()
    delist(hidden)
    hidden_id = base64.b64encode(f"Product:{hidden.pk}".encode()).decode()

    listing = graphql("{ products(first: 10) { totalCount edges { node { slug } } } }")
    by_slug = graphql("query($s: String!) { product(slug: $s) { id } }", {"s": hidden.slug})
    by_id = graphql("query($id: ID!) { product(id: $id) { id } }", {"id": hidden_id})

    assert [e["node"]["slug"] for e in listing["data"]["products"]["edges"]] == [shown.slug]
    assert listing["data"]["products"]["totalCount"] == 1
    assert by_slug == {"data": {"product": None}}
    assert by_id == {"data": {"product": None}}


def test_certificate_expiring_yesterday_hides_the_product_before_the_daily_task(graphql):
    product = listed_product()
    certification = product.current_certification
    certification.valid_until = datetime.date.today() - datetime.timedelta(days=1)
    certification.save()
    product.refresh_from_db()
    assert product.listing_state == ListingState.LISTED  # the daily task has not run yet

    listing = graphql("{ products(first: 10) { totalCount } }")
    single = graphql("query($s: String!) { product(slug: $s) { id } }", {"s": product.slug})

    assert listing["data"]["products"]["totalCount"] == 0
    assert single["data"]["product"] is None


def test_global_ids_round_trip(graphql):
    product = listed_product()
    listing = graphql("{ products(first: 1) { edges { node { id slug } } } }")
    global_id = listing["data"]["products"]["edges"][0]["node"]["id"]

    found = graphql("query($id: ID!) { product(id: $id) { id slug } }", {"id": global_id})

    assert _decode(global_id) == f"Product:{product.pk}"
    assert found["data"]["product"] == {"id": global_id, "slug": product.slug}


def test_page_size_is_bounded_and_required(graphql):
    too_many = graphql("{ products(first: 101) { edges { node { id } } } }")
    none = graphql("{ products { edges { node { id } } } }")
    both = graphql("{ products(first: 1, last: 1) { edges { node { id } } } }")

    assert too_many["data"]["products"] is None
    assert too_many["errors"][0]["message"] == (
        "Requesting 101 records on the `products` connection exceeds the `first` limit of 100 records."
    )
    assert too_many["errors"][0]["extensions"]["exception"]["code"] == "INVALID"
    assert none["errors"][0]["extensions"]["exception"]["code"] == "REQUIRED"
    assert both["errors"][0]["extensions"]["field"] == "last"


def test_paging_forward_and_backward(graphql):
    slugs = [listed_product(name=f"Sản phẩm {letter}").slug for letter in "ABCDE"]
    query = """
    query($first: Int, $after: String, $last: Int, $before: String) {
      products(first: $first, after: $after, last: $last, before: $before) {
        edges { node { slug } cursor }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
    """
    first = graphql(query, {"first": 2})["data"]["products"]
    second = graphql(query, {"first": 2, "after": first["pageInfo"]["endCursor"]})["data"]["products"]
    tail = graphql(query, {"last": 2})["data"]["products"]
    before = graphql(query, {"last": 1, "before": second["pageInfo"]["startCursor"]})["data"]["products"]

    assert [e["node"]["slug"] for e in first["edges"]] == slugs[:2]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert [e["node"]["slug"] for e in second["edges"]] == slugs[2:4]
    assert second["pageInfo"]["hasPreviousPage"]
    assert [e["node"]["slug"] for e in tail["edges"]] == slugs[3:]
    assert [e["node"]["slug"] for e in before["edges"]] == slugs[1:2]


def test_malformed_query_and_wrong_ids_are_graphql_errors(graphql):
    category = Category.objects.create(kind="group", scheme="2023", code="II", name="Đồ uống", slug="do-uong")
    category_id = base64.b64encode(f"Category:{category.pk}".encode()).decode()

    malformed = graphql("{ products(first: 1) { edges { node { id }", status=400)
    unknown_field = graphql("{ products(first: 1) { edges { node { nope } } } }", status=400)
    garbage = graphql('{ product(id: "not-an-id") { id } }')
    wrong_type = graphql("query($id: ID!) { product(id: $id) { id } }", {"id": category_id})
    huge = graphql(
        "query($id: ID!) { product(id: $id) { id } }",
        {"id": base64.b64encode(b"Product:99999999999999999999").decode()},
    )
    bad_cursor = graphql('{ products(first: 1, after: "zzz") { totalCount } }')

    assert malformed["errors"][0]["message"].startswith("Syntax Error")
    assert "nope" in unknown_field["errors"][0]["message"]
    assert garbage["data"] == {"product": None}
    assert garbage["errors"][0]["message"] == "Couldn't resolve id: not-an-id."
    assert wrong_type["errors"][0]["message"] == "Must receive a Product id."
    assert huge["errors"][0]["extensions"]["field"] == "id"
    assert bad_cursor["errors"][0]["message"] == "Received cursor is invalid."


def test_unknown_channel(graphql):
    product = listed_product()
    listing = graphql('{ products(first: 1, channel: "nowhere") { totalCount } }')
    single = graphql('query($s: String!) { product(slug: $s, channel: "nowhere") { id } }', {"s": product.slug})

    assert listing["data"]["products"] is None
    assert listing["errors"][0]["extensions"]["exception"]["code"] == "NOT_FOUND"
    assert listing["errors"][0]["message"] == "Channel with 'nowhere' slug does not exist."
    assert single == {"data": {"product": None}}


def test_query_depth_is_bounded(graphql):
    deep = "{ products(first: 1) { edges { node { category { " + "parent { " * 12 + "name" + " }" * 16 + " }"
    data = graphql(deep, status=400)
    assert "exceeds maximum operation depth" in data["errors"][0]["message"]


def test_get_serves_graphiql_only_with_debug(client, db, settings):
    html = {"HTTP_ACCEPT": "text/html"}
    assert client.get("/graphql/", {"query": "{ shop { name } }"}).status_code == 405
    assert client.get("/graphql/", **html).status_code == 405
    settings.DEBUG = True
    assert client.get("/graphql/", {"query": "{ shop { name } }"}).status_code == 405
    page = client.get("/graphql/", **html)
    assert page.status_code == 200
    assert b"graphiql" in page.content.lower()


def test_english_translation(graphql):
    product = listed_product(
        name="Bưởi Tân Triều", name_en="Tan Trieu pomelo", seller_description_en="Sweet pomelo from the river."
    )
    untranslated = listed_product()
    query = """query($s: String!) { product(slug: $s) {
        translation(languageCode: EN) { name description language { code language } } } }"""

    translated = graphql(query, {"s": product.slug})["data"]["product"]["translation"]
    missing = graphql(query, {"s": untranslated.slug})["data"]["product"]["translation"]

    assert translated["name"] == "Tan Trieu pomelo"
    assert json.loads(translated["description"])["blocks"][0]["data"]["text"] == "Sweet pomelo from the river."
    assert translated["language"] == {"code": "EN", "language": "English"}
    assert missing["name"] is None and missing["description"] is None  # untranslated: the client shows Vietnamese


def test_certification_and_history(graphql):
    product = listed_product()
    current = product.current_certification
    older = make_certification(
        product,
        stars=3,
        valid_from=current.valid_from - datetime.timedelta(days=3 * 365),
        status="superseded",
    )
    query = """query($s: String!) { product(slug: $s) {
        certification {
          certificateId stars score councilLevel decisionNumber decisionDate issuer validFrom validUntil status
          isValidToday
        }
        certificationHistory { certificateId stars status isValidToday }
        producer { name kind address { commune communeToday provinceToday } }
        provenanceUrl
    } }"""

    found = graphql(query, {"s": product.slug})["data"]["product"]

    assert found["certification"] == {
        "certificateId": current.certificate_id,
        "stars": 4,
        "score": None,
        "councilLevel": "PROVINCE",
        "decisionNumber": current.decision_number,
        "decisionDate": current.decision_date.isoformat(),
        "issuer": "UBND tỉnh Đồng Nai",
        "validFrom": current.valid_from.isoformat(),
        "validUntil": current.valid_until.isoformat(),
        "status": "ACTIVE",
        "isValidToday": True,
    }
    assert found["certificationHistory"] == [
        {"certificateId": current.certificate_id, "stars": 4, "status": "ACTIVE", "isValidToday": True},
        {"certificateId": older.certificate_id, "stars": 3, "status": "SUPERSEDED", "isValidToday": False},
    ]
    assert found["producer"]["kind"] == "COOPERATIVE"
    assert found["producer"]["address"] == {
        "commune": "Xã Tân Bình",
        "communeToday": "Phường Tân Triều",
        "provinceToday": "Tỉnh Đồng Nai",
    }
    assert found["provenanceUrl"] == f"http://testserver/p/{product.slug}/"


def test_media_urls_are_absolute_and_pick_a_rendition(graphql):
    product = listed_product()
    ProductMedia.objects.create(
        product=product,
        source="producer",
        status="ready",
        image=f"products/{product.pk}/1.webp",
        renditions={"256": f"products/{product.pk}/1-256.webp", "512": f"products/{product.pk}/1-512.webp"},
        alt="Hộp quà",
    )
    ProductMedia.objects.create(product=product, source="registry", status="pending", registry_media_id="x")
    query = """query($s: String!) { product(slug: $s) {
        small: thumbnail(size: 300) { url alt } big: thumbnail { url } media { url alt } } }"""

    found = graphql(query, {"s": product.slug})["data"]["product"]

    assert found["small"] == {"url": f"http://testserver/media/products/{product.pk}/1-512.webp", "alt": "Hộp quà"}
    assert found["big"] == {"url": f"http://testserver/media/products/{product.pk}/1.webp"}
    assert found["media"] == [{"url": f"http://testserver/media/products/{product.pk}/1.webp", "alt": "Hộp quà"}]


def test_filter_and_sort(graphql):
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    a = listed_product(name="Cà phê", price=200_000, group=group)
    b = listed_product(name="Bưởi", price=50_000, group=group)
    listed_product(name="Rượu", price=100_000)
    group_id = base64.b64encode(f"Category:{group.pk}".encode()).decode()
    query = """query($filter: ProductFilterInput, $sortBy: ProductOrder) {
        products(first: 10, filter: $filter, sortBy: $sortBy) { edges { node { slug } } } }"""

    by_price = graphql(query, {"filter": {"categories": [group_id]}, "sortBy": {"field": "PRICE", "direction": "DESC"}})
    by_name = graphql(query, {"sortBy": {"field": "NAME", "direction": "ASC"}})

    assert "errors" not in by_name, by_name
    assert [e["node"]["slug"] for e in by_price["data"]["products"]["edges"]] == [a.slug, b.slug]
    assert [e["node"]["slug"] for e in by_name["data"]["products"]["edges"]][:2] == [b.slug, a.slug]


def test_products_page_runs_a_constant_number_of_queries(graphql):
    for n in range(100):
        product = listed_product(name=f"Sản phẩm {n:03d}")
        make_certification(
            product, stars=3, valid_from=product.current_certification.valid_from - datetime.timedelta(days=1200)
        )
        make_stock(make_variant(product, price=150_000), make_outlet())

    counts = {}
    for first in (10, 100):
        catalogue_version_reset()  # the total is counted, not taken from the cache of the first page
        with CaptureQueriesContext(connection) as queries:
            data = graphql(PRODUCT_LIST, {"first": first})
        assert "errors" not in data, data["errors"]
        assert len(data["data"]["products"]["edges"]) == first
        counts[first] = len(queries)

    # channel, page, count, media, variants, prices, stock, certificate history
    assert counts[10] == counts[100] <= 8


def test_category_products_include_its_product_sets(graphql):
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    product_set = Category.objects.create(kind="product_set", scheme="2023", parent=group, name="Hạt", slug="hat")
    in_set = listed_product(name="Hạt điều", category=product_set)
    listed_product(name="Rượu")
    hidden = listed_product(name="Hạt tiêu", category=product_set)
    delist(hidden)
    query = """query($slug: String!) { category(slug: $slug) {
        products(first: 10, channel: "default-channel") {
          totalCount edges { node { slug availableForPurchaseAt category { slug parent { slug } } } } } } }"""

    by_group = graphql(query, {"slug": "thuc-pham"})["data"]["category"]["products"]
    by_set = graphql(query, {"slug": "hat"})["data"]["category"]["products"]

    assert by_group == by_set
    assert by_group["totalCount"] == 1
    node = by_group["edges"][0]["node"]
    assert node["slug"] == in_set.slug
    assert node["category"] == {"slug": "hat", "parent": {"slug": "thuc-pham"}}
    assert node["availableForPurchaseAt"] == in_set.listing_changed_at.isoformat()


def test_unexpected_errors_are_not_shown_to_clients(settings):
    error = GraphQLError("db password is hunter2", path=["products"], original_error=RuntimeError("hunter2"))
    masked = StorefrontGraphQLView.format_error(error)
    settings.DEBUG = True
    shown = StorefrontGraphQLView.format_error(error)

    assert masked["message"] == "Internal Server Error"
    assert masked["extensions"] == {"exception": {"code": "RuntimeError"}}
    assert shown["message"] == "db password is hunter2"


def test_post_needs_no_csrf_token(db, channel):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/graphql/", {"query": "{ shop { name } }"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"data": {"shop": {"name": channel.name}}}


def test_product_page_runs_a_constant_number_of_queries(graphql):
    product = listed_product()
    for _ in range(5):
        make_stock(make_variant(product), make_outlet())
        make_certification(product, status="superseded")
    with CaptureQueriesContext(connection) as queries:
        data = graphql(PRODUCT_PAGE, {"slug": product.slug})

    assert "errors" not in data, data["errors"]
    assert len(data["data"]["product"]["variants"]) == 6
    # channel, product, media, variants, prices, stock, certificate history
    assert len(queries) <= 7
