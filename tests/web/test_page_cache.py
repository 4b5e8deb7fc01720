"""Pages kept whole for visitors with nothing of their own on them (web.page_cache): served without a query, with the
visitor's own CSRF token, and never outliving the gate, a price, stock or the day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.catalogue.models import ProductVariantChannelListing
from marketplace.certification.models import Certification
from search.indexing import search_index_products
from tests.factories import DEFAULT_PASSWORD, delist, listed_product, make_user

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(client: Client, url: str) -> tuple[str, int]:
    """The page's HTML and the number of SQL statements it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries)


def visitor(language: str = "vi") -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def product(db):
    listed = listed_product(name="Hạt điều rang muối", price=150_000)
    search_index_products(product_ids=[listed.pk])  # the catalogue's pages list what the search index holds
    return listed


@pytest.mark.parametrize("url", ["/", "/products/", "/products/?q=hat+dieu&stars=4", "provenance"])
def test_a_page_is_rendered_once_then_served_from_the_cache(product, url):
    url = f"/p/{product.slug}/" if url == "provenance" else url
    first, queries = visit(visitor(), url)
    assert queries > 0
    again, queries = visit(visitor(), url)
    assert queries == 0
    assert TOKEN.sub("", again) == TOKEN.sub("", first)


def test_each_visitor_gets_a_token_of_their_own_that_their_forms_pass_with(product):
    first, second = visitor(), visitor()
    visit(first, f"/p/{product.slug}/")
    page, queries = visit(second, f"/p/{product.slug}/")
    assert queries == 0
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1  # the language switch and the cart's form
    variant = product.variants.get()
    added = second.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1, "csrfmiddlewaretoken": tokens.pop()})
    assert added.status_code == 302
    # A token is good only with its own visitor's cookie: the first visitor's is refused with another's.
    first_token = TOKEN.findall(visit(first, f"/p/{product.slug}/")[0])[0]
    third = visitor()
    visit(third, "/")
    refused = third.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1, "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403


def test_a_delisted_product_leaves_the_kept_pages_when_the_gate_delists_it(product):
    for url in ("/products/", "/products/?q=dieu", f"/p/{product.slug}/"):
        assert product.name in visit(visitor(), url)[0]
        assert visit(visitor(), url)[1] == 0  # kept
    delist(product)
    catalogue, queries = visit(visitor(), "/products/")
    assert queries > 0 and product.name not in catalogue
    assert product.name not in visit(visitor(), "/products/?q=dieu")[0]
    provenance, _ = visit(visitor(), f"/p/{product.slug}/")
    assert 'action="/cart/add/"' not in provenance


def test_a_certificate_that_ends_today_leaves_the_kept_pages_tomorrow(product, monkeypatch):
    today = timezone.localdate()
    certification = Certification.objects.get(pk=product.current_certification_id)
    certification.valid_until = today
    certification.save()
    assert product.name in visit(visitor(), "/products/")[0]
    assert visit(visitor(), "/products/")[1] == 0
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    catalogue, queries = visit(visitor(), "/products/")
    assert queries > 0 and product.name not in catalogue


def test_a_new_price_is_shown_at_once(product):
    assert "150.000" in visit(visitor(), f"/p/{product.slug}/")[0]
    listing = ProductVariantChannelListing.objects.get(variant__product=product)
    listing.price_amount = 99_000
    listing.save()
    page, _ = visit(visitor(), f"/p/{product.slug}/")
    assert "99.000" in page and "150.000" not in page


def test_each_language_is_kept_apart(product):
    english, _ = visit(visitor("en"), "/products/")
    vietnamese, _ = visit(visitor("vi"), "/products/")
    assert TOKEN.sub("", english) != TOKEN.sub("", vietnamese)
    for language, first in (("en", english), ("vi", vietnamese)):
        again, queries = visit(visitor(language), "/products/")
        assert queries == 0 and TOKEN.sub("", again) == TOKEN.sub("", first)


def test_a_visitor_with_a_cart_or_signed_in_gets_the_page_made_for_them(product):
    visit(visitor(), f"/p/{product.slug}/")  # kept

    shopper = Client()
    shopper.post("/cart/add/", {"variant_id": product.variants.get().pk, "quantity": 2})
    page, queries = visit(shopper, f"/p/{product.slug}/")
    assert queries > 0 and "(2)" in page

    user = make_user()
    signed_in = Client()
    assert signed_in.login(username=user.username, password=DEFAULT_PASSWORD)
    page, queries = visit(signed_in, f"/p/{product.slug}/")
    assert queries > 0 and 'action="/accounts/logout/"' in page
