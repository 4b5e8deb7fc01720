"""The behaviour both backends share (PostgreSQL always; Elasticsearch when ELASTICSEARCH_URL is set)."""

import datetime

import pytest

from marketplace.catalogue.models import Category
from search.backends.base import Facet, SearchFilters, SearchQuery, SortField
from search.backends.postgres import PostgresBackend
from search.selectors import product_search
from tests.factories import delist, make_outlet, make_producer


def found(backend, text: str = "", **query) -> list[str]:
    result = product_search(query=SearchQuery(text=text, **query), backend=backend)
    return [name for name in _names(result.product_ids)]


def _names(ids: list[int]) -> list[str]:
    from marketplace.catalogue.models import Product

    names = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [names[pk] for pk in ids]


@pytest.fixture
def shelf(catalogue, index):
    """A small catalogue with look-alike names."""
    products = {
        "cashew": catalogue(name="Hạt điều rang muối Bình Phước", producer_fields={"name": "Công ty Điều Vàng"}),
        "pepper": catalogue(name="Hạt tiêu chín đỏ", producer_fields={"name": "Hộ kinh doanh Tiêu Xanh"}),
        "coffee": catalogue(name="Cà phê rang xay Định Quán", producer_fields={"name": "HTX Cà phê Sơn Nguyên"}),
        "pomelo": catalogue(
            name="Bưởi Tân Triều",
            producer_fields={"name": "Hợp tác xã Bưởi Tân Triều", "commune_today": "Xã Trị An"},
        ),
        "wine": catalogue(name="Rượu đào Đồng Nai", producer_fields={"name": "Cơ sở Rượu Ông Tư"}),
        "honey": catalogue(
            name="Mật ong rừng Mã Đà",
            producer_fields={"name": "Tổ hợp tác Ong Mật Phú Lý", "commune_today": "Xã Phú Lý"},
        ),
    }
    index(*products.values())
    return products


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ca phe", "Cà phê rang xay Định Quán"),
        ("CÀ PHÊ", "Cà phê rang xay Định Quán"),
        ("dong nai", "Rượu đào Đồng Nai"),
        ("buoi tan trieu", "Bưởi Tân Triều"),
        ("hat dieu", "Hạt điều rang muối Bình Phước"),
        ("diều", "Hạt điều rang muối Bình Phước"),
        ("hat deiu", "Hạt điều rang muối Bình Phước"),
        ("hạt điêu", "Hạt điều rang muối Bình Phước"),
        ("hat dieuu", "Hạt điều rang muối Bình Phước"),
        ("ruou dao", "Rượu đào Đồng Nai"),
    ],
)
def test_vietnamese_as_people_type_it(backend, shelf, text, expected):
    assert found(backend, text)[0] == expected


def test_a_typo_does_not_bring_look_alike_products(backend, shelf):
    assert found(backend, "hat deiu") == ["Hạt điều rang muối Bình Phước"]
    assert found(backend, "hat tieu") == ["Hạt tiêu chín đỏ"]


def test_producer_and_commune_names_match(backend, shelf):
    assert found(backend, "dieu vang") == ["Hạt điều rang muối Bình Phước"]
    assert found(backend, "son nguyen") == ["Cà phê rang xay Định Quán"]
    assert found(backend, "phu ly") == ["Mật ong rừng Mã Đà"]
    assert found(backend, "tri an") == ["Bưởi Tân Triều"]


def test_exact_name_ranks_first(backend, catalogue, index):
    longer = catalogue(name="Mật ong hoa cà phê", producer_fields={"name": "HTX Mật ong Đồng Nai"})
    exact = catalogue(name="Mật ong", producer_fields={"name": "Hộ Ba Lan"})
    candy = catalogue(name="Kẹo mật ong gừng", producer_fields={"name": "Hộ Bảy Hoa"})
    index(longer, exact, candy)

    names = found(backend, "mat ong")

    assert names[0] == "Mật ong"
    assert set(names) == {"Mật ong", "Mật ong hoa cà phê", "Kẹo mật ong gừng"}


