"""English slugs: made from the English name, unique among English slugs, never another row's Vietnamese slug."""

from marketplace.catalogue.groups import groups_name_in_english
from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.slugs import english_slug_fill, free_english_slugs
from tests.factories import make_product


def test_english_slugs_fold_vietnamese_letters_and_stay_unique(db):
    make_product(slug="honey", name_en="")  # another product's Vietnamese slug
    make_product(slug="mat-ong-rung", slug_en="forest-honey")
    own = make_product(slug="cashew")

    slugs = free_english_slugs(
        Product,
        {
            "a": ("Đồng Nai honey", "mat-ong-a"),
            "b": ("Dong Nai Honey", "mat-ong-b"),
            "c": ("Honey", "mat-ong-c"),
            "d": ("Forest honey", "mat-ong-d"),
            "e": ("Cashew", own.slug),
            "f": ("", "banh-pia"),
        },
    )

    assert slugs == {
        "a": "dong-nai-honey",
        "b": "dong-nai-honey-2",
        "c": "honey-2",
        "d": "forest-honey-2",
        "e": "cashew",  # its own Vietnamese slug may be its English one too
    }


def test_english_slug_fill_keeps_a_slug_once_given(db):
    category = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham")
    english_slug_fill(category)
    assert category.slug_en == ""

    category.name_en = "Food"
    english_slug_fill(category)
    category.save()
    category.name_en = "Foods"
    english_slug_fill(category)

    assert category.slug_en == "food"


def test_ocop_groups_get_their_english_names_and_slugs(db):
    food = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="thuc-pham-i-2023")
    drinks = Category.objects.create(kind="group", scheme="2023", code="II", name="Đồ  uống", slug="do-uong-ii-2023")
    unknown = Category.objects.create(kind="group", scheme="2023", code="IX", name="Khác", slug="khac-ix-2023")
    named = Category.objects.create(
        kind="group", scheme="2018", code="1", name="Thực phẩm", name_en="Foodstuffs", slug="thuc-pham-1-2018"
    )

    assert groups_name_in_english() == 2
    assert groups_name_in_english() == 0

    for category in (food, drinks, unknown, named):
        category.refresh_from_db()
    assert (food.name_en, food.slug_en) == ("Food", "food")
    assert (drinks.name_en, drinks.slug_en) == ("Beverages", "beverages")
    assert (unknown.name_en, unknown.slug_en) == ("", "")
    assert (named.name_en, named.slug_en) == ("Foodstuffs", "")  # staff's name is kept


def test_numbered_english_slugs_go_on_after_the_last_taken_in_two_statements(db, django_assert_num_queries):
    make_product(slug="honey-cake-vi", slug_en="honey-cake")  # shares the prefix, not the family
    for number in ("", "-2", "-3"):
        make_product(slug=f"mat-ong{number}", slug_en=f"honey{number}")
    make_product(slug="honey-4")  # a Vietnamese slug of the family
    wanted = {key: ("Honey", f"own-{key}") for key in range(5)}
    wanted["cake"] = ("Honey cake", "own-cake")

    with django_assert_num_queries(2):
        slugs = free_english_slugs(Product, wanted)

    assert slugs == {0: "honey-5", 1: "honey-6", 2: "honey-7", 3: "honey-8", 4: "honey-9", "cake": "honey-cake-2"}
