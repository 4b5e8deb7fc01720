"""The shop's collections and content pages on the web: only what is published, only products for sale, the page's
text from its blocks with no markup passing through; both in the sitemap."""

from __future__ import annotations

from marketplace.catalogue.models import Collection, CollectionProduct
from marketplace.content.editorjs import blocks_from_text
from marketplace.content.models import Page, PageType
from tests.factories import make_certification, make_product
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list, _page, _text
from web.content import content_blocks

storefront = test_storefront_pages.storefront  # the fixture


def _collection(storefront: Storefront, **kw) -> Collection:
    collection = Collection.objects.create(name="Quà Tết", name_en="Tết gifts", slug="qua-tet", is_published=True, **kw)
    for product in (storefront.coffee, storefront.delisted):
        CollectionProduct.objects.create(collection=collection, product=product)
    return collection


def test_a_collection_shows_its_products_for_sale(storefront: Storefront):
    _collection(storefront)
    text = _text(_page(_client("en"), "/collections/qua-tet/"))
    assert "Tết gifts" in text and "Xuan Loc Robusta coffee" in text and "1 product" in text
    assert "Chuối sấy dẻo" not in text  # in the collection, not for sale today
    Collection.objects.filter(slug="qua-tet").update(is_published=False)
    _page(_client(), "/collections/qua-tet/", status=404)


def test_a_content_page_shows_its_text_and_no_markup(db):
    kind = PageType.objects.create(name="Giới thiệu", slug="gioi-thieu")
    content = blocks_from_text("## Về chợ OCOP\n\nSản phẩm đạt 3 đến 5 sao.\n\n- Cà phê\n- Hạt điều")
    content["blocks"].append({"type": "paragraph", "data": {"text": "<script>alert(1)</script>Đồng Nai"}})
    Page.objects.create(page_type=kind, title="Giới thiệu", slug="gioi-thieu", content=content, is_published=True)
    Page.objects.create(page_type=kind, title="Nháp", slug="nhap", content=content, is_published=False)
    html = _page(_client(), "/pages/gioi-thieu/")
    assert "<h2>Về chợ OCOP</h2>" in html and "<li>Hạt điều</li>" in html
    assert "<script>alert" not in html and "Đồng Nai" in html
    _page(_client(), "/pages/nhap/", status=404)


def test_blocks_of_other_kinds_give_their_text():
    assert [
        b.text for b in content_blocks({"blocks": [{"type": "quote", "data": {"text": "&lt;b&gt;Hay&lt;/b&gt;"}}]})
    ] == ["Hay"]
    assert content_blocks(None) == [] and content_blocks("not blocks") == []


def test_both_are_in_the_sitemap(storefront: Storefront):
    _collection(storefront)
    kind = PageType.objects.create(name="Giới thiệu", slug="gioi-thieu")
    Page.objects.create(page_type=kind, title="Giới thiệu", slug="gioi-thieu", is_published=True)
    client = _client()
    collections = client.get("/sitemap-collections-1.xml").content.decode()
    pages = client.get("/sitemap-content-1.xml").content.decode()
    assert "/collections/qua-tet/" in collections and "/pages/gioi-thieu/?hl=en" in pages


def test_a_collection_page_reads_a_bounded_number_of_queries(storefront: Storefront, django_assert_max_num_queries):
    collection = _collection(storefront)
    for n in range(30):
        product = make_product(name=f"Quà {n:02d}")
        make_certification(product, stars=4)
        _list(product)
        CollectionProduct.objects.create(collection=collection, product=product)
    with django_assert_max_num_queries(6):  # the collection, the count, the page, prices, images
        assert _client().get("/collections/qua-tet/?page=2").status_code == 200


def test_a_product_page_links_to_its_collections(storefront: Storefront):
    _collection(storefront)
    html = _page(_client("en"), f"/p/{storefront.coffee.slug}/")
    assert 'href="/collections/qua-tet/">Tết gifts</a>' in html
    assert "/collections/qua-tet/" not in _page(_client(), f"/p/{storefront.delisted.slug}/")  # not for sale
