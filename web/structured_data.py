"""What the outlet and producer pages give machines: schema.org `Store` and `Organization` as JSON-LD."""

from __future__ import annotations

from typing import Any

from web.places import OutletCard, ProducerPage

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _address(*, street: str, locality: str, region: str) -> dict[str, str]:
    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    for key, value in (("streetAddress", street), ("addressLocality", locality), ("addressRegion", region)):
        if value:
            address[key] = value
    return address


def store_json_ld(card: OutletCard, *, page_url: str, name: str) -> dict[str, Any]:
    """schema.org `Store`: address, place, telephone and `openingHoursSpecification` (one per day and period)."""
    outlet = card.outlet
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Store",
        "name": name,
        "url": page_url,
        "address": _address(street=outlet.address_line, locality=outlet.commune, region=outlet.province),
    }
    if outlet.latitude is not None and outlet.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": outlet.latitude, "longitude": outlet.longitude}
    if outlet.phone:
        data["telephone"] = outlet.phone
    if outlet.email:
        data["email"] = outlet.email
    if card.week:
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": list(_DAYS[row.first : row.last + 1]),
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            }
            for row in card.week
            for opens, closes in row.hours
        ]
    return data


def organization_json_ld(page: ProducerPage, *, page_url: str, product_urls: list[str]) -> dict[str, Any]:
    """schema.org `Organization`: the producer, its address and the pages of the products it sells."""
    producer = page.producer
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": producer.name,
        "url": page_url,
        "address": _address(
            street=producer.address_line,
            locality=page.commune,
            region=producer.province_today or producer.address_province,
        ),
    }
    if producer.phone:
        data["telephone"] = producer.phone
    if producer.tax_code:
        data["taxID"] = producer.tax_code
    if product_urls:
        data["makesOffer"] = [
            {"@type": "Offer", "itemOffered": {"@type": "Product", "url": url}} for url in product_urls
        ]
    return data
