import base64

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.services import products_refresh_listing
from tests.factories import (
    delist,
    make_certification,
    make_outlet,
    make_producer,
    make_product,
    make_stock,
    make_variant,
)


def _group(code: str, name: str, name_en: str, slug: str) -> Category:
    return Category.objects.create(kind="group", scheme="2023", code=code, name=name, name_en=name_en, slug=slug)


def listed(*, stars: int = 4, district: str = "Huyện Thống Nhất", commune: str = "Xã Dầu Giây", **fields) -> Product:
    product = make_product(
        producer=make_producer(address_district=district, commune_today=commune, address_commune="Xã Quang Trung"),
        **fields,
    )
    make_certification(product, stars=stars)
    make_stock(make_variant(product), make_outlet())
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    return product


PRODUCT_ATTRIBUTES = """
query($slug: String!) {
  product(slug: $slug) {
    attributes {
      attribute { id slug name inputType translation(languageCode: EN) { name } }
      values { id name slug translation(languageCode: EN) { name } }
    }
  }
}
"""


def test_product_shows_stars_group_district_and_commune_as_attributes(graphql):
    group = _group("I", "Thực phẩm", "Food", "thuc-pham")
    product = listed(stars=5, group=group, district="Huyện Thống Nhất", commune="Xã Dầu Giây")

    data = graphql(PRODUCT_ATTRIBUTES, {"slug": product.slug})

    assert "errors" not in data
    attributes = {a["attribute"]["slug"]: a for a in data["data"]["product"]["attributes"]}
    assert list(attributes) == ["ocop-stars", "ocop-group", "district", "commune"]
    stars = attributes["ocop-stars"]
    assert stars["attribute"]["name"] == "Hạng sao OCOP"
    assert stars["attribute"]["inputType"] == "DROPDOWN"
    assert stars["attribute"]["translation"] == {"name": "OCOP stars"}
    assert base64.b64decode(stars["attribute"]["id"]).decode() == "Attribute:1"
    assert stars["values"] == [
        {
            "id": base64.b64encode(b"AttributeValue:ocop-stars:5").decode(),
            "name": "5 sao",
            "slug": "5",
            "translation": {"name": "5 stars"},
        }
    ]
    assert [(v["name"], v["slug"]) for v in attributes["ocop-group"]["values"]] == [("Thực phẩm", "thuc-pham")]
    assert attributes["ocop-group"]["values"][0]["translation"] == {"name": "Food"}
    assert [(v["name"], v["slug"]) for v in attributes["district"]["values"]] == [
        ("Huyện Thống Nhất", "huyen-thong-nhat")
    ]
    assert [(v["name"], v["slug"]) for v in attributes["commune"]["values"]] == [("Xã Dầu Giây", "xa-dau-giay")]


def test_attributes_and_their_choices(graphql):
    _group("I", "Thực phẩm", "Food", "thuc-pham")
    listed(commune="Phường Trấn Biên", district="Thành phố Biên Hòa")
    listed(commune="Xã Dầu Giây")
    hidden = listed(commune="Xã Phú Lý", district="Huyện Vĩnh Cửu")
    delist(hidden)

    everything = graphql("{ attributes(first: 10) { totalCount edges { node { slug name } } } }")
    stars = graphql('{ attribute(slug: "ocop-stars") { choices(first: 10) { edges { node { slug name } } } } }')
    communes = graphql('{ attribute(slug: "commune") { choices(first: 10) { totalCount edges { node { slug } } } } }')
    districts = graphql('{ attribute(slug: "district") { choices(first: 10) { edges { node { name } } } } }')
    groups = graphql('{ attribute(slug: "ocop-group") { choices(first: 10) { edges { node { slug } } } } }')
    unknown = graphql('{ attribute(slug: "colour") { slug } }')
    by_id = graphql(
        "query($id: ID!) { attribute(id: $id) { slug } }", {"id": base64.b64encode(b"Attribute:4").decode()}
    )

    assert everything["data"]["attributes"]["totalCount"] == 4
    assert [e["node"]["slug"] for e in everything["data"]["attributes"]["edges"]] == [
        "ocop-stars",
        "ocop-group",
        "district",
        "commune",
    ]
    assert [(e["node"]["slug"], e["node"]["name"]) for e in stars["data"]["attribute"]["choices"]["edges"]] == [
        ("3", "3 sao"),
        ("4", "4 sao"),
        ("5", "5 sao"),
    ]
    # Only places of listed products are offered.
    assert communes["data"]["attribute"]["choices"]["totalCount"] == 2
    assert [e["node"]["slug"] for e in communes["data"]["attribute"]["choices"]["edges"]] == [
        "phuong-tran-bien",
        "xa-dau-giay",
    ]
    assert {e["node"]["name"] for e in districts["data"]["attribute"]["choices"]["edges"]} == {
        "Thành phố Biên Hòa",
        "Huyện Thống Nhất",
    }
    assert [e["node"]["slug"] for e in groups["data"]["attribute"]["choices"]["edges"]] == ["thuc-pham"]
    assert unknown == {"data": {"attribute": None}}
    assert by_id["data"]["attribute"] == {"slug": "commune"}


