"""The database functions the domain shares."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Product
from marketplace.core.db import AnyOf
from tests.factories import make_product


@pytest.fixture
def products(db):
    return [make_product() for _ in range(4)]


@pytest.mark.parametrize("wanted", [[], [0], [0, 2], [0, 1, 2, 3]])
def test_any_of_finds_the_rows_that_in_finds(products, wanted):
    ids = [products[index].pk for index in wanted] + [10**12, 2**70]  # ids of no row, one beyond bigint

    found = set(Product.objects.filter(AnyOf("pk", ids)).values_list("pk", flat=True))

    assert found == set(Product.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert found == {products[index].pk for index in wanted}


def test_any_of_binds_one_parameter_whatever_the_number_of_ids(products):
    statements = []
    for ids in ([products[0].pk], list(range(1, 1001))):
        with CaptureQueriesContext(connection) as captured:
            list(Product.objects.filter(AnyOf("pk", ids)).values_list("pk", flat=True))
        statements.append(Product.objects.filter(AnyOf("pk", ids)).values_list("pk").query.sql_with_params())

    (first_sql, first_params), (second_sql, second_params) = statements
    assert first_sql == second_sql
    assert len(first_params) == len(second_params) == 1
    assert "= ANY(" in captured[0]["sql"]