@pytest.fixture
def tiers(catalogue, index):
    """Matches of "mat ong" in every tier, with ties on stars and on the folded name, and one non-match."""

    def make(name: str, stars: int, **fields):
        return catalogue(name=name, stars=stars, **fields)

    products = {
        "exact": make("Mật ong", 3, name_en="Honey"),
        "candy": make("Kẹo mật ong gừng", 5),
        "forest": make("Mật ong rừng", 3),
        "cake": make("Bánh mật ong", 3),
        "forest_again": make("Mật ong rừng", 3),  # same name and stars as "forest": by id
        "english": make("Wild forest honey", 4, name_en="Mat ong rung"),  # the English name holds the words
        "pollen": make("Phấn hoa", 5, producer_fields={"name": "HTX Mật Ong Đồng Nai"}),
        "candle": make("Nến thơm", 4, description="Sáp ong, mật ong rừng"),  # in the description only: no match
        "teapot": make("Ấm trà", 4, description="Gốm Biên Hòa, mật ong"),  # the same
        "wine": make("Rượu đào", 5, description="Đào Đồng Nai"),  # no match
    }
    index(*products.values())
    return products


# Exact name; the names (or English names) holding every word; the rest. Within each: stars, name, id.
TIER_ORDER = ["exact", "candy", "english", "cake", "forest", "forest_again", "pollen"]


def test_relevance_ranks_in_tiers_then_stars_then_folded_name_then_id(backend, tiers):
    result = product_search(query=SearchQuery(text="Mật Ong"), backend=backend)

    assert result.product_ids == [tiers[key].pk for key in TIER_ORDER]
    assert result.total == 7
    assert not result.corrected
    assert {v.value: v.count for v in result.facets[Facet.STARS]} == {"5": 2, "4": 1, "3": 4}


def test_the_tiers_hold_for_a_typo_and_for_a_page(backend, tiers):
    corrected = product_search(query=SearchQuery(text="mat ongg"), backend=backend)  # "ongg": one edit from "ong"
    pages = [product_search(query=SearchQuery(text="mat ong", offset=n, limit=4), backend=backend) for n in (0, 4)]

    # "mat ongg" is no product's name: "Mật ong" ranks among the other names, by stars then name.
    expected = ["candy", "english", "cake", "exact", "forest", "forest_again", "pollen"]
    assert corrected.product_ids == [tiers[key].pk for key in expected]
    assert corrected.corrected and corrected.corrected_text == "mat ong"
    assert [pk for page in pages for pk in page.product_ids] == [tiers[key].pk for key in TIER_ORDER]
    assert {page.total for page in pages} == {7}
    assert not any(page.corrected for page in pages)


def test_delisted_products_never_appear_even_while_still_indexed(backend, shelf):
    delist(shelf["coffee"])  # not reindexed: the index still holds it

    result = product_search(query=SearchQuery(text="ca phe"), backend=backend)

    assert result.product_ids == []
    assert "Cà phê rang xay Định Quán" not in found(backend)


def test_filters(backend, catalogue, index):
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    showroom = make_outlet(name="Showroom OCOP Biên Hòa")
    household = make_producer(name="Hộ Năm Lành", kind="household", commune_today="Xã Phú Lý")
    a = catalogue(name="Trà mãng cầu", stars=5, price=50_000, group=group, outlet=showroom)
    b = catalogue(name="Trà sen", stars=3, price=150_000, producer=household)
    c = catalogue(name="Trà gừng", stars=4, price=250_000, group=group, quantity=0)
    index(a, b, c)

    def names(**filters):
        return sorted(found(backend, "tra", filters=SearchFilters(**filters)))

    assert names() == ["Trà gừng", "Trà mãng cầu", "Trà sen"]
    assert names(stars=(5, 3)) == ["Trà mãng cầu", "Trà sen"]
    assert names(group_ids=(group.pk,)) == ["Trà gừng", "Trà mãng cầu"]
    assert names(communes=("Xã Phú Lý",)) == ["Trà sen"]
    assert names(producer_kinds=("household",)) == ["Trà sen"]
    assert names(outlet_ids=(showroom.pk,)) == ["Trà mãng cầu"]
    assert names(price_min=100_000) == ["Trà gừng", "Trà sen"]
    assert names(price_min=100_000, price_max=200_000) == ["Trà sen"]
    assert names(stars=(4,), group_ids=(group.pk,)) == ["Trà gừng"]


def test_facet_counts_ignore_only_their_own_filter(backend, catalogue, index):
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    showroom = make_outlet(name="Showroom OCOP Biên Hòa")
    products = [
        catalogue(name="Bánh pía sầu riêng", stars=5, group=group, outlet=showroom),
        catalogue(name="Bánh tráng phơi sương", stars=4, group=group, outlet=showroom),
        catalogue(name="Bánh tét lá cẩm", stars=4, producer_fields={"kind": "household"}),
        catalogue(name="Nước mắm", stars=3),  # not a match
    ]
    index(*products)

    result = product_search(query=SearchQuery(text="banh", filters=SearchFilters(stars=(4,))), backend=backend)
    facets = {facet: {v.value: v.count for v in values} for facet, values in result.facets.items()}

    assert result.total == 2
    assert facets[Facet.STARS] == {"5": 1, "4": 2}  # its own filter ignored
    assert facets[Facet.GROUP] == {str(group.pk): 1}
    assert facets[Facet.PRODUCER_KIND] == {"cooperative": 1, "household": 1}
    assert facets[Facet.OUTLET][str(showroom.pk)] == 1
    assert facets[Facet.COMMUNE] == {"Phường Tân Triều": 2}
    labels = {v.value: v.label for v in result.facets[Facet.OUTLET]}
    assert labels[str(showroom.pk)] == "Showroom OCOP Biên Hòa"
    assert [v.label for v in result.facets[Facet.GROUP]] == ["Thực phẩm"]


