"""Menus and pages through the storefront API: nesting, targets, translations, visibility, attributes."""

import base64
import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.models import Category, Collection
from marketplace.catalogue.read_cache import catalogue_version_reset
from marketplace.content.models import PageAttributeKind
from marketplace.content.services import (
    menu_ensure,
    menu_item_add,
    page_attribute_ensure,
    page_attribute_value_set,
    page_create,
    page_type_ensure,
)
from tests.factories import delist, listed_product

ITEM_FIELDS = """
    id name level url
    translation(languageCode: $lang) { name }
    category { slug translation(languageCode: $lang) { name slug } }
    collection { slug translation(languageCode: $lang) { name slug } }
    page { slug title translation(languageCode: $lang) { title slug } }
"""
MENU = f"""
query OurMenu($slug: String!, $lang: LanguageCodeEnum!) {{
  menu(slug: $slug, channel: "default-channel") {{
    name slug
    items {{
      {ITEM_FIELDS} parent {{ id }}
      children {{ {ITEM_FIELDS} parent {{ name }} children {{ {ITEM_FIELDS} }} }}
    }}
  }}
}}
"""


def _gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _info_type():
    return page_type_ensure(slug="thong-tin", name="Thông tin")


def _navbar():
    """A navigation bar: a heading over an OCOP group (with a product set below), collections, pages and a URL."""
    group = Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code="1", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    product_set = Category.objects.create(
        kind=Category.Kind.PRODUCT_SET, parent=group, scheme="2023", name="Mật ong", slug="mat-ong"
    )
    shown = Collection.objects.create(name="5 sao", name_en="5 stars", slug="5-sao", is_published=True)
    hidden = Collection.objects.create(name="Nháp", slug="nhap", is_published=False)
    about = page_create(
        page_type=_info_type(), title="Giới thiệu", title_en="About", slug="gioi-thieu", slug_en="about"
    )
    draft = page_create(page_type=_info_type(), title="Bản nháp", slug="ban-nhap", is_published=False)
    menu, _ = menu_ensure(slug="navbar", name="Thanh điều hướng")
    products = menu_item_add(menu=menu, name="Sản phẩm", name_en="Products")
    food = menu_item_add(menu=menu, parent=products, name="Thực phẩm", category=group)
    menu_item_add(menu=menu, parent=food, name="Mật ong", name_en="Honey", category=product_set)
    menu_item_add(menu=menu, parent=products, name="5 sao", collection=shown)
    menu_item_add(menu=menu, parent=products, name="Bộ sưu tập ẩn", collection=hidden)
    menu_item_add(menu=menu, name="Giới thiệu", page=about)
    menu_item_add(menu=menu, name="Trang nháp", page=draft)
    menu_item_add(menu=menu, name="Chỉ đường", name_en="Directions", url="https://maps.example/dong-nai")
    return menu


def test_menu_items_nest_with_their_targets_and_translations(graphql):
    _navbar()

    menu = graphql(MENU, {"slug": "navbar", "lang": "EN"})["data"]["menu"]

    assert menu["name"] == "Thanh điều hướng" and menu["slug"] == "navbar"
    top = menu["items"]
    assert [item["name"] for item in top] == ["Sản phẩm", "Giới thiệu", "Trang nháp", "Chỉ đường"]
    products, about, draft, directions = top
    assert products["level"] == 0 and products["parent"] is None
    assert products["translation"]["name"] == "Products"
    assert products["category"] is products["collection"] is products["page"] is products["url"] is None
    food, five, hidden = products["children"]
    assert food["level"] == 1 and food["parent"]["name"] == "Sản phẩm"
    assert food["category"] == {"slug": "thuc-pham", "translation": {"name": "Food", "slug": "thuc-pham"}}
    assert food["translation"]["name"] == "Thực phẩm"  # no English name: the Vietnamese one
    (honey,) = food["children"]
    assert honey["level"] == 2 and honey["category"]["slug"] == "mat-ong" and honey["translation"]["name"] == "Honey"
    assert five["collection"]["slug"] == "5-sao" and five["collection"]["translation"]["name"] == "5 stars"
    assert hidden["name"] == "Bộ sưu tập ẩn" and hidden["collection"] is None  # unpublished: not shown
    assert about["page"] == {
        "slug": "gioi-thieu",
        "title": "Giới thiệu",
        "translation": {"title": "About", "slug": "about"},
    }
    assert draft["page"] is None  # unpublished page: not shown, the item stays
    assert directions["url"] == "https://maps.example/dong-nai"
    assert directions["translation"]["name"] == "Directions"


