"""The sync gives products an English slug made from the registry's English name."""

import copy

import pytest

from catalog_sync.sync import run_sync
from marketplace.catalogue.models import Category, Product
from tests.catalog_sync.helpers import cert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_images(settings):
    settings.OCOP_SYNC_IMAGES = False


def _named(record: dict, name_en: str) -> dict:
    record = copy.deepcopy(record)
    record["product"]["name_en"] = name_en
    return record


def test_new_products_get_distinct_english_slugs_and_keep_them(registry_sim):
    first = cert("C-1", product_id="P-1", product_name="Mật ong rừng", minute=1)
    second = cert("C-2", product_id="P-2", product_name="Mật ong hoa cà phê", minute=2)
    unnamed = _named(cert("C-3", product_id="P-3", product_name="Bánh pía", minute=3), "")
    registry_sim([_named(first, "Đồng Nai honey"), _named(second, "Đồng Nai honey"), unnamed])

    run_sync()

    slugs = dict(Product.objects.values_list("registry_id", "slug_en"))
    assert slugs == {"P-1": "dong-nai-honey", "P-2": "dong-nai-honey-2", "P-3": ""}
    group = Category.objects.get(kind=Category.Kind.GROUP)  # "Thực phẩm", named in English by the sync
    assert (group.name_en, group.slug_en) == ("Food", "food")


def test_a_product_gets_an_english_slug_when_the_registry_adds_its_english_name(registry_sim):
    record = _named(cert("C-1", product_id="P-1", product_name="Bánh pía", minute=1), "")
    registry_sim([record])
    run_sync()
    renamed = _named(cert("C-1", product_id="P-1", product_name="Bánh pía", revision=2, minute=2), "Pia cake")
    registry_sim([record, renamed])

    run_sync()

    assert Product.objects.get(registry_id="P-1").slug_en == "pia-cake"
