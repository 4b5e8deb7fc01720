"""Answers to public queries shared from the cache (storefront_api.core.public_answers): computed once, the same
bytes after, and never outliving the catalogue's gate, a price, stock, a search's index or the day."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.models import ProductVariantChannelListing
from marketplace.certification.models import Certification
from marketplace.inventory.models import Stock
from marketplace.orders.services import order_cancel
from search.indexing import search_index_marked_products
from tests.factories import delist, listed_product
from tests.marketplace.checkout.helpers import place_cash_pickup_order

PRODUCT = """query ($slug: String!) {
  product(slug: $slug, channel: "default-channel") {
    name variants { quantityAvailable pricing { price { gross { amount } } } }
  }
}"""
LIST = '{ products(first: 10, channel: "default-channel") { totalCount edges { node { slug } } } }'
SEARCH = """query ($text: String!) {
  products(first: 10, channel: "default-channel", search: $text) { edges { node { slug } } }
}"""


@pytest.fixture
def ask(db, channel):
    """POST a query anonymously; returns (the raw answer, the number of SQL statements it took)."""
    client = Client()

    def send(query: str, variables: dict | None = None, **headers: str) -> tuple[bytes, int]:
        body = json.dumps({"query": query, "variables": variables or {}})
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/graphql/", body, content_type="application/json", **headers)
        assert response.status_code == 200, response.content
        return response.content, len(queries)

    return send


def data(answer: bytes) -> dict:
    body = json.loads(answer)
    assert "errors" not in body, body["errors"]
    return body["data"]


def slugs(answer: bytes) -> list[str]:
    return [edge["node"]["slug"] for edge in data(answer)["products"]["edges"]]


def test_a_public_query_is_answered_once_then_from_the_cache_with_the_same_bytes(ask):
    product = listed_product()
    first, queries = ask(PRODUCT, {"slug": product.slug})
    assert queries > 0
    again, queries = ask(PRODUCT, {"slug": product.slug})
    assert (again, queries) == (first, 0)
    # Other variables, another answer.
    other = listed_product()
    answer, queries = ask(PRODUCT, {"slug": other.slug})
    assert queries > 0 and data(answer)["product"]["name"] == other.name


def test_a_delisted_product_leaves_the_cached_answers_when_the_gate_delists_it(ask):
    kept, gone = listed_product(), listed_product()
    assert sorted(slugs(ask(LIST)[0])) == sorted([kept.slug, gone.slug])
    assert data(ask(PRODUCT, {"slug": gone.slug})[0])["product"] is not None

    delist(gone)
    assert slugs(ask(LIST)[0]) == [kept.slug]
    assert data(ask(PRODUCT, {"slug": gone.slug})[0])["product"] is None
    assert json.loads(ask(LIST)[0])["data"]["products"]["totalCount"] == 1


def test_a_certificate_that_ends_today_leaves_the_cached_answers_tomorrow_without_any_write(ask, monkeypatch):
    product = listed_product()
    today = timezone.localdate()
    certification = Certification.objects.get(pk=product.current_certification_id)
    certification.valid_until = today
    certification.save()
    assert slugs(ask(LIST)[0]) == [product.slug]
    assert ask(LIST)[1] == 0

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    assert slugs(ask(LIST)[0]) == []
    assert data(ask(PRODUCT, {"slug": product.slug})[0])["product"] is None


def test_a_new_price_is_shown_at_once(ask):
    product = listed_product(price=120_000)

    def price() -> int:
        return data(ask(PRODUCT, {"slug": product.slug})[0])["product"]["variants"][0]["pricing"]["price"]["gross"][
            "amount"
        ]

    assert price() == 120_000
    listing = ProductVariantChannelListing.objects.get(variant__product=product)
    listing.price_amount = 99_000
    listing.save()
    assert price() == 99_000


def test_stock_taken_and_given_back_by_orders_is_shown_at_once(ask, shop, django_capture_on_commit_callbacks):
    def available() -> int:
        return data(ask(PRODUCT, {"slug": shop.coffee.slug})[0])["product"]["variants"][0]["quantityAvailable"]

    assert available() == 15
    with django_capture_on_commit_callbacks(execute=True):
        order = place_cash_pickup_order(shop, {shop.coffee_variant: 2})
    assert available() == 13
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, by_user=None, reason="customer_request")
    assert available() == 15
    stock = Stock.objects.get(variant=shop.coffee_variant, outlet=shop.showroom)
    stock.quantity = 0
    stock.save()  # an outlet's count
    assert available() == 10


def test_search_answers_follow_the_index(ask, django_capture_on_commit_callbacks):
    product = listed_product(name="Mật ong hoa cà phê")
    search_index_marked_products()
    assert slugs(ask(SEARCH, {"text": "mật ong"})[0]) == [product.slug]
    with django_capture_on_commit_callbacks(execute=True):
        product.name = "Trà mãng cầu"
        product.save()
    search_index_marked_products()
    assert slugs(ask(SEARCH, {"text": "mật ong"})[0]) == []
    assert slugs(ask(SEARCH, {"text": "mãng cầu"})[0]) == [product.slug]


def kept_answers() -> int:
    """How many answers the cache holds (their keys name their kind, `graphql`)."""
    return len(cache._cache.get_client().keys("*:graphql:*"))


@pytest.mark.parametrize(
    ("query", "variables", "headers"),
    [
        ("{ me { email } }", None, {}),
        ('{ checkout(id: "00000000-0000-0000-0000-000000000000") { id } }', None, {}),
        ("{ shop { name } ... on Query { me { email } } }", None, {}),
        (LIST, None, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}),
        ('{ products(first: 500, channel: "default-channel") { edges { node { slug } } } }', None, {}),
        ('mutation { tokenCreate(email: "a@example.test", password: "x") { token } }', None, {}),
    ],
    ids=["me", "checkout", "fragment on Query", "with a token", "with errors", "mutation"],
)
def test_answers_that_read_who_asks_or_hold_errors_are_not_kept(db, channel, query, variables, headers):
    listed_product()
    before = kept_answers()
    body = json.dumps({"query": query, "variables": variables or {}})
    Client().post("/graphql/", body, content_type="application/json", **headers)
    assert kept_answers() == before


def test_a_public_answer_is_kept_under_one_key(ask):
    before = kept_answers()
    ask(LIST)
    assert kept_answers() == before + 1


def test_the_same_query_in_two_languages_of_the_request_is_kept_twice(ask):
    product = listed_product()
    assert ask(PRODUCT, {"slug": product.slug}, HTTP_ACCEPT_LANGUAGE="en")[1] > 0
    assert ask(PRODUCT, {"slug": product.slug}, HTTP_ACCEPT_LANGUAGE="vi")[1] > 0
    assert ask(PRODUCT, {"slug": product.slug}, HTTP_ACCEPT_LANGUAGE="en")[1] == 0
