"""The consumer pages: home, catalogue, a product's provenance, outlets and producers, verifying a certificate (and
reporting misuse)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.core.throttling import Throttled, client_address
from search.backends.base import Facet
from web import feeds, places, selectors, share_image
from web.domain_labels import listing_reason_label
from web.forms import AddToCartForm, CatalogueForm, MisuseReportForm, VerifyForm, page_links
from web.languages import is_english
from web.page_cache import page_cached
from web.provenance import json_ld_script, product_json_ld, qr_svg
from web.services import MisuseReportRateLimited, certificate_look_up, misuse_report_file
from web.structured_data import organization_json_ld, store_json_ld

# The price ranges offered as links on the catalogue, in đồng: (from, to).
PRICE_RANGES = [(None, 100_000), (100_000, 300_000), (300_000, 500_000), (500_000, None)]


@require_GET
@page_cached
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "featured": selectors.featured_products(),
            "groups": selectors.product_groups(),
            "outlets": selectors.outlets_near_tourist_sites(),
            "english": is_english(),
        },
    )


@require_GET
@page_cached
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET)
    query = form.search_query()
    page = selectors.catalogue_page(query=query, english=is_english())
    return render(
        request,
        "web/catalogue.html",
        {
            "form": form,
            "query": query.text,
            "page": page,
            "facet_groups": _facet_groups(page, form.cleaned_data),
            "price_ranges": PRICE_RANGES,
            **page_links(total=page.total, current=form.page_number),
            "english": is_english(),
        },
    )


@require_GET
def product_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    """`/products/<slug>/` (the address the API's `provenanceUrl` gives) → the provenance page."""
    return redirect("web:provenance", slug=slug, permanent=True)


@require_GET
@page_cached
def provenance(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.product_provenance(slug=slug)
    if found is None:
        raise Http404
    page_url = request.build_absolute_uri(reverse("web:provenance", args=[slug]))
    cart_form = AddToCartForm(offers=found.offers) if found.for_sale else None
    return render(
        request,
        "web/provenance.html",
        {
            "provenance": found,
            "product": found.product,
            "producer": found.product.producer,
            "certificate": found.certificate,
            "not_for_sale_reason": _reason_label(found.not_for_sale_reason),
            "certificate_verdict": selectors.certificate_verdict(found.certificate).value
            if found.certificate
            else None,
            "history": [(item, selectors.certificate_verdict(item).value) for item in found.history],
            "photos": [selectors.media_url(media, selectors.PHOTO_SIZE) for media in found.images],
            "cart_form": cart_form if cart_form is not None and cart_form.has_packs() else None,
            "json_ld": json_ld_script(product_json_ld(found, page_url=page_url, absolute=request.build_absolute_uri)),
            "page_url": page_url,
            "share_image_url": request.build_absolute_uri(reverse("web:provenance_share_image", args=[slug])),
            "share_description": _share_description(found),
            "english": is_english(),
        },
    )


@require_GET
def provenance_qr(request: HttpRequest, slug: str) -> HttpResponse:
    if not selectors.product_exists(slug=slug):
        raise Http404
    page_url = request.build_absolute_uri(reverse("web:provenance", args=[slug]))
    response = HttpResponse(qr_svg(page_url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def provenance_share_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's share card (OpenGraph, Twitter): photo, name, stars while for sale, producer."""
    card = selectors.share_card(slug=slug)
    if card is None:
        raise Http404
    return _png(share_image.stored(card))


@require_GET
def site_share_image(request: HttpRequest) -> HttpResponse:
    """The share card of every page that has none of its own."""
    return _png(
        share_image.stored(
            share_image.ShareCard(
                title=_("OCOP products of Đồng Nai"),
                subtitle=_("Certified by the province's councils, from 3 to 5 stars."),
            )
        )
    )


def _share_description(found: selectors.Provenance) -> str:
    """A link preview's line: stars and producer while for sale, else that it is not for sale."""
    producer = found.product.producer.name
    if found.for_sale and found.certificate is not None:
        return _("OCOP %(stars)s★ · %(producer)s · Đồng Nai") % {"stars": found.certificate.stars, "producer": producer}
    return _("%(producer)s · Đồng Nai · not for sale today") % {"producer": producer}


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


_FEED_FILES = {  # address → (stored file, content type)
    "google-merchant.xml": (feeds.GOOGLE_FEED, "application/rss+xml; charset=utf-8"),
    "meta-catalogue.csv": (feeds.META_FEED, "text/csv; charset=utf-8"),
    "ocop-certified.csv": (feeds.OPEN_DATA_CSV, "text/csv; charset=utf-8"),
    "ocop-certified.json": (feeds.OPEN_DATA_JSON, "application/json"),
}


@require_GET
def feed_file(request: HttpRequest, name: str) -> FileResponse:
    """A product feed or the open data as last written (written now if it never was)."""
    if name not in _FEED_FILES:
        raise Http404
    stored, content_type = _FEED_FILES[name]
    if not default_storage.exists(stored):
        feeds.refresh_feeds()
    response = FileResponse(default_storage.open(stored), content_type=content_type)
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """What the open data holds, its licence and its two files."""
    fields = list(feeds.CertifiedRecord.__dataclass_fields__)
    minutes = settings.OCOP_FEEDS_REFRESH_MINUTES
    return render(request, "web/open_data.html", {"licence": feeds.licence(), "fields": fields, "minutes": minutes})


@require_GET
def outlets(request: HttpRequest) -> HttpResponse:
    """Every showroom, tourist-site outlet and producer's site where orders are collected, open now or not."""
    return render(request, "web/outlets.html", {"kinds": places.outlet_directory(), "english": is_english()})


@require_GET
def outlet(request: HttpRequest, slug: str) -> HttpResponse:
    form = CatalogueForm(request.GET)
    query = form.search_query()
    found = places.outlet_page(slug=slug, query=query, english=is_english())
    if found is None:
        raise Http404
    page_url = request.build_absolute_uri(reverse("web:outlet", args=[slug]))
    name = (found.card.outlet.name_en if is_english() else "") or found.card.outlet.name
    return render(
        request,
        "web/outlet.html",
        {
            "outlet_card": found.card,
            "outlet": found.card.outlet,
            "name": name,
            "page": found.stock,
            "query": query.text,
            **page_links(total=found.stock.total, current=form.page_number),
            "json_ld": json_ld_script(store_json_ld(found.card, page_url=page_url, name=name)),
            "page_url": page_url,
            "english": is_english(),
        },
    )


@require_GET
def producer(request: HttpRequest, slug: str) -> HttpResponse:
    found = places.producer_page(slug=slug)
    if found is None:
        raise Http404
    page_url = request.build_absolute_uri(reverse("web:producer", args=[slug]))
    product_urls = [
        request.build_absolute_uri(reverse("web:provenance", args=[card.product.slug])) for card in found.cards
    ]
    return render(
        request,
        "web/producer.html",
        {
            "found": found,
            "producer": found.producer,
            "history": [(item, selectors.certificate_verdict(item).value) for item in found.history],
            "json_ld": json_ld_script(organization_json_ld(found, page_url=page_url, product_urls=product_urls)),
            "page_url": page_url,
            "english": is_english(),
        },
    )


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("web:verify_certificate", certificate_id=form.cleaned_data["certificate_id"].strip())
    return render(request, "web/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_certificate(request: HttpRequest, certificate_id: str) -> HttpResponse:
    if request.method == "POST":  # a report of a number that does not exist is no guess; reports have their limit
        certificate = selectors.certificate_by_id(certificate_id=certificate_id)
    else:
        try:
            certificate = certificate_look_up(certificate_id=certificate_id, client_address=client_address(request))
        except Throttled as throttled:
            message = _(
                "Too many certificate numbers that do not exist were looked up from your connection. "
                "Please try again in %(minutes)s minutes."
            ) % {"minutes": throttled.minutes}
            form = VerifyForm(initial={"certificate_id": certificate_id})
            response = render(request, "web/verify.html", {"form": form, "throttled_message": message}, status=429)
            response["Retry-After"] = str(throttled.retry_after)
            return response
    verdict = selectors.certificate_verdict(certificate)
    report_form = MisuseReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and report_form.is_valid():
        try:
            misuse_report_file(
                certificate_id=certificate_id,
                client_address=client_address(request),
                language_code=get_language() or "vi",
                **report_form.cleaned_data,
            )
        except MisuseReportRateLimited:
            report_form.add_error(None, _("Too many reports from your connection. Please try again in an hour."))
            status = 429
        else:
            messages.success(
                request, _("Thank you. Your report has been sent to the Department of Industry and Trade.")
            )
            return redirect("web:verify_certificate", certificate_id=certificate_id)
    return render(
        request,
        "web/verify_result.html",
        {
            "certificate_id": certificate_id,
            "certificate": certificate,
            "verdict": verdict.value,
            "verify_form": VerifyForm(initial={"certificate_id": certificate_id}),
            "report_form": report_form,
        },
        status=status,
    )


def _facet_groups(page: selectors.CataloguePage, chosen: dict) -> list[dict]:
    """The facets as the filter form lists them: each value with its count, checked if chosen."""
    facets = [
        (Facet.STARS, "stars", _("Stars")),
        (Facet.GROUP, "group", _("Product group")),
        (Facet.COMMUNE, "commune", _("Commune")),
        (Facet.OUTLET, "outlet", _("In stock at")),
    ]
    groups = []
    for facet, name, legend in facets:
        checked = {str(value) for value in chosen.get(name) or ()}
        values = [
            {"value": v.value, "label": v.label, "count": v.count, "checked": v.value in checked}
            for v in page.facets.get(facet, [])
        ]
        groups.append({"name": name, "legend": legend, "values": values})
    return groups


def _reason_label(reason: str | None) -> str | None:
    return listing_reason_label(reason) if reason else None
