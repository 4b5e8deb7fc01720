"""The database functions the domain shares."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Product
from marketplace.core.db import AnyOf, planned_per_call
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


def _prepared(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"])
        return cursor.fetchone()[0]


@pytest.mark.skipif(not connection.settings_dict["OPTIONS"].get("server_side_binding"), reason="nothing is prepared")
def test_statements_planned_per_call_are_never_prepared_and_the_threshold_comes_back(db):
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    for _ in range(6):
        with planned_per_call(), connection.cursor() as cursor:
            cursor.execute("SELECT 'planned per call', %s::int", [1])
    for _ in range(6):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'prepared as usual', %s::int", [1])

    assert _prepared("planned per call") == 0
    assert _prepared("prepared as usual") == 1
    assert connection.connection.prepare_threshold == threshold is not None


def test_the_threshold_comes_back_when_the_statement_fails(db):
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    with pytest.raises(ZeroDivisionError), planned_per_call():
        raise ZeroDivisionError

    assert connection.connection.prepare_threshold == threshold
