"""Newly certified and upgraded products: a page and an Atom feed, from what the registry's sync brought in."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace.core.dates import day_text
from marketplace.events.selectors import published_announcements
from web.languages import is_english
from web.page_cache import page_cached
from web.places import NEWLY_CERTIFIED_DAYS, NewlyCertified, newly_certified

ANNOUNCEMENTS_SHOWN = 12


@require_GET
@page_cached
def page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/newly_certified.html",
        {
            "entries": newly_certified(),
            "announcements": list(published_announcements()[:ANNOUNCEMENTS_SHOWN]),
            "days": NEWLY_CERTIFIED_DAYS,
            "english": is_english(),
        },
    )


def _title(entry: NewlyCertified) -> str:
    product, stars = entry.card.product.name, entry.certificate.stars
    if entry.upgraded:
        return _("%(product)s: upgraded to %(stars)s★ (from %(previous)s★)") % {
            "product": product,
            "stars": stars,
            "previous": entry.previous_stars,
        }
    return _("%(product)s: newly certified, %(stars)s★") % {"product": product, "stars": stars}


class NewlyCertifiedFeed(Feed):
    """Atom 1.0: one entry per product, dated by its certificate's decision."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Newly certified OCOP products of Đồng Nai")

    def subtitle(self) -> str:
        return _("Products rated 3 to 5 stars for the first time, or rated higher, in the last %(days)s days.") % {
            "days": NEWLY_CERTIFIED_DAYS
        }

    def link(self) -> str:
        return reverse("web:newly_certified")

    def items(self) -> list[NewlyCertified]:
        return newly_certified()

    def item_title(self, item: NewlyCertified) -> str:
        return _title(item)

    def item_description(self, item: NewlyCertified) -> str:
        certificate = item.certificate
        return _("Certificate %(number)s, decision %(decision)s, valid until %(until)s. Made by %(producer)s.") % {
            "number": certificate.certificate_id,
            "decision": certificate.decision_number or "—",
            "until": day_text(certificate.valid_until),
            "producer": item.card.product.producer.name,
        }

    def item_link(self, item: NewlyCertified) -> str:
        return reverse("web:provenance", args=[item.card.product.slug])

    def item_guid(self, item: NewlyCertified) -> str:
        return f"urn:ocop-dong-nai:certificate:{item.certificate.certificate_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewlyCertified) -> datetime.datetime:
        day = item.certificate.decision_date or item.certificate.valid_from or timezone.localdate()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


feed = require_GET(NewlyCertifiedFeed())
