"""Statements: a queryset compiled once, then bound to each call's arguments."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Product
from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement
from tests.factories import make_certification, make_product


@pytest.fixture
def products(db):
    products = [make_product(name=f"Sản phẩm {index}") for index in range(3)]
    for product in products:
        product.current_certification = make_certification(product=product)
        product.save()
    return products


def test_a_statement_is_built_once_and_answers_as_the_queryset_would(products, django_assert_num_queries):
    built = []

    def build(slug, producer_id):
        built.append(slug)
        return (
            Product.objects.filter(slug=slug, producer_id=producer_id)
            .select_related("producer", "current_certification")
            .order_by("pk")
        )

    statement = Statement(build)
    for product in products + products:
        with CaptureQueriesContext(connection) as queries:
            found = statement(slug=product.slug, producer_id=product.producer_id)
        assert [row.pk for row in found] == [product.pk]
        with django_assert_num_queries(0):
            assert found[0].producer.name == product.producer.name  # joined: no query
            assert found[0].current_certification.certificate_id == product.current_certification.certificate_id
        assert len(queries) == 1
    assert len(built) == 2  # the two stand-ins it was compiled from, never again
    assert statement(slug=products[0].slug, producer_id=products[1].producer_id) == []


def test_lists_of_ids_dates_and_annotations_are_bound(products):
    statement = Statement(
        lambda ids, day: (
            Product.objects.filter(AnyOf("pk", ids), current_certification__valid_until__gte=day)
            .annotate(stars=F("current_certification__stars"))
            .order_by("pk")
        )
    )
    today = datetime.date(2026, 12, 4)
    wanted = [products[0].pk, products[2].pk, 2**70]  # the last is no row's, beyond bigint

    assert [(row.pk, row.stars) for row in statement(ids=wanted, day=today - timedelta(days=3650))] == [
        (products[0].pk, 4),
        (products[2].pk, 4),
    ]
    assert statement(ids=wanted, day=today + timedelta(days=3650)) == []
    assert statement(ids=[], day=today) == []


def test_a_function_whose_sql_follows_its_arguments_otherwise_is_refused(products):
    one_by_one = Statement(lambda ids: Product.objects.filter(pk__in=ids))
    with pytest.raises(TypeError, match="follows none of its arguments"):
        one_by_one(ids=[products[0].pk, products[1].pk])

    derived = Statement(lambda day: Product.objects.filter(created_at__date__gte=day - timedelta(days=1)))
    with pytest.raises(TypeError, match="follows none of its arguments"):
        derived(day=datetime.date(2026, 12, 4))

    with pytest.raises(TypeError, match="not a statement's argument"):
        Statement(lambda product: Product.objects.filter(pk=product.pk))(product=products[0])


def test_a_statement_pages_with_its_limit_and_offset_bound(products, django_assert_num_queries):
    by_name = Statement(
        lambda day: Product.objects.filter(current_certification__valid_until__gte=day).order_by("name")
    )
    day = datetime.date(2000, 1, 1)
    names = [product.name for product in sorted(products, key=lambda product: product.name)]

    with django_assert_num_queries(1):
        assert [row.name for row in by_name.page(offset=1, limit=5, day=day)] == names[1:]
    assert [row.name for row in by_name.page(offset=0, limit=2, day=day)] == names[:2]
    assert by_name.page(offset=3, limit=2, day=day) == []
    assert by_name.page(offset=0, limit=0, day=day) == []
    with pytest.raises(ValueError, match="offset"):
        by_name.page(offset=-1, limit=2, day=day)

    sliced = Statement(lambda day: Product.objects.filter(current_certification__valid_until__gte=day)[:2])
    with pytest.raises(TypeError, match="sliced"):
        sliced.page(offset=0, limit=1, day=day)