def test_menu_translations_fall_back_to_vietnamese(graphql):
    _navbar()

    menu = graphql(MENU, {"slug": "navbar", "lang": "PL"})["data"]["menu"]

    products = menu["items"][0]
    assert products["translation"]["name"] == "Sản phẩm"
    assert products["children"][0]["category"]["translation"]["name"] == "Thực phẩm"
    assert menu["items"][1]["page"]["translation"] == {"title": "Giới thiệu", "slug": "gioi-thieu"}


def test_menu_lookups_and_list(graphql):
    menu = _navbar()
    menu_ensure(slug="footer", name="Chân trang")

    by_id = graphql(f'{{ menu(id: "{_gid("Menu", menu.pk)}") {{ slug }} }}')["data"]["menu"]
    by_name = graphql('{ menu(name: "Chân trang") { slug items { id } } }')["data"]["menu"]
    missing = graphql('{ menu(slug: "khong-co") { slug } }')["data"]["menu"]
    both = graphql('{ menu(slug: "navbar", name: "x") { slug } }')
    listed = graphql(
        """{ menus(first: 10, filter: {slugs: ["navbar", "footer"]}, sortBy: {field: ITEMS_COUNT, direction: DESC})
             { totalCount edges { node { slug items { name children { name } } } } } }"""
    )["data"]["menus"]

    assert by_id == {"slug": "navbar"} and by_name == {"slug": "footer", "items": []} and missing is None
    assert both["errors"][0]["message"] == "Exactly one of 'id', 'name' or 'slug' must be specified."
    assert listed["totalCount"] == 2
    assert [edge["node"]["slug"] for edge in listed["edges"]] == ["navbar", "footer"]
    assert len(listed["edges"][0]["node"]["items"][0]["children"]) == 3


def test_a_menu_is_read_in_a_fixed_number_of_queries(graphql):
    menu = _navbar()
    with CaptureQueriesContext(connection) as small:
        graphql(MENU, {"slug": "navbar", "lang": "EN"})
    group = Category.objects.get(slug="thuc-pham")
    for number in range(10):
        collection = Collection.objects.create(name=f"Bộ {number}", slug=f"bo-{number}", is_published=True)
        page = page_create(page_type=_info_type(), title=f"Trang {number}", slug=f"trang-{number}")
        heading = menu_item_add(menu=menu, name=f"Nhóm {number}", category=group)
        menu_item_add(menu=menu, parent=heading, name=f"Bộ {number}", collection=collection)
        menu_item_add(menu=menu, parent=heading, name=f"Trang {number}", page=page)

    with CaptureQueriesContext(connection) as large:
        graphql(MENU, {"slug": "navbar", "lang": "EN"})

    assert len(large) == len(small) <= 4


PAGE = """
query OurPage($slug: String!, $lang: LanguageCodeEnum!, $slugLang: LanguageCodeEnum) {
  page(slug: $slug, slugLanguageCode: $slugLang) {
    id slug title seoTitle seoDescription content isPublished created pageType { slug name }
    translation(languageCode: $lang) { title slug seoTitle seoDescription content }
  }
}
"""


def _pickup_page():
    return page_create(
        page_type=_info_type(),
        title="Nhận hàng tại điểm",
        slug="nhan-hang-tai-diem",
        text="## Cách nhận\n\nMang mã nhận hàng đến điểm đã chọn.",
        title_en="Pickup",
        slug_en="pickup",
        text_en="Bring your pickup code.",
        seo_description="Nhận hàng OCOP tại các điểm ở Đồng Nai.",
    )