def test_sorts(backend, catalogue, index):
    cheap = catalogue(name="Chuối sấy dẻo", stars=3, price=30_000)
    dear = catalogue(name="Chuối sấy giòn", stars=5, price=90_000)
    middle = catalogue(name="Chuối sấy mật ong", stars=4, price=60_000)
    from marketplace.catalogue.models import Product

    Product.objects.filter(pk=cheap.pk).update(created_at=cheap.created_at - datetime.timedelta(days=2))
    Product.objects.filter(pk=dear.pk).update(created_at=dear.created_at - datetime.timedelta(days=1))
    index(cheap, dear, middle)

    def order(sort, descending):
        return found(backend, "chuoi", sort=sort, descending=descending)

    assert order(SortField.PRICE, False) == ["Chuối sấy dẻo", "Chuối sấy mật ong", "Chuối sấy giòn"]
    assert order(SortField.PRICE, True) == ["Chuối sấy giòn", "Chuối sấy mật ong", "Chuối sấy dẻo"]
    assert order(SortField.STARS, True) == ["Chuối sấy giòn", "Chuối sấy mật ong", "Chuối sấy dẻo"]
    assert order(SortField.NEWEST, True) == ["Chuối sấy mật ong", "Chuối sấy giòn", "Chuối sấy dẻo"]


def test_paging_and_total(backend, catalogue, index):
    index(*[catalogue(name=f"Khô gà lá chanh {n}") for n in range(5)])

    first = product_search(query=SearchQuery(text="kho ga", limit=2), backend=backend)
    rest = product_search(query=SearchQuery(text="kho ga", offset=2, limit=10), backend=backend)

    assert first.total == rest.total == 5
    assert len(first.product_ids) == 2 and len(rest.product_ids) == 3
    assert not set(first.product_ids) & set(rest.product_ids)


def test_remove_and_reset(backend, shelf):
    backend.remove([shelf["wine"].pk])
    assert found(backend, "ruou") == []
    backend.reset()
    assert found(backend) == []


@pytest.mark.parametrize("text", ["ca phe", "dong nai", "hat deiu", "hatdieu", "khong co gi"])
def test_the_page_without_counting_is_the_counted_page_typo_and_fallback_included(backend, shelf, text):
    """`products(search:)` asks for ranked ids only (`counts=False`): an empty first page then decides the
    fallback instead of a total of 0, and the ids are those of the counted search."""
    counted = backend.search(SearchQuery(text=text, limit=50, facets=False))
    uncounted = backend.search(SearchQuery(text=text, limit=50, counts=False, facets=False))

    assert uncounted.product_ids == counted.product_ids
    if text == "hatdieu" and not isinstance(backend, PostgresBackend):
        pytest.skip("words run together are found by PostgreSQL's trigram fallback, which Elasticsearch has not")
    assert bool(counted.product_ids) == (text != "khong co gi")


# --- Precision: phrases, strong fields, whole words, typos only when nothing matches, English ------------------


def test_words_that_belong_together_match_as_a_phrase_not_apart(backend, catalogue, index):
    honey = catalogue(name="Mật ong rừng Mã Đà")
    apart = catalogue(name="Rượu mật nhân", producer_fields={"name": "Cơ sở Ong Xanh"})  # "mật" and "ong", apart
    dragon_fruit = catalogue(name="Thanh long ruột đỏ")
    rambutan = catalogue(name="Chôm chôm", producer_fields={"name": "Cơ sở Thanh Hà", "commune_today": "Xã Long Phước"})
    index(honey, apart, dragon_fruit, rambutan)

    assert found(backend, "mật ong") == ["Mật ong rừng Mã Đà"]
    assert found(backend, "mat ong") == ["Mật ong rừng Mã Đà"]
    assert found(backend, "thanh long") == ["Thanh long ruột đỏ"]


