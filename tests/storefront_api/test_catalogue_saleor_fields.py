"""The catalogue fields Saleor's storefront reads: languages, translated slugs, category texts, typed attributes,
variants as a connection and on their own, and the gate behind each of them."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from marketplace.catalogue.models import Category, Collection, CollectionProduct, ProductMedia
from marketplace.catalogue.read_cache import catalogue_version_reset
from marketplace.catalogue.services import products_refresh_listing
from tests.factories import delist, listed_product, make_certification, make_outlet, make_stock, make_variant


def _food() -> Category:
    return Category.objects.create(
        kind="group",
        scheme="2023",
        code="I",
        name="Thực phẩm",
        name_en="Food",
        slug="thuc-pham",
        slug_en="food",
        description="Nông sản và thực phẩm chế biến.\n\nCủa Đồng Nai.",
        description_en="Farm produce and processed food.",
    )


def _honey(**fields):
    return listed_product(name="Mật ong Đồng Nai", name_en="Dong Nai honey", slug_en="dong-nai-honey", **fields)


# --- languages and translations ---------------------------------------------------------------------------------

TRANSLATIONS = """
query($slug: String!, $language: LanguageCodeEnum!) {
  product(slug: $slug, channel: "default-channel") {
    translation(languageCode: $language) { slug name seoTitle language { code language } }
    category { translation(languageCode: $language) { slug name description seoTitle seoDescription } }
    attributes { values { translation(languageCode: $language) { name } } }
  }
}
"""


def test_english_and_its_regional_variants_answer_in_english(graphql):
    honey = _honey(group=_food(), category=Category.objects.get(slug="thuc-pham"))

    for code in ("EN", "EN_US", "EN_GB"):
        product = graphql(TRANSLATIONS, {"slug": honey.slug, "language": code})["data"]["product"]
        assert product["translation"]["slug"] == "dong-nai-honey"
        assert product["translation"]["name"] == "Dong Nai honey"
        assert product["translation"]["language"]["code"] == code
        category = product["category"]["translation"]
        assert category["slug"] == "food"
        assert category["name"] == "Food"
        assert json.loads(category["description"])["blocks"][0]["data"]["text"] == "Farm produce and processed food."
        assert category["seoDescription"] == "Farm produce and processed food."
        assert {"name": "Food"} in [value["translation"] for a in product["attributes"] for value in a["values"]]


def test_every_other_language_falls_back_to_the_vietnamese_text(graphql):
    honey = _honey(group=_food(), category=Category.objects.get(slug="thuc-pham"))

    for code in ("VI", "PL", "DE", "JA", "KO", "NB", "FI", "FR"):
        product = graphql(TRANSLATIONS, {"slug": honey.slug, "language": code})["data"]["product"]
        assert product["translation"]["slug"] == honey.slug
        assert product["translation"]["name"] == "Mật ong Đồng Nai"
        assert product["translation"]["seoTitle"] == "Mật ong Đồng Nai"
        assert product["translation"]["language"]["code"] == code
        category = product["category"]["translation"]
        assert (category["slug"], category["name"]) == ("thuc-pham", "Thực phẩm")
        assert category["seoDescription"] == "Nông sản và thực phẩm chế biến. Của Đồng Nai."
        assert {"name": "Thực phẩm"} in [value["translation"] for a in product["attributes"] for value in a["values"]]


def test_language_code_enum_carries_saleors_full_list(graphql):
    answer = graphql('{ __type(name: "LanguageCodeEnum") { enumValues { name } } }')
    names = {value["name"] for value in answer["data"]["__type"]["enumValues"]}

    assert {"EN", "EN_US", "VI", "VI_VN", "PL", "DE", "FR", "FI", "NB", "JA", "KO", "ZH_HANT_TW", "ZU_ZA"} <= names
    assert len(names) > 700


# --- lookups by translated slug ---------------------------------------------------------------------------------


def test_product_category_and_collection_by_their_english_slug(graphql):
    food = _food()
    honey = _honey(group=food, category=food)
    collection = Collection.objects.create(
        name="5 sao OCOP", name_en="5-star OCOP", slug="5-sao-ocop", slug_en="5-star-ocop", is_published=True
    )
    CollectionProduct.objects.create(collection=collection, product=honey)
    query = """query($p: String!, $c: String!, $k: String!, $language: LanguageCodeEnum) {
      product(slug: $p, slugLanguageCode: $language, channel: "default-channel") { slug }
      category(slug: $c, slugLanguageCode: $language) { slug }
      collection(slug: $k, slugLanguageCode: $language, channel: "default-channel") { slug }
    }"""
    found = {"product": {"slug": honey.slug}, "category": {"slug": "thuc-pham"}, "collection": {"slug": "5-sao-ocop"}}

    english = graphql(query, {"p": "dong-nai-honey", "c": "food", "k": "5-star-ocop", "language": "EN"})
    vietnamese_in_english = graphql(query, {"p": honey.slug, "c": "thuc-pham", "k": "5-sao-ocop", "language": "EN_US"})
    english_in_polish = graphql(query, {"p": "dong-nai-honey", "c": "food", "k": "5-star-ocop", "language": "PL"})
    no_language = graphql(query, {"p": "dong-nai-honey", "c": "food", "k": "5-star-ocop"})

    assert english["data"] == found
    assert vietnamese_in_english["data"] == found  # the default slug still reaches it
    assert english_in_polish["data"] == {"product": None, "category": None, "collection": None}
    assert no_language["data"] == {"product": None, "category": None, "collection": None}


def test_a_delisted_product_is_not_found_by_its_english_slug(graphql):
    honey = _honey()
    delist(honey)

    answer = graphql('{ product(slug: "dong-nai-honey", slugLanguageCode: EN, channel: "default-channel") { id } }')

    assert answer["data"]["product"] is None


# --- categories -----------------------------------------------------------------------------------------------------


def test_category_texts_and_background_image(graphql):
    food = _food()
    plain = Category.objects.create(kind="group", scheme="2023", code="II", name="Đồ uống", slug="do-uong")
    query = """query($slug: String!) { category(slug: $slug) {
        description seoTitle seoDescription backgroundImage(size: 512, format: WEBP) { url alt } } }"""

    described = graphql(query, {"slug": "thuc-pham"})["data"]["category"]
    bare = graphql(query, {"slug": "do-uong"})["data"]["category"]
    food.background_image.name = "categories/thuc-pham.webp"
    food.background_image_alt = "Ruộng lúa"
    food.seo_title = "Thực phẩm OCOP Đồng Nai"
    food.save()
    with_image = graphql(query, {"slug": "thuc-pham"})["data"]["category"]

    blocks = json.loads(described["description"])["blocks"]
    assert [block["data"]["text"] for block in blocks] == ["Nông sản và thực phẩm chế biến.", "Của Đồng Nai."]
    assert described["seoTitle"] == "Thực phẩm"
    assert described["backgroundImage"] is None
    assert bare == {"description": None, "seoTitle": plain.name, "seoDescription": None, "backgroundImage": None}
    assert with_image["seoTitle"] == "Thực phẩm OCOP Đồng Nai"
    assert with_image["backgroundImage"]["alt"] == "Ruộng lúa"
    assert with_image["backgroundImage"]["url"].endswith("categories/thuc-pham.webp")


def test_categories_filtered_by_slugs_ids_and_search_and_sorted(graphql):
    food = _food()
    drinks = Category.objects.create(kind="group", scheme="2023", code="II", name="Đồ uống", slug="do-uong")
    Category.objects.create(kind="group", scheme="2023", code="III", name="Thảo dược", slug="thao-duoc")
    query = """query($filter: CategoryFilterInput, $where: CategoryWhereInput, $sortBy: CategorySortingInput) {
      categories(first: 10, filter: $filter, where: $where, sortBy: $sortBy) { edges { node { slug } } } }"""

    def slugs(**variables):
        answer = graphql(query, variables)
        assert "errors" not in answer, answer["errors"]
        return [edge["node"]["slug"] for edge in answer["data"]["categories"]["edges"]]

    assert slugs(filter={"slugs": ["do-uong", "food"]}) == ["thuc-pham", "do-uong"]
    assert slugs(filter={"ids": [to_global_id("Category", drinks.pk)]}) == ["do-uong"]
    assert slugs(where={"ids": [to_global_id("Category", food.pk)]}) == ["thuc-pham"]
    assert slugs(filter={"search": "uống"}) == ["do-uong"]
    assert slugs(filter={"slugs": []}) == []
    ascending = slugs(sortBy={"field": "NAME", "direction": "ASC"})
    assert ascending.index("thao-duoc") < ascending.index("thuc-pham")  # names in the database's collation
    assert slugs(sortBy={"field": "NAME", "direction": "DESC"}) == ascending[::-1]


def test_category_products_honour_where_and_keep_the_gate(graphql):
    food = _food()
    four_stars = listed_product(name="Bánh pía", group=food, category=food)
    five_stars = listed_product(name="Mật ong", group=food, category=food)
    make_certification(five_stars, stars=5, valid_from=five_stars.current_certification.valid_from)
    products_refresh_listing(product_ids=[five_stars.pk], trigger="staff")
    hidden = listed_product(name="Bánh tráng", group=food, category=food)
    delist(hidden)
    query = """query($where: ProductWhereInput) { category(slug: "thuc-pham") {
        products(first: 10, channel: "default-channel", where: $where) { totalCount edges { node { slug } } } } }"""

    every = graphql(query)["data"]["category"]["products"]
    five = graphql(query, {"where": {"attributes": [{"slug": "ocop-stars", "value": {"slug": {"eq": "5"}}}]}})

    assert sorted(edge["node"]["slug"] for edge in every["edges"]) == sorted([four_stars.slug, five_stars.slug])
    assert five["data"]["category"]["products"] == {"totalCount": 1, "edges": [{"node": {"slug": five_stars.slug}}]}


# --- typed attributes and media ---------------------------------------------------------------------------------


def test_assigned_attributes_are_single_choice_and_unknown_ones_are_null(graphql):
    honey = _honey(group=_food())
    query = """query($slug: String!) { product(slug: $slug, channel: "default-channel") {
      stars: assignedAttribute(slug: "ocop-stars") {
        __typename attribute { slug }
        ... on AssignedSingleChoiceAttribute { value { name slug translation(languageCode: EN) } }
      }
      flag: assignedAttribute(slug: "bestseller") { ... on AssignedBooleanAttribute { value } }
      all: assignedAttributes { attribute { slug } }
      first: assignedAttributes(limit: 1) { attribute { slug } }
    } }"""

    product = graphql(query, {"slug": honey.slug})["data"]["product"]

    assert product["stars"] == {
        "__typename": "AssignedSingleChoiceAttribute",
        "attribute": {"slug": "ocop-stars"},
        "value": {"name": "4 sao", "slug": "4", "translation": "4 stars"},
    }
    assert product["flag"] is None
    # The producer's commune is known; the district (before 2025) is not: an attribute without value is left out.
    assert [a["attribute"]["slug"] for a in product["all"]] == ["ocop-stars", "ocop-group", "commune"]
    assert product["first"] == [{"attribute": {"slug": "ocop-stars"}}]


def test_assigned_attributes_limit_must_be_positive(graphql):
    honey = _honey()

    query = "query($s: String!) { product(slug: $s) { assignedAttributes(limit: 0) { __typename } } }"

    answer = graphql(query, {"s": honey.slug}, status=400)

    assert "PositiveInt" in answer["errors"][0]["message"]


def test_product_media_are_images(graphql):
    honey = _honey()
    ProductMedia.objects.create(
        product=honey, source="producer", status="ready", image="products/honey.webp", alt="Hũ mật ong"
    )

    media = graphql("query($s: String!) { product(slug: $s) { media { type alt } } }", {"s": honey.slug})

    assert media["data"]["product"]["media"] == [{"type": "IMAGE", "alt": "Hũ mật ong"}]


# --- variants -------------------------------------------------------------------------------------------------------

VARIANT_FIELDS = """
  id sku name quantityAvailable(countryCode: VN)
  translation(languageCode: EN) { name language { code } }
  selection: attributes(variantSelection: VARIANT_SELECTION) {
    attribute { slug inputType } values { name slug value file { url } }
  }
  other: attributes(variantSelection: NOT_VARIANT_SELECTION) { attribute { slug } }
  pack: assignedAttribute(slug: "pack") { ... on AssignedSingleChoiceAttribute { value { name } } }
  media { type }
  pricing { price { gross { amount } } }
  product { slug }