def _slugs(data: dict) -> list[str]:
    assert "errors" not in data, data
    return sorted(e["node"]["slug"] for e in data["data"]["products"]["edges"])


def test_filter_attributes_by_value_slugs(graphql):
    five = listed(stars=5)
    listed(stars=4)
    five_and_three = [five.slug, listed(stars=3).slug]
    query = "query($f: ProductFilterInput) { products(first: 10, filter: $f) { edges { node { slug } } } }"

    only_five = graphql(query, {"f": {"attributes": [{"slug": "ocop-stars", "values": ["5"]}]}})
    five_or_three = graphql(query, {"f": {"attributes": [{"slug": "ocop-stars", "values": ["5", "3"]}]}})
    unknown = graphql(query, {"f": {"attributes": [{"slug": "colour", "values": ["red"]}]}})

    assert _slugs(only_five) == [five.slug]
    assert _slugs(five_or_three) == sorted(five_and_three)
    assert _slugs(unknown) == []


def test_where_attributes_by_commune_and_district(graphql):
    group = _group("II", "Đồ uống", "Drinks", "do-uong")
    dau_giay = listed(commune="Xã Dầu Giây", district="Huyện Thống Nhất", group=group)
    tran_bien = listed(commune="Phường Trấn Biên", district="Thành phố Biên Hòa")
    listed(commune="Xã Phú Lý", district="Huyện Vĩnh Cửu", group=group)
    query = "query($w: ProductWhereInput) { products(first: 10, where: $w) { edges { node { slug } } } }"

    communes = graphql(
        query,
        {"w": {"attributes": [{"slug": "commune", "value": {"slug": {"oneOf": ["xa-dau-giay", "phuong-tran-bien"]}}}]}},
    )
    by_name = graphql(
        query, {"w": {"attributes": [{"slug": "district", "value": {"name": {"eq": "Thành phố Biên Hòa"}}}]}}
    )
    both = graphql(
        query,
        {
            "w": {
                "attributes": [
                    {"slug": "ocop-group", "value": {"slug": {"eq": "do-uong"}}},
                    {"slug": "district", "value": {"slug": {"eq": "huyen-thong-nhat"}}},
                ]
            }
        },
    )

    assert _slugs(communes) == sorted([dau_giay.slug, tran_bien.slug])
    assert _slugs(by_name) == [tran_bien.slug]
    assert _slugs(both) == [dau_giay.slug]


def test_a_page_with_attributes_runs_a_constant_number_of_queries(graphql):
    query = """
    query($first: Int!) {
      products(first: $first, filter: {attributes: [{slug: "ocop-stars", values: ["4"]}]}) {
        edges { node { slug attributes { attribute { slug name } values { name slug } } } }
      }
    }
    """
    counts = {}
    for first in (1, 5):
        while Product.objects.count() < first:
            listed()
        with CaptureQueriesContext(connection) as queries:
            data = graphql(query, {"first": first})
        assert len(data["data"]["products"]["edges"]) == first
        counts[first] = len(queries)

    assert counts[1] == counts[5]