def test_a_kind_and_a_place_are_cut_where_no_product_has_them_side_by_side(backend, catalogue, index):
    here = catalogue(name="Hạt điều rang muối", producer_fields={"commune_today": "Xã Xuân Hòa"})
    elsewhere = catalogue(name="Hạt điều rang muối", producer_fields={"commune_today": "Xã Phú Lý"})
    index(here, elsewhere)

    assert [pk for pk in product_search(query=SearchQuery(text="hat dieu xuan hoa"), backend=backend).product_ids] == [
        here.pk
    ]


def test_a_description_or_a_product_set_of_several_kinds_alone_is_no_match(backend, catalogue, index):
    candle = catalogue(name="Nến thơm", description="Sáp ong, mật ong rừng")
    cocoa = catalogue(name="Bột ca cao nguyên chất", product_set="Cà phê, ca cao")
    tea = catalogue(name="Ấm gốm", product_set="Trà và các sản phẩm từ trà")  # one kind: the set says what it is
    index(candle, cocoa, tea)

    assert found(backend, "mat ong") == []
    assert found(backend, "ca phe") == []
    assert found(backend, "ca cao") == ["Bột ca cao nguyên chất"]
    assert found(backend, "trà") == ["Ấm gốm"]


def test_only_an_unfinished_last_word_is_a_prefix(backend, catalogue, index):
    cashew = catalogue(name="Hạt điều nhân trắng")
    tea = catalogue(name="Trà mãng cầu")
    index(cashew, tea)

    assert found(backend, "hat di") == ["Hạt điều nhân trắng"]  # being typed
    assert found(backend, "nhan tr") == ["Hạt điều nhân trắng"]
    assert found(backend, "tra") == ["Trà mãng cầu"]  # a whole word: not "trắng"
    assert found(backend, "hat dieu nhan") == ["Hạt điều nhân trắng"]


def test_typos_are_corrected_only_when_the_words_find_nothing_and_the_result_says_so(backend, catalogue, index):
    cashew = catalogue(name="Hạt điều rang muối")
    pepper = catalogue(name="Hạt tiêu đen")
    index(cashew, pepper)

    exact = product_search(query=SearchQuery(text="hạt tiêu"), backend=backend)
    typo = product_search(query=SearchQuery(text="hat deiu"), backend=backend)

    assert not exact.corrected and exact.product_ids == [pepper.pk]
    assert typo.corrected and typo.product_ids == [cashew.pk]
    assert typo.corrected_text == "hat dieu"


@pytest.mark.parametrize("text", ["tre", "xen", "buoi", "honey", "bưởi", "hat tieu"])
def test_short_words_and_words_of_the_vocabulary_are_never_corrected(backend, catalogue, index, text):
    """Not typos: "tre" is one letter from "trà", "xen" from "sen", "buoi" (bưởi, pomelo) from "muoi" (muối,
    salt), "tieu" (pepper) from "dieu" (cashew), "honey" has the trigrams of "hồng"."""
    index(catalogue(name="Trà sen"), catalogue(name="Hạt điều muối hồng"), catalogue(name="Muối tôm"))

    result = product_search(query=SearchQuery(text=text), backend=backend)

    assert (text, result.product_ids, result.corrected) == (text, [], False)


def test_english_words_find_vietnamese_products(backend, catalogue, index):
    group = Category.objects.create(
        kind="group", scheme="2023", code="IV", name="Thủ công mỹ nghệ", name_en="Handicrafts", slug="thu-cong"
    )
    products = [
        catalogue(name="Mật ong rừng Mã Đà"),
        catalogue(name="Hạt điều rang muối"),
        catalogue(name="Sô cô la sữa Thanh Y Cacao"),
        catalogue(name="Dưa lưới Inthanol RZ", name_en="Inthanol RZ cantaloupe"),
        catalogue(name="Giỏ đan lục bình", group=group),
        catalogue(name="Bột ca cao nguyên chất"),
    ]
    index(*products)

    assert found(backend, "honey") == ["Mật ong rừng Mã Đà"]
    assert found(backend, "cashews") == found(backend, "cashew") == ["Hạt điều rang muối"]
    assert found(backend, "salted cashews") == ["Hạt điều rang muối"]
    assert found(backend, "chocolate") == ["Sô cô la sữa Thanh Y Cacao"]
    assert found(backend, "melon") == found(backend, "cantaloupe") == ["Dưa lưới Inthanol RZ"]
    assert found(backend, "handicrafts") == ["Giỏ đan lục bình"]
    assert sorted(found(backend, "cocoa")) == ["Bột ca cao nguyên chất", "Sô cô la sữa Thanh Y Cacao"]