def test_a_page_by_its_slug_or_its_english_slug(graphql):
    _pickup_page()

    by_slug = graphql(PAGE, {"slug": "nhan-hang-tai-diem", "lang": "EN"})["data"]["page"]
    by_english = graphql(PAGE, {"slug": "pickup", "lang": "EN", "slugLang": "EN_GB"})["data"]["page"]
    english_slug_as_primary = graphql(PAGE, {"slug": "pickup", "lang": "EN"})["data"]["page"]
    other_language = graphql(PAGE, {"slug": "nhan-hang-tai-diem", "lang": "DE", "slugLang": "DE"})["data"]["page"]

    assert by_slug == by_english
    assert english_slug_as_primary is None
    assert by_slug["title"] == "Nhận hàng tại điểm" and by_slug["seoTitle"] == "Nhận hàng tại điểm"
    assert by_slug["seoDescription"] == "Nhận hàng OCOP tại các điểm ở Đồng Nai."
    assert by_slug["isPublished"] is True and by_slug["pageType"] == {"slug": "thong-tin", "name": "Thông tin"}
    assert json.loads(by_slug["content"]) == {
        "blocks": [
            {"type": "header", "data": {"text": "Cách nhận", "level": 2}},
            {"type": "paragraph", "data": {"text": "Mang mã nhận hàng đến điểm đã chọn."}},
        ]
    }
    assert by_slug["translation"]["title"] == "Pickup" and by_slug["translation"]["slug"] == "pickup"
    assert by_slug["translation"]["seoDescription"] is None  # none written in English
    assert "Bring your pickup code." in by_slug["translation"]["content"]
    assert other_language["translation"]["title"] == "Nhận hàng tại điểm"
    assert other_language["translation"]["slug"] == "nhan-hang-tai-diem"


def test_unpublished_pages_are_invisible(graphql):
    page_create(page_type=_info_type(), title="Nháp", slug="nhap", is_published=False)
    later = page_create(
        page_type=_info_type(), title="Sắp tới", slug="sap-toi", published_at=timezone.now() + datetime.timedelta(1)
    )

    assert graphql(PAGE, {"slug": "nhap", "lang": "VI"})["data"]["page"] is None
    assert graphql(PAGE, {"slug": "sap-toi", "lang": "VI"})["data"]["page"] is None
    by_id = graphql(f'{{ page(id: "{_gid("Page", later.pk)}") {{ slug }} }}')["data"]["page"]
    listed = graphql("{ pages(first: 10) { totalCount edges { node { slug } } } }")["data"]["pages"]
    assert by_id is None and listed == {"totalCount": 0, "edges": []}
    neither = graphql("{ page { slug } }")
    assert neither["errors"][0]["message"] == "Exactly one of 'id' or 'slug' must be specified."


CONTENT_PAGES = """
query OurContentPages($slugs: [String!]!, $lang: LanguageCodeEnum!) {
  pages(channel: "default-channel", where: {slug: {oneOf: $slugs}}, first: 20) {
    edges { node {
      slug isPublished pageType { slug attributes { slug inputType type withChoices } }
      assignedAttributes {
        __typename attribute { slug name translation(languageCode: $lang) { name } }
        ... on AssignedPlainTextAttribute { text: value textTranslation: translation(languageCode: $lang) }
        ... on AssignedBooleanAttribute { yes: value }
        ... on AssignedNumericAttribute { number: value }
        ... on AssignedSingleCollectionReferenceAttribute { collection: value { slug name } }
        ... on AssignedFileAttribute { file: value { url } }
      }
      heading: assignedAttribute(slug: "hero-heading") { ... on AssignedPlainTextAttribute { value } }
      attributes { attribute { slug } values { name } }
    } }
  }
}
"""


