"""Filters the pages share: money in whole đồng, star badges, weekdays, map links."""

from __future__ import annotations

from django import template
from django.utils.text import capfirst
from django.utils.translation import get_language

from marketplace.catalogue.groups import product_set_name_en
from marketplace.catalogue.models import Product, ProductVariant
from marketplace.core.money import format_vnd
from marketplace.events.models import Event
from marketplace.outlets.models import Outlet, Weekday
from web.languages import is_english, pack_label

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """150000 → "150.000 ₫" (Vietnamese) or "150,000 VND" (English)."""
    if amount is None:
        return ""
    return format_vnd(int(amount), get_language() or "vi")


@register.inclusion_tag("web/_stars.html")
def stars(count: int | None) -> dict:
    count = int(count or 0)
    return {"count": count, "filled": range(count), "empty": range(max(5 - count, 0))}


@register.filter
def weekday_name(weekday: int) -> str:
    """0 → "Monday" / "Thứ Hai"."""
    return str(Weekday(int(weekday)).label)


@register.filter
def map_url(place: Outlet | Event) -> str:
    """OpenStreetMap at an outlet or an event, or "" without coordinates (a link: the page loads nothing from
    there)."""
    if place.latitude is None or place.longitude is None:
        return ""
    lat, lon = f"{place.latitude:.5f}", f"{place.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


@register.filter
def pack(variant_or_name: ProductVariant | str | None) -> str:
    """A pack's name in the page's language (`web.languages.pack_label`)."""
    return pack_label(variant_or_name)


@register.filter
def product_set(name: str | None) -> str:
    """An OCOP product set (the registry names it in Vietnamese) in the page's language."""
    return (product_set_name_en(name or "") if is_english() else "") or (name or "")


@register.filter
def product_title(product: Product) -> str:
    """A product's name in the page's language: its English name, capitalised, on English pages when the registry
    gives one; the Vietnamese name otherwise (the pages show it beneath the English one)."""
    if is_english() and product.name_en:
        return capfirst(product.name_en.strip())
    return product.name


@register.simple_tag
def search_placeholder(suggestions: list[tuple[str, str]]) -> str:
    """The search box's hint: listed kinds of product, (Vietnamese, English) pairs, in the page's language
    ("Hạt điều, ca cao, sô cô la…" / "Cashews, cocoa, chocolate…")."""
    english = (get_language() or "vi").startswith("en")
    names = [en if english else vi for vi, en in suggestions]
    hint = ", ".join(names)
    return hint[:1].upper() + hint[1:] + "…" if names else ""
