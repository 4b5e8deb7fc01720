"""Orders move stock: search learns of it in the same commit; the cached catalogue counts are left alone."""

from __future__ import annotations

from marketplace.catalogue.read_cache import CATALOGUE, catalogue_version
from marketplace.orders.services import order_cancel
from search.models import SearchIndexMark
from tests.marketplace.checkout.helpers import place_cash_pickup_order


def test_placing_and_canceling_an_order_marks_its_products_for_search_only(shop, django_capture_on_commit_callbacks):
    SearchIndexMark.objects.all().delete()
    version = catalogue_version(scope=CATALOGUE)
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_cash_pickup_order(shop)
    marked = set(SearchIndexMark.objects.values_list("product_id", flat=True))
    assert marked == {shop.coffee.pk, shop.cashew.pk}
    assert catalogue_version(scope=CATALOGUE) == version

    SearchIndexMark.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=placed, by_user=None, reason="customer_request")
    assert set(SearchIndexMark.objects.values_list("product_id", flat=True)) == {shop.coffee.pk, shop.cashew.pk}
    assert catalogue_version(scope=CATALOGUE) == version
