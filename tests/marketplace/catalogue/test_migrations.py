"""The migration that adds English slugs fills them for the rows that have an English name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from marketplace.catalogue.models import Category, Collection, Product
from tests.factories import make_producer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalogue", "0003_collections")


def test_existing_rows_get_english_slugs_from_their_english_names():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    producer = make_producer()
    old_product = old.get_model("catalogue", "Product")
    old_product.objects.create(
        registry_id="P-1", slug="mat-ong", name="Mật ong", name_en="Đồng Nai honey", producer_id=producer.pk
    )
    old_product.objects.create(
        registry_id="P-2", slug="dong-nai-honey", name="Mật ong khác", name_en="", producer_id=producer.pk
    )
    old_product.objects.create(
        registry_id="P-3", slug="banh-pia", name="Bánh pía", name_en="Pia cake", producer_id=producer.pk
    )
    old.get_model("catalogue", "Category").objects.create(
        kind="group", scheme="2023", code="I", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    old.get_model("catalogue", "Collection").objects.create(name="5 sao", name_en="", slug="5-sao")

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # "dong-nai-honey" is another product's Vietnamese slug: the English one steps aside.
    assert dict(Product.objects.values_list("registry_id", "slug_en")) == {
        "P-1": "dong-nai-honey-2",
        "P-2": "",
        "P-3": "pia-cake",
    }
    assert Category.objects.get().slug_en == "food"
    assert Collection.objects.get().slug_en == ""