"""


def test_product_variants_connection_pages_filters_and_sorts(graphql):
    honey = _honey()
    small = honey.variants.get()
    large = make_variant(honey, price=300_000, name="Hũ 1 kg", sku="HONEY-1KG", sort_order=1)
    query = """query($slug: String!, $first: Int, $after: String, $filter: ProductVariantFilterInput,
                     $where: ProductVariantWhereInput, $sortBy: ProductVariantSortingInput) {
      product(slug: $slug, channel: "default-channel") {
        productVariants(first: $first, after: $after, filter: $filter, where: $where, sortBy: $sortBy) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { sku } } } } }"""

    def page(**variables):
        answer = graphql(query, {"slug": honey.slug, "first": 10, **variables})
        assert "errors" not in answer, answer["errors"]
        return answer["data"]["product"]["productVariants"]

    first = page(first=1)
    second = page(first=1, after=first["pageInfo"]["endCursor"])

    assert first["totalCount"] == 2
    assert [e["node"]["sku"] for e in first["edges"] + second["edges"]] == [small.sku, large.sku]
    assert first["pageInfo"]["hasNextPage"] and not second["pageInfo"]["hasNextPage"]
    assert [e["node"]["sku"] for e in page(filter={"sku": ["HONEY-1KG"]})["edges"]] == ["HONEY-1KG"]
    assert [e["node"]["sku"] for e in page(filter={"search": "1 kg"})["edges"]] == ["HONEY-1KG"]
    ids = {"ids": [to_global_id("ProductVariant", small.pk)]}
    assert [e["node"]["sku"] for e in page(where=ids)["edges"]] == [small.sku]
    assert [e["node"]["sku"] for e in page(where={"sku": {"oneOf": [large.sku]}})["edges"]] == [large.sku]
    newest_first = page(sortBy={"field": "LAST_MODIFIED_AT", "direction": "DESC"})
    assert [e["node"]["sku"] for e in newest_first["edges"]] == [large.sku, small.sku]


def test_product_variant_by_id_or_sku(graphql):
    honey = _honey()
    variant = honey.variants.get()
    ProductMedia.objects.create(product=honey, source="producer", status="ready", image="products/honey.webp")
    query = 'query($id: ID, $sku: String) { productVariant(id: $id, sku: $sku, channel: "default-channel") { %s } }'

    by_id = graphql(query % VARIANT_FIELDS, {"id": to_global_id("ProductVariant", variant.pk)})
    by_sku = graphql(query % VARIANT_FIELDS, {"sku": variant.sku})
    both = graphql(query % "id", {"id": to_global_id("ProductVariant", variant.pk), "sku": variant.sku})
    neither = graphql(query % "id")

    assert "errors" not in by_id, by_id["errors"]
    assert by_id == by_sku
    found = by_id["data"]["productVariant"]
    assert found["sku"] == variant.sku
    assert found["quantityAvailable"] == 10
    assert found["translation"] == {"name": "Hộp 500 g", "language": {"code": "EN"}}
    assert found["selection"] == [
        {
            "attribute": {"slug": "pack", "inputType": "DROPDOWN"},
            "values": [{"name": "Hộp 500 g", "slug": "hop-500-g", "value": "hop-500-g", "file": None}],
        }
    ]
    assert found["other"] == []
    assert found["pack"] == {"value": {"name": "Hộp 500 g"}}
    assert found["media"] == [{"type": "IMAGE"}]
    assert found["pricing"] == {"price": {"gross": {"amount": 120000.0}}}
    assert found["product"] == {"slug": honey.slug}
    assert both["data"]["productVariant"] is None and neither["data"]["productVariant"] is None
    refusal = "Exactly one of 'id' or 'sku' must be specified."
    assert both["errors"][0]["message"] == neither["errors"][0]["message"] == refusal


def test_product_variants_query(graphql):
    honey = _honey()
    other = listed_product(name="Bánh pía")
    query = """query($ids: [ID!], $filter: ProductVariantFilterInput, $search: String) {
      productVariants(first: 10, channel: "default-channel", ids: $ids, filter: $filter, search: $search) {
        totalCount edges { node { sku product { slug } } } } }"""
    honey_variant = honey.variants.get()

    every = graphql(query)["data"]["productVariants"]
    by_ids = graphql(query, {"ids": [to_global_id("ProductVariant", honey_variant.pk)]})["data"]["productVariants"]
    by_sku = graphql(query, {"filter": {"sku": [other.variants.get().sku]}})["data"]["productVariants"]

    assert every["totalCount"] == 2
    assert by_ids["edges"] == [{"node": {"sku": honey_variant.sku, "product": {"slug": honey.slug}}}]
    assert by_sku["edges"][0]["node"]["product"] == {"slug": other.slug}


def test_variants_of_a_delisted_product_are_gone_from_every_entry_point(graphql):
    kept = listed_product(name="Bánh pía")
    hidden = _honey()
    hidden_variant = hidden.variants.get()
    make_variant(hidden, name="Thùng 12 hũ")
    delist(hidden)
    query = """query($id: ID!, $sku: String!) {
      byId: productVariant(id: $id, channel: "default-channel") { id }
      bySku: productVariant(sku: $sku, channel: "default-channel") { id }
      productVariants(first: 10, channel: "default-channel") { totalCount edges { node { sku } } }
      attribute(slug: "pack") { choices(first: 10) { edges { node { name } } } }
    }"""

    answer = graphql(query, {"id": to_global_id("ProductVariant", hidden_variant.pk), "sku": hidden_variant.sku})

    data = answer["data"]
    assert data["byId"] is None and data["bySku"] is None
    assert data["productVariants"] == {"totalCount": 1, "edges": [{"node": {"sku": kept.variants.get().sku}}]}
    assert data["attribute"]["choices"]["edges"] == [{"node": {"name": "Hộp 500 g"}}]  # not "Thùng 12 hũ"


# --- speed ----------------------------------------------------------------------------------------------------------

LIST_ITEM = """
query($first: Int!) {
  products(first: $first, channel: "default-channel") {
    edges { node {
      slug translation(languageCode: EN) { name slug }
      category { translation(languageCode: EN) { slug } backgroundImage { url } }
      flag: assignedAttribute(slug: "bestseller") { ... on AssignedBooleanAttribute { value } }
      assignedAttributes { attribute { slug } }
      productVariants(first: 50) { totalCount edges { node { id
        attributes(variantSelection: VARIANT_SELECTION) {
          attribute { slug } values { name translation(languageCode: EN) { name } }
        }
        media { url } translation(languageCode: EN) { name } quantityAvailable pricing { price { gross { amount } } }
      } } }
    } }
  }
}
"""


def test_a_page_with_variants_and_typed_attributes_runs_a_constant_number_of_queries(graphql):
    food = _food()
    for n in range(60):
        product = listed_product(name=f"Sản phẩm {n:03d}", group=food, category=food)
        make_stock(make_variant(product, price=150_000, name="Hũ 1 kg"), make_outlet())
        old = {"valid_from": datetime.date(2020, 1, 1), "valid_until": datetime.date(2021, 1, 1)}
        make_certification(product, stars=3, **old)

    counts = {}
    for first in (5, 40):  # 40 of the storefront's list items cost ~40,700, within MAX_QUERY_COST
        catalogue_version_reset()
        with CaptureQueriesContext(connection) as queries:
            answer = graphql(LIST_ITEM, {"first": first})
        assert "errors" not in answer, answer["errors"]
        assert len(answer["data"]["products"]["edges"]) == first
        counts[first] = len(queries)

    assert counts[5] == counts[40]
