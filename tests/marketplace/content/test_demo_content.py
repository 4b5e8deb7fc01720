"""The demo's menus and pages: what the storefront asks for, in Vietnamese and English, seeded once."""

from marketplace.catalogue.collection_services import collections_refresh_automatic
from marketplace.catalogue.models import Category
from marketplace.content.editorjs import text_from_blocks
from marketplace.content.models import Menu, MenuItem, Page, PageAttributeValue
from marketplace.demo.content import demo_content_ensure
from marketplace.outlets.models import CollectionPointOption
from tests.factories import listed_product, make_certification, make_outlet, make_product

NAVBAR = """
query ($lang: LanguageCodeEnum!) {
  menu(slug: "navbar", channel: "default-channel") {
    items { name translation(languageCode: $lang) { name } url
      page { slug translation(languageCode: $lang) { slug } }
      children { name category { slug } collection { slug } } }
  }
}
"""


def _groups():
    honey = Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code="1", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    empty = Category.objects.create(kind=Category.Kind.GROUP, scheme="2023", code="2", name="Đồ uống", slug="do-uong")
    return honey, empty


def test_demo_content_is_seeded_once_in_both_languages(graphql):
    food, drinks = _groups()
    listed_product(group=food, name="Mật ong")
    make_certification(make_product(group=drinks))  # not listed: its group stays out of the menu
    make_outlet(name="Điểm bán OCOP Bửu Long", hold_days=5, opening_hours="7:30–17:00")
    make_outlet(name="Kho đóng", click_and_collect_option=CollectionPointOption.DISABLED)
    collections_refresh_automatic()

    first = demo_content_ensure()
    again = demo_content_ensure()

    assert first.menus_created == ["navbar", "footer"] and again.menus_created == []
    assert len(first.pages_created) == 7 and again.pages_created == []
    assert Menu.objects.count() == 2 and Page.objects.count() == 7
    items = MenuItem.objects.count()
    demo_content_ensure()
    assert MenuItem.objects.count() == items

    navbar = graphql(NAVBAR, {"lang": "EN"})["data"]["menu"]["items"]
    names = [item["translation"]["name"] for item in navbar]
    assert names == ["OCOP products", "Collections", "Pickup points", "About OCOP"]
    assert [child["category"]["slug"] for child in navbar[0]["children"]] == ["thuc-pham"]
    assert {child["collection"]["slug"] for child in navbar[1]["children"]} == {"5-sao-ocop", "moi-trong-mua"}
    assert navbar[2]["page"] == {"slug": "diem-nhan-hang", "translation": {"slug": "pickup-points"}}
    footer = Menu.objects.get(slug="footer")
    assert [item.name for item in footer.items.filter(parent=None)] == ["Cửa hàng", "Chính sách"]

    points = Page.objects.get(slug="diem-nhan-hang")
    assert "Điểm bán OCOP Bửu Long" in text_from_blocks(points.content)
    assert "Kho đóng" not in text_from_blocks(points.content)
    assert "Orders held for 5 days" in text_from_blocks(points.content_en)
    for page in Page.objects.exclude(slug__startswith="storefront-"):
        assert page.title and page.title_en and page.slug_en and page.content and page.content_en, page.slug
    hero = PageAttributeValue.objects.get(page__slug="storefront-homepage", attribute__slug="hero-heading")
    assert hero.text and hero.text_en
    featured = PageAttributeValue.objects.get(page__slug="storefront-homepage", attribute__slug="featured-collection")
    assert featured.collection.slug == "5-sao-ocop"
