"""Reads for the pages of places and makers: the outlet directory, an outlet's page and a producer's page.

Each page reads a fixed number of queries whatever the number of outlets, products or certificates: the outlets
with their opening hours in two, an outlet's products through the search index (the "in stock at" filter), a
producer's listed products as cards and its certificates in one query each.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from itertools import groupby

from django.db.models import Prefetch, QuerySet

from marketplace.catalogue.models import Product
from marketplace.catalogue.selectors import UNSHOWN_COLUMNS, listed_products
from marketplace.certification.models import Certification
from marketplace.core.dates import local_today
from marketplace.outlets.hours import OpenState, WeekRow, open_state, week_rows
from marketplace.outlets.models import OpeningPeriod, Outlet, OutletKind
from marketplace.outlets.selectors import collection_points_open
from marketplace.producers.models import Producer
from search.backends.base import SearchFilters, SearchQuery
from web.selectors import CataloguePage, ProductCard, catalogue_page, product_cards

HISTORY_LIMIT = 60  # certificates on a producer's page, latest decision first
# The order kinds are listed in on the directory: where visitors go first.
KIND_ORDER = (OutletKind.SHOWROOM, OutletKind.TOURIST_SITE, OutletKind.PRODUCER_WAREHOUSE)


@dataclass(frozen=True)
class OutletCard:
    """An outlet as the directory and its page show it: its week and whether it is open now."""

    outlet: Outlet
    week: list[WeekRow]
    now: OpenState | None  # None: no opening hours on record


def visitable_outlets(*, today: datetime.date | None = None) -> QuerySet[Outlet]:
    """Outlets open to the public as collection points; a fair's booth until its fair is over."""
    return collection_points_open(today=today)


def _with_hours(outlets: QuerySet[Outlet]) -> QuerySet[Outlet]:
    return outlets.prefetch_related(
        Prefetch("opening_periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens"))
    )


def _card(outlet: Outlet, at: datetime.datetime | None) -> OutletCard:
    periods = list(outlet.opening_periods.all())
    return OutletCard(outlet=outlet, week=week_rows(periods), now=open_state(periods, at=at))


def outlet_directory(*, at: datetime.datetime | None = None) -> list[tuple[str, list[OutletCard]]]:
    """Every visitable outlet, by kind (showrooms first) and name: (kind, cards) in two queries."""
    outlets = sorted(
        _with_hours(visitable_outlets()), key=lambda outlet: (KIND_ORDER.index(outlet.kind), outlet.name, outlet.pk)
    )
    return [
        (kind, [_card(outlet, at) for outlet in group])
        for kind, group in groupby(outlets, key=lambda outlet: outlet.kind)
    ]


@dataclass(frozen=True)
class OutletPage:
    card: OutletCard
    stock: CataloguePage  # the listed products in stock here, searchable


def outlet_page(
    *, slug: str, query: SearchQuery, english: bool, at: datetime.datetime | None = None
) -> OutletPage | None:
    """The outlet `slug` (None if it is not visitable) and the page of `query` among the products it holds."""
    outlet = _with_hours(visitable_outlets()).select_related("producer").filter(slug=slug).first()
    if outlet is None:
        return None
    query = replace(query, filters=SearchFilters(outlet_ids=(outlet.pk,)), facets=False)  # its text, sort, page
    return OutletPage(card=_card(outlet, at), stock=catalogue_page(query=query, english=english))


@dataclass(frozen=True)
class ProducerPage:
    producer: Producer
    cards: list[ProductCard]  # its products for sale today, by name
    history: list[Certification]  # its products' certificates, latest decision first (at most HISTORY_LIMIT)
    outlets: list[Outlet]  # its own sites that are collection points

    @property
    def commune(self) -> str:
        return self.producer.commune_today or self.producer.address_commune


def producer_page(*, slug: str, today: datetime.date | None = None) -> ProducerPage | None:
    """The producer `slug` with what it sells today and its rating history; None if there is none."""
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None:
        return None
    day = today or local_today()
    products = list(listed_products(today=day).filter(producer=producer).defer(*UNSHOWN_COLUMNS).order_by("name", "pk"))
    history = list(
        Certification.objects.filter(producer=producer)
        .select_related("product")
        .defer("raw", "product__description", "product__seller_description")
        .order_by("-decision_date", "-valid_until", "-pk")[:HISTORY_LIMIT]
    )
    outlets = list(visitable_outlets().filter(producer=producer).order_by("name", "pk"))
    return ProducerPage(producer=producer, cards=product_cards(products), history=history, outlets=outlets)


# Newly certified


NEWLY_CERTIFIED_DAYS = 90  # how far back a decision counts as news
NEWLY_CERTIFIED_LIMIT = 60


@dataclass(frozen=True)
class NewlyCertified:
    """A product for sale under a certificate decided lately: new to OCOP, or rated higher than before."""

    card: ProductCard
    certificate: Certification
    previous_stars: int | None  # the stars of the certificate it supersedes; None: its first

    @property
    def upgraded(self) -> bool:
        return self.previous_stars is not None and self.certificate.stars > self.previous_stars


def newly_certified(*, today: datetime.date | None = None) -> list[NewlyCertified]:
    """Products for sale whose certificate was decided in the last NEWLY_CERTIFIED_DAYS days and that are new
    (no earlier certificate) or upgraded (more stars than the one it supersedes), latest decision first; four
    queries whatever their number."""
    day = today or local_today()
    since = day - datetime.timedelta(days=NEWLY_CERTIFIED_DAYS)
    products = list(
        listed_products(today=day)
        .filter(current_certification__decision_date__gte=since)
        .defer(*UNSHOWN_COLUMNS)
        .order_by("-current_certification__decision_date", "name", "pk")[: NEWLY_CERTIFIED_LIMIT * 2]
    )
    superseded = {
        certificate.certificate_id: certificate.stars
        for certificate in Certification.objects.filter(
            certificate_id__in=[p.current_certification.supersedes for p in products if p.current_certification]
        ).only("certificate_id", "stars")
    }
    # The news chosen first, then cards made for those alone: (product, its certificate, the stars it had before).
    news: list[tuple[Product, Certification, int | None]] = []
    for product in products:
        certificate = product.current_certification
        assert certificate is not None, "the gate lists no product without a certificate"
        if not certificate.supersedes:
            news.append((product, certificate, None))  # its first certificate
        elif superseded.get(certificate.supersedes, certificate.stars) < certificate.stars:
            news.append((product, certificate, superseded[certificate.supersedes]))  # rated higher
        # else a renewal, a downgrade, or a superseded certificate we never saw: not news we can tell
    news = news[:NEWLY_CERTIFIED_LIMIT]
    cards = product_cards([product for product, _certificate, _previous in news])
    return [
        NewlyCertified(card=card, certificate=certificate, previous_stars=previous)
        for card, (_product, certificate, previous) in zip(cards, news, strict=True)
    ]
