"""The catalogue for search engines: sitemap.xml with both languages, robots.txt, noindex on private pages."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from marketplace.certification.models import Certification
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list, _page
from web import sitemap

storefront = test_storefront_pages.storefront  # the fixture

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # well-formed, or this raises


def _sitemap(client) -> dict[str, list[ElementTree.Element]]:
    """Every <url> of every section the index names, by the section's address."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    sections = [urlsplit(loc.text).path for loc in index.findall("s:sitemap/s:loc", NS)]
    return {path: _xml(client, path).findall("s:url", NS) for path in sections}


def _locations(sections: dict[str, list[ElementTree.Element]]) -> set[str]:
    return {url.find("s:loc", NS).text for urls in sections.values() for url in urls}


def test_the_sitemap_lists_every_public_page_in_both_languages_and_each_answers(storefront: Storefront):
    client = _client()
    sections = _sitemap(client)
    assert sorted(sections) == [
        "/sitemap-announcements-1.xml",
        "/sitemap-collections-1.xml",
        "/sitemap-content-1.xml",
        "/sitemap-events-1.xml",
        "/sitemap-outlets-1.xml",
        "/sitemap-pages-1.xml",
        "/sitemap-producers-1.xml",
        "/sitemap-products-1.xml",
    ]
    locations = _locations(sections)
    coffee = f"http://testserver/p/{storefront.coffee.slug}/"
    assert {coffee, coffee + "?hl=en", "http://testserver/", "http://testserver/?hl=en"} <= locations
    assert f"http://testserver/outlets/{storefront.tourist_site.slug}/?hl=en" in locations
    assert f"http://testserver/producers/{storefront.coffee.producer.slug}/" in locations
    for url in sections["/sitemap-products-1.xml"]:  # each names both versions and the default
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        assert set(links) == {"vi", "en", "x-default"} and links["x-default"] == links["vi"]
        assert url.find("s:lastmod", NS) is not None
    for location in locations:
        parts = urlsplit(location)
        assert client.get(f"{parts.path}?{parts.query}").status_code == 200, location


def test_no_product_that_is_not_for_sale_is_in_the_sitemap_and_a_delisting_leaves_it(storefront: Storefront):
    client = _client()
    locations = _locations(_sitemap(client))
    assert not any(storefront.delisted.slug in location for location in locations)
    assert not any(storefront.delisted.producer.slug in location for location in locations)  # sells nothing

    Certification.objects.filter(pk=storefront.coffee_certificate.pk).update(status="revoked")
    _list(storefront.coffee)  # the registry's revocation, as the sync applies it
    locations = _locations(_sitemap(client))
    assert not any(storefront.coffee.slug in location for location in locations)
    assert any(storefront.cashew.slug in location for location in locations)


def test_sections_are_paged_and_a_page_beyond_the_last_is_not_found(storefront: Storefront, monkeypatch):
    monkeypatch.setattr(sitemap, "URLS_PER_PAGE", 1)
    client = _client()
    sections = _sitemap(client)
    assert {"/sitemap-products-1.xml", "/sitemap-products-2.xml"} <= set(sections)  # coffee and cashew
    assert len(sections["/sitemap-products-1.xml"]) == 2  # one product, in two languages
    _page(client, "/sitemap-products-3.xml", status=404)
    _page(client, "/sitemap-nothing-1.xml", status=404)


@pytest.mark.parametrize(
    ("url", "language", "phrase"),
    [("/outlets/", "en", "Showrooms and outlets"), ("/outlets/?hl=en", "vi", "Showrooms and outlets")],
)
def test_hl_in_the_address_chooses_the_language_over_the_cookie(storefront, url, language, phrase):
    html = _page(_client(language), url)
    assert phrase in html and '<html lang="en">' in html
    assert '<link rel="canonical" href="http://testserver/outlets/?hl=en">' in html
    assert '<link rel="alternate" hreflang="vi" href="http://testserver/outlets/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/outlets/?hl=en">' in html
    # The language switch returns to the page without `hl`, so that the choice holds.
    assert '<input type="hidden" name="next" value="/outlets/">' in html


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(db):
    response = _client().get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    for prefix in ("/cart/", "/checkout/", "/orders/", "/accounts/", "/portal/", "/trade/", "/outlet/", "/admin/"):
        assert f"Disallow: {prefix}\n" in text
    assert "Disallow: /outlets/" not in text and "Disallow: /p/" not in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.parametrize("url", ["/cart/", "/accounts/login/", "/portal/", "/trade/", "/outlet/"])
def test_private_pages_answer_noindex(db, url):
    assert _client().get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_public_pages_do_not(storefront):
    for url in ("/", "/outlets/", f"/p/{storefront.coffee.slug}/"):
        assert "X-Robots-Tag" not in _client().get(url)
