import base64

from marketplace.catalogue.models import Category
from tests.factories import make_producer
from tests.storefront_api.conftest import delist, listed_product


def _id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def test_shop_and_channels(graphql, channel):
    data = graphql("""{
      shop { name defaultCountry { code country } channelCurrencies languages { code language } }
      channels { id slug name currencyCode isActive defaultCountry { code } }
      channel(slug: "default-channel") { slug currencyCode }
      unknown: channel(slug: "nowhere") { slug }
    }""")

    assert "errors" not in data
    assert data["data"]["shop"] == {
        "name": channel.name,
        "defaultCountry": {"code": "VN", "country": "Vietnam"},
        "channelCurrencies": ["VND"],
        "languages": [{"code": "VI", "language": "Vietnamese"}, {"code": "EN", "language": "English"}],
    }
    assert data["data"]["channels"] == [
        {
            "id": _id("Channel", channel.pk),
            "slug": "default-channel",
            "name": channel.name,
            "currencyCode": "VND",
            "isActive": True,
            "defaultCountry": {"code": "VN"},
        }
    ]
    assert data["data"]["channel"] == {"slug": "default-channel", "currencyCode": "VND"}
    assert data["data"]["unknown"] is None


def test_categories_and_category(graphql):
    group = Category.objects.create(
        kind="group", scheme="2023", code="I", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    product_set = Category.objects.create(
        kind="product_set", scheme="2023", parent=group, name="Rau, củ, quả, hạt tươi", slug="rau-cu-qua"
    )

    listing = graphql("{ categories(first: 10) { totalCount edges { node { id name slug level parent { slug } } } } }")
    groups = graphql("{ categories(first: 10, level: 0) { edges { node { slug } } } }")
    by_slug = graphql('{ category(slug: "thuc-pham") { name translation(languageCode: EN) { name } } }')
    by_id = graphql("query($id: ID!) { category(id: $id) { slug } }", {"id": _id("Category", product_set.pk)})

    assert listing["data"]["categories"]["totalCount"] == 2
    assert [e["node"] for e in listing["data"]["categories"]["edges"]] == [
        {
            "id": _id("Category", product_set.pk),
            "name": product_set.name,
            "slug": "rau-cu-qua",
            "level": 1,
            "parent": {"slug": "thuc-pham"},
        },
        {"id": _id("Category", group.pk), "name": "Thực phẩm", "slug": "thuc-pham", "level": 0, "parent": None},
    ]
    assert [e["node"]["slug"] for e in groups["data"]["categories"]["edges"]] == ["thuc-pham"]
    assert by_slug["data"]["category"] == {"name": "Thực phẩm", "translation": {"name": "Food"}}
    assert by_id["data"]["category"] == {"slug": "rau-cu-qua"}


def test_producers_are_those_with_listed_products(graphql):
    selling = listed_product(producer=make_producer(name="HTX Bưởi Tân Triều", phone="0251 3000 000")).producer
    delisted = listed_product()
    delist(delisted)
    make_producer()  # nothing certified

    listing = graphql("{ producers(first: 10) { totalCount edges { node { id name phone kind } } } }")
    found = graphql(
        "query($id: ID!) { producer(id: $id) { name address { line province } } }", {"id": _id("Producer", selling.pk)}
    )
    hidden = graphql("query($id: ID!) { producer(id: $id) { name } }", {"id": _id("Producer", delisted.producer.pk)})

    assert listing["data"]["producers"] == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "id": _id("Producer", selling.pk),
                    "name": "HTX Bưởi Tân Triều",
                    "phone": "0251 3000 000",
                    "kind": "COOPERATIVE",
                }
            }
        ],
    }
    assert found["data"]["producer"] == {
        "name": "HTX Bưởi Tân Triều",
        "address": {"line": "", "province": "Tỉnh Đồng Nai"},
    }
    assert hidden == {"data": {"producer": None}}


def test_categories_page_loads_parents_in_one_query(graphql, django_assert_max_num_queries):
    for code in ("I", "II", "III"):
        group = Category.objects.create(kind="group", scheme="2023", code=code, name=f"Nhóm {code}", slug=f"g-{code}")
        for n in range(5):
            Category.objects.create(
                kind="product_set", scheme="2023", parent=group, name=f"Bộ {n}", slug=f"s-{code}-{n}"
            )

    with django_assert_max_num_queries(2):
        data = graphql("{ categories(first: 100) { edges { node { name parent { name } } } } }")

    assert len(data["data"]["categories"]["edges"]) == 18