def _homepage(slug: str = "storefront-homepage"):
    heading = page_attribute_ensure(
        slug="hero-heading", name="Tiêu đề", name_en="Heading", kind=PageAttributeKind.PLAIN_TEXT
    )
    dismissible = page_attribute_ensure(slug="dismissible", name="Đóng được", kind=PageAttributeKind.BOOLEAN)
    limit = page_attribute_ensure(slug="featured-limit", name="Số sản phẩm", kind=PageAttributeKind.NUMERIC)
    featured = page_attribute_ensure(slug="featured-collection", name="Bộ sưu tập", kind=PageAttributeKind.COLLECTION)
    hidden = page_attribute_ensure(slug="hidden-collection", name="Ẩn", kind=PageAttributeKind.COLLECTION)
    empty = page_attribute_ensure(slug="eyebrow", name="Dòng trên", kind=PageAttributeKind.PLAIN_TEXT)
    page_type = page_type_ensure(
        slug="storefront-homepage",
        name="Trang chủ",
        attributes=[heading, dismissible, limit, featured, hidden, empty],
    )
    page = page_create(page_type=page_type, title="Trang chủ", slug=slug)
    page_attribute_value_set(page=page, attribute=heading, text="Đặc sản OCOP Đồng Nai", text_en="OCOP of Đồng Nai")
    page_attribute_value_set(page=page, attribute=dismissible, boolean=False)
    page_attribute_value_set(page=page, attribute=limit, number=8)
    shown = Collection.objects.get_or_create(slug="5-sao", defaults={"name": "5 sao", "is_published": True})[0]
    draft = Collection.objects.get_or_create(slug="nhap", defaults={"name": "Nháp", "is_published": False})[0]
    page_attribute_value_set(page=page, attribute=featured, collection=shown)
    page_attribute_value_set(page=page, attribute=hidden, collection=draft)
    return page


def test_content_pages_with_their_typed_attributes(graphql):
    _homepage()
    page_create(page_type=_info_type(), title="Chính sách", slug="storefront-policy", is_published=False)

    english = graphql(CONTENT_PAGES, {"slugs": ["storefront-homepage", "storefront-policy", "khac"], "lang": "EN"})
    vietnamese = graphql(CONTENT_PAGES, {"slugs": ["storefront-homepage"], "lang": "VI"})

    (edge,) = english["data"]["pages"]["edges"]
    node = edge["node"]
    assert node["slug"] == "storefront-homepage" and node["isPublished"] is True
    assert node["pageType"]["slug"] == "storefront-homepage"
    kinds = {attribute["slug"]: attribute for attribute in node["pageType"]["attributes"]}
    assert kinds["hero-heading"] == {
        "slug": "hero-heading",
        "inputType": "PLAIN_TEXT",
        "type": "PAGE_TYPE",
        "withChoices": False,
    }
    assert kinds["featured-collection"]["inputType"] == "SINGLE_REFERENCE"
    assigned = {value["attribute"]["slug"]: value for value in node["assignedAttributes"]}
    assert sorted(assigned) == ["dismissible", "featured-collection", "featured-limit", "hero-heading"]
    assert assigned["hero-heading"]["__typename"] == "AssignedPlainTextAttribute"
    assert assigned["hero-heading"]["text"] == "Đặc sản OCOP Đồng Nai"
    assert assigned["hero-heading"]["textTranslation"] == "OCOP of Đồng Nai"
    assert assigned["hero-heading"]["attribute"]["translation"]["name"] == "Heading"
    assert assigned["dismissible"] == {
        "__typename": "AssignedBooleanAttribute",
        "attribute": {"slug": "dismissible", "name": "Đóng được", "translation": {"name": "Đóng được"}},
        "yes": False,
    }
    assert assigned["featured-limit"]["number"] == 8.0
    assert assigned["featured-collection"]["collection"] == {"slug": "5-sao", "name": "5 sao"}
    assert node["heading"] == {"value": "Đặc sản OCOP Đồng Nai"}
    selected = {attribute["attribute"]["slug"]: attribute["values"] for attribute in node["attributes"]}
    assert selected["hero-heading"] == [{"name": "Đặc sản OCOP Đồng Nai"}]
    vi_heading = next(
        value
        for value in vietnamese["data"]["pages"]["edges"][0]["node"]["assignedAttributes"]
        if value["attribute"]["slug"] == "hero-heading"
    )
    assert vi_heading["textTranslation"] == "Đặc sản OCOP Đồng Nai"


