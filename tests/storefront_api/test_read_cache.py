"""The caches of the storefront API: parsed documents per query text, and catalogue counts per version and day."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.collection_services import collections_refresh_automatic
from marketplace.catalogue.models import Product
from marketplace.catalogue.read_cache import (
    SEARCH_INDEX,
    SHOWN,
    answer_key,
    cached_count,
    catalogue_version,
    catalogue_version_bump,
    catalogue_version_reset,
    keep_answer,
    look_up_answer,
    version_key,
)
from marketplace.catalogue.selectors import listed_products
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification
from marketplace.core.cache import DegradingRedisCache
from storefront_api.core.views import DocumentCache, StorefrontGraphQLView
from storefront_api.schema import schema
from tests.factories import listed_product, make_certification

# A filter that keeps every listed product but is a filter: the total is counted by a query, and cached.
FILTERED_TOTAL = "{ products(first: 1, filter: {isPublished: true}) { totalCount } }"
# Every listed product: the total is summed from the listing windows (ListingWindow), never cached.
TOTAL = "{ products(first: 1) { totalCount } }"


def total(graphql, query: str = FILTERED_TOTAL) -> int:
    data = graphql(query)
    assert "errors" not in data, data["errors"]
    return data["data"]["products"]["totalCount"]


def test_total_count_is_counted_once_then_cached(graphql):
    listed_product()
    listed_product()

    with CaptureQueriesContext(connection) as first:
        assert total(graphql) == 2
    with CaptureQueriesContext(connection) as second:
        assert total(graphql) == 2

    counts = [q["sql"] for q in first if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1
    assert not [q["sql"] for q in second if q["sql"].startswith("SELECT COUNT(*)")]


def test_a_delisting_leaves_the_cached_count_at_once(graphql, django_capture_on_commit_callbacks):
    product = listed_product()
    listed_product()
    assert total(graphql) == 2
    # The certificate revoked behind every signal's back: the cached count does not know yet …
    Certification.objects.filter(pk=product.current_certification_id).update(status="revoked")
    assert total(graphql) == 2

    # … until the gate delists the product and `products_changed` goes out on commit.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        products_refresh_listing(product_ids=[product.pk], trigger="staff")
    assert callbacks

    assert Product.objects.get(pk=product.pk).listing_state == "delisted"
    assert total(graphql) == 1


def test_saving_a_product_or_certificate_bumps_the_version(db):
    product = listed_product()
    before = catalogue_version()
    product.current_certification.save()
    after_certificate = catalogue_version()
    product.save()

    assert before < after_certificate < catalogue_version()


def test_rebuilding_collections_bumps_the_version(db):
    before = catalogue_version()
    collections_refresh_automatic()
    assert catalogue_version() > before


@pytest.mark.parametrize("query", [FILTERED_TOTAL, TOTAL])
def test_the_next_day_counts_again(graphql, monkeypatch, query):
    today = timezone.localdate()
    ending_today = listed_product()
    Certification.objects.filter(pk=ending_today.current_certification_id).update(valid_until=today)
    listed_product()
    assert total(graphql, query) == 2

    # Midnight: the certificate has ended, the daily check has not run and nothing was signalled.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))

    assert total(graphql, query) == 1


def test_the_total_of_every_listed_product_is_summed_from_the_listing_spans_and_follows_each_change(graphql):
    product = listed_product()
    listed_product()

    with CaptureQueriesContext(connection) as queries:
        assert total(graphql, TOTAL) == 2
    assert not [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert [q["sql"] for q in queries if "catalogue_listingspan" in q["sql"]]

    # The certificate revoked behind every signal's back: the spans know at once (a trigger), as the list does.
    # Such a write does not bump the versions whole answers are kept under (they hold it for at most
    # READ_TIMEOUT): fresh versions, so that the answers are computed again.
    Certification.objects.filter(pk=product.current_certification_id).update(status="revoked")
    catalogue_version_reset()
    assert total(graphql, TOTAL) == 1
    edges = graphql("{ products(first: 5) { edges { node { id } } } }")["data"]["products"]["edges"]
    assert len(edges) == 1


def test_cached_count_keys_hold_the_day_and_the_filters(db):
    today = timezone.localdate()
    product = listed_product()
    make_certification(product, stars=5)  # an older revision: the current one decides
    tomorrow = today + datetime.timedelta(days=1)
    Certification.objects.filter(pk=product.current_certification_id).update(valid_until=today)

    assert cached_count(listed_products(today=today), today=today) == 1
    assert cached_count(listed_products(today=tomorrow), today=tomorrow) == 0
    assert cached_count(listed_products(today=today).filter(name="nothing"), today=today) == 0
    assert cached_count(listed_products(today=today), today=today) == 1


@pytest.fixture
def documents(monkeypatch):
    cache = DocumentCache(size=2)
    monkeypatch.setattr(StorefrontGraphQLView, "documents", cache)
    return cache


def test_documents_are_parsed_and_validated_once_per_query_text(graphql, documents):
    listed_product()
    query = "{ products(first: 1) { edges { node { slug } } } }"
    rules = StorefrontGraphQLView.validation_rules
    graphql(query)
    kept, errors = documents.get(schema.graphql_schema, query, rules)

    second = graphql(query)

    assert len(second["data"]["products"]["edges"]) == 1
    assert errors == []
    assert documents.get(schema.graphql_schema, query, rules)[0] is kept
    graphql("{ shop { name } }")
    graphql("{ channels { slug } }")
    assert len(documents) == 2  # bounded: the least recently used text went out
    assert documents.get(schema.graphql_schema, query, rules)[0] is not kept


def test_cached_documents_keep_their_errors(graphql, documents):
    deep = "{ products(first: 1) { edges { node { category { " + "parent { " * 12 + "name" + " }" * 16 + " }"
    for _ in range(2):
        assert "exceeds maximum operation depth" in graphql(deep, status=400)["errors"][0]["message"]
        assert graphql("{ products(first: 1) { edges { node { id }", status=400)["errors"][0]["message"].startswith(
            "Syntax Error"
        )
        assert "nope" in graphql("{ shop { nope } }", status=400)["errors"][0]["message"]


def test_an_answer_is_looked_up_with_its_versions_in_one_round_trip(db):
    catalogue_version_reset()
    key, kept = look_up_answer(kind="test", fingerprint=b"asked")
    assert kept is None
    assert key == answer_key(kind="test", fingerprint=b"asked")

    keep_answer(key, {"data": 1})
    assert look_up_answer(kind="test", fingerprint=b"asked") == (key, {"data": 1})

    catalogue_version_bump(scope=SHOWN)
    moved, kept = look_up_answer(kind="test", fingerprint=b"asked")
    assert (moved != key, kept) == (True, None)


def test_a_version_the_cache_lost_is_started_again_and_nothing_is_found_under_it(db):
    catalogue_version_reset()
    key, _ = look_up_answer(kind="test", fingerprint=b"asked")
    keep_answer(key, "old")
    cache.delete(version_key(SEARCH_INDEX))

    started, kept = look_up_answer(kind="test", fingerprint=b"asked")

    assert kept is None
    assert started != key
    assert cache.get(version_key(SEARCH_INDEX)) is not None
    assert look_up_answer(kind="test", fingerprint=b"asked") == (started, None)


@pytest.mark.parametrize(
    "params",
    [
        {"KEY_FUNCTION": lambda key, prefix, version: f"own|{prefix}|{key}"},  # a key Redis cannot make
        {},  # the script's way
    ],
)
def test_get_under_versions_answers_the_same_whichever_way_it_reads(settings, params):
    backend = DegradingRedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": "lookup-test", **params})
    backend.set_many({"v1": 7, "v2": 8}, timeout=60)
    backend.set("head:7.8:tail", {"kept": True}, timeout=60)

    assert backend.get_under_versions(["v1", "v2"], "head:", ":tail") == ([7, 8], {"kept": True})
    assert backend.get_under_versions(["v1", "v2"], "other:", ":tail") == ([7, 8], None)
    assert backend.get_under_versions(["v1", "missing"], "head:", ":tail") == ([7, None], None)
    backend.delete_many(["v1", "v2", "head:7.8:tail"])
