"""The index follows the catalogue: marks, the indexing task, documents and the rebuild command."""

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog_sync.sync import run_sync
from marketplace.catalogue.models import Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.inventory.models import Stock
from search.backends.base import SearchQuery
from search.backends.postgres import PostgresBackend
from search.documents import build_documents
from search.indexing import INDEXING_LOCK_KEY, search_index_marked_products, search_mark_products
from search.models import ProductSearchDocument, SearchIndexMark
from search.tasks import index_marked_products_task
from tests.catalog_sync.helpers import cert
from tests.factories import delist, make_outlet, make_stock, make_variant


def marked() -> set[int]:
    return set(SearchIndexMark.objects.values_list("product_id", flat=True))


def indexed() -> set[int]:
    return set(ProductSearchDocument.objects.values_list("product_id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_sync_marks_what_it_changed_and_the_task_follows(registry_sim):
    sim = registry_sim([cert("C-1", product_id="P-1", product_name="Hạt điều rang muối", minute=1)])
    run_sync()
    product = Product.objects.get(registry_id="P-1")
    assert product.pk in marked()

    assert index_marked_products_task.delay().get(disable_sync_subtasks=False) == {"indexed": 1, "removed": 0}
    assert marked() == set()
    assert PostgresBackend().search(SearchQuery(text="hat deiu")).product_ids == [product.pk]

    sim.write(
        [cert("C-1", product_id="P-1", product_name="Hạt điều rang muối", revision=2, status="revoked", minute=2)]
    )
    run_sync()
    assert product.pk in marked()
    assert index_marked_products_task.delay().get(disable_sync_subtasks=False) == {"indexed": 0, "removed": 1}
    assert indexed() == set()


def test_price_and_stock_changes_mark_the_product(catalogue):
    product = catalogue(name="Khô cá lóc")
    SearchIndexMark.objects.all().delete()
    stock = Stock.objects.get(variant__product=product)

    stock.quantity_allocated = stock.quantity
    stock.save()
    assert marked() == {product.pk}
    search_index_marked_products()
    assert ProductSearchDocument.objects.get(pk=product.pk).outlet_ids == []

    variant = product.variants.get()
    listing = variant.channel_listings.get()
    listing.price_amount = 99_000
    listing.save()
    assert marked() == {product.pk}
    search_index_marked_products()
    assert ProductSearchDocument.objects.get(pk=product.pk).price_min == 99_000
    assert marked() == set()


def test_a_delisting_marks_the_product_and_the_task_removes_it(catalogue, django_capture_on_commit_callbacks):
    product = catalogue(name="Rượu đào")
    search_index_marked_products()
    assert product.pk in indexed()

    with django_capture_on_commit_callbacks(execute=True):
        delist(product)
    assert marked() == {product.pk}

    counts = search_index_marked_products()
    assert (counts.indexed, counts.removed) == (0, 1)
    assert indexed() == set()


def test_a_mark_made_while_its_batch_is_indexed_is_kept(catalogue):
    product = catalogue(name="Trà mãng cầu")
    other = catalogue(name="Trà sen")

    class MarkingAgain(PostgresBackend):
        def index(self, documents):
            super().index(documents)
            search_mark_products(product_ids=[product.pk])  # a concurrent change arrives

    search_index_marked_products(backend=MarkingAgain())
    assert marked() == {product.pk}
    assert indexed() == {product.pk, other.pk}

    search_index_marked_products()
    search_index_marked_products()  # nothing left: harmless
    assert marked() == set()


def test_marks_are_worked_off_in_batches(catalogue):
    products = [catalogue(name=f"Bánh tráng {n}") for n in range(5)]

    counts = search_index_marked_products(batch_size=2, max_batches=2)

    assert counts.indexed == 4
    assert len(marked()) == 1
    search_index_marked_products(batch_size=2)
    assert indexed() == {p.pk for p in products}


def test_documents_are_built_in_a_constant_number_of_queries(catalogue):
    products = [catalogue(name=f"Nấm linh chi {n}", price=100_000 + n) for n in range(10)]
    rich = products[0]
    make_stock(make_variant(rich, price=40_000), make_outlet(name="Điểm bán Trị An"), quantity=3)
    make_stock(make_variant(rich, price=400_000), make_outlet(name="Hết hàng"), quantity=2, quantity_allocated=2)
    delist(products[-1])

    with CaptureQueriesContext(connection) as one:
        build_documents([rich.pk])
    with CaptureQueriesContext(connection) as many:
        documents = build_documents([p.pk for p in products])

    assert len(one) == len(many) == 3
    assert len(documents) == 9
    document = next(d for d in documents if d.product_id == rich.pk)
    assert (document.price_min, document.price_max) == (40_000, 400_000)
    assert document.stars == 4
    assert "Điểm bán Trị An" in document.outlet_names
    assert "Hết hàng" not in document.outlet_names
    assert len(document.outlet_ids) == 2


def test_rebuild_command_reports_progress(catalogue):
    products = [catalogue(name=f"Mứt mãng cầu {n}") for n in range(3)]
    hidden = catalogue(name="Mứt gừng")
    delist(hidden)
    ProductSearchDocument.objects.all().delete()
    out = io.StringIO()

    call_command("rebuild_search_index", batch_size=2, stdout=out)

    assert out.getvalue().splitlines() == [
        "indexed 2/3 listed products",
        "indexed 3/3 listed products",
        "Search index rebuilt: 3 products indexed.",
    ]
    assert indexed() == {p.pk for p in products}
    assert marked() == set()


def test_listing_through_the_gate_marks_on_commit(catalogue, django_capture_on_commit_callbacks):
    product = catalogue(name="Hạt tiêu")
    delist(product)
    SearchIndexMark.objects.all().delete()
    certification = product.current_certification
    certification.valid_until = certification.valid_until.replace(year=certification.valid_until.year + 5)
    certification.save()

    with django_capture_on_commit_callbacks(execute=True):
        products_refresh_listing(product_ids=[product.pk], trigger="staff")

    assert marked() == {product.pk}


def test_the_task_skips_while_another_run_holds_the_lock(catalogue):
    product = catalogue(name="Bánh pía")
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"], host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"]
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [INDEXING_LOCK_KEY])
        skipped = index_marked_products_task.delay().get(disable_sync_subtasks=False)
        assert skipped == {"indexed": 0, "removed": 0, "skipped": 1}
        assert product.pk in marked()
    finally:
        # Closing the connection does not wait for the server to drop the session's lock: unlock explicitly.
        other.execute("SELECT pg_advisory_unlock(%s)", [INDEXING_LOCK_KEY])
        other.close()
    assert index_marked_products_task.delay().get(disable_sync_subtasks=False) == {"indexed": 1, "removed": 0}