def test_pages_list_filters_sorts_and_keeps_its_query_count(graphql):
    _pickup_page()
    _homepage()
    query = """query ($filter: PageFilterInput, $where: PageWhereInput, $sort: PageSortingInput) {
      pages(first: 50, filter: $filter, where: $where, sortBy: $sort) {
        totalCount edges { node { slug title pageType { slug } assignedAttributes { attribute { slug } } } }
      }
    }"""

    def slugs(**variables) -> list[str]:
        return [edge["node"]["slug"] for edge in graphql(query, variables)["data"]["pages"]["edges"]]

    info_type = _gid("PageType", _info_type().pk)
    assert slugs() == ["nhan-hang-tai-diem", "storefront-homepage"]
    assert slugs(sort={"field": "TITLE", "direction": "DESC"}) == ["storefront-homepage", "nhan-hang-tai-diem"]
    assert slugs(filter={"pageTypes": [info_type]}) == ["nhan-hang-tai-diem"]
    assert slugs(filter={"search": "pickup"}) == ["nhan-hang-tai-diem"]
    assert slugs(where={"pageType": {"eq": info_type}}) == ["nhan-hang-tai-diem"]
    assert slugs(where={"OR": [{"slug": {"eq": "storefront-homepage"}}, {"slug": {"eq": "khong-co"}}]}) == [
        "storefront-homepage"
    ]

    catalogue_version_reset()  # the answer is not taken from the cache (storefront_api.core.public_answers)
    with CaptureQueriesContext(connection) as small:
        graphql(query)
    for number in range(8):
        _homepage(slug=f"storefront-homepage-{number}")
    with CaptureQueriesContext(connection) as large:
        assert len(graphql(query)["data"]["pages"]["edges"]) == 10
    assert len(large) == len(small)


def test_page_types(graphql):
    _homepage()
    _pickup_page()

    listed = graphql(
        '{ pageTypes(first: 10, filter: {slugs: ["storefront-homepage"]}) '
        "{ edges { node { id slug hasPages attributes { slug } } } } }"
    )["data"]["pageTypes"]["edges"]
    (node,) = [edge["node"] for edge in listed]
    by_id = graphql(f'{{ pageType(id: "{node["id"]}") {{ slug }} }}')["data"]["pageType"]

    assert node["slug"] == "storefront-homepage" and node["hasPages"] is True
    assert [attribute["slug"] for attribute in node["attributes"]] == [
        "dismissible",
        "eyebrow",
        "featured-collection",
        "featured-limit",
        "hero-heading",
        "hidden-collection",
    ]
    assert by_id == {"slug": "storefront-homepage"}


def test_a_menu_leads_only_to_listed_products(graphql):
    """The products behind a menu's category and collection pass the catalogue gate like every other read."""
    group = Category.objects.create(kind=Category.Kind.GROUP, scheme="2023", code="1", name="Thực phẩm", slug="tp")
    kept = listed_product(name="Mật ong rừng", category=group)
    gone = listed_product(name="Điều mật ong", category=group)
    five = Collection.objects.create(name="5 sao", slug="5-sao-thu", is_published=True)
    five.products.add(kept, gone)
    delist(gone)
    menu, _ = menu_ensure(slug="navbar", name="Thanh điều hướng")
    menu_item_add(menu=menu, name="Thực phẩm", category=group)
    menu_item_add(menu=menu, name="5 sao", collection=five)
    query = """{ menu(slug: "navbar", channel: "default-channel") { items {
      category { products(first: 10, channel: "default-channel") { totalCount edges { node { name } } } }
      collection { products(first: 10) { totalCount edges { node { name } } } }
    } } }"""

    category_item, collection_item = graphql(query)["data"]["menu"]["items"]

    listed_only = {"totalCount": 1, "edges": [{"node": {"name": "Mật ong rừng"}}]}
    assert category_item["category"]["products"] == listed_only
    assert collection_item["collection"]["products"] == listed_only
