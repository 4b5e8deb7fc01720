"""The fairs and events pages: what is on and coming, each event with its producers, products and booth, and the
published rating rounds."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.catalogue.selectors import UNSHOWN_COLUMNS, listed_products
from marketplace.core.dates import local_today
from marketplace.events.models import Event
from marketplace.events.selectors import (
    announced_certificates,
    events_by_time,
    published_announcements,
    published_events,
)
from web.languages import is_english
from web.selectors import ProductCard, product_cards


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    coming, past = events_by_time()
    return render(
        request, "web/events.html", {"coming": coming, "past": past, "today": local_today(), "english": is_english()}
    )


@dataclass(frozen=True)
class EventPage:
    event: Event
    producers: list  # the producers taking part, by name
    cards: list[ProductCard]  # the products shown that are for sale today


def event_page(*, slug: str) -> EventPage | None:
    event = published_events().filter(slug=slug).first()
    if event is None:
        return None
    products = list(listed_products().filter(events=event).defer(*UNSHOWN_COLUMNS).order_by("name", "pk"))
    return EventPage(event=event, producers=list(event.producers.order_by("name", "pk")), cards=product_cards(products))


@require_GET
def event(request: HttpRequest, slug: str) -> HttpResponse:
    found = event_page(slug=slug)
    if found is None:
        raise Http404
    today = local_today()
    running = found.event.starts_on <= today <= found.event.ends_on
    return render(
        request,
        "web/event.html",
        {
            "found": found,
            "event": found.event,
            "running": running,
            "over": found.event.ends_on < today,
            "english": is_english(),
        },
    )


@require_GET
def announcement(request: HttpRequest, slug: str) -> HttpResponse:
    """A published rating round: the decision and the products rated in it, printable for a fair."""
    found = published_announcements().filter(slug=slug).first()
    if found is None:
        raise Http404
    certificates = announced_certificates(announcement=found)
    return render(
        request,
        "web/announcement.html",
        {"announcement": found, "certificates": certificates, "english": is_english()},
    )
