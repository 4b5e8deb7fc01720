"""What the provenance page gives machines: schema.org JSON-LD, and a QR code of its address for labels."""

from __future__ import annotations

import io
import json
from typing import Any

import segno
from django.utils.safestring import SafeString, mark_safe

from web.selectors import SHARED_PHOTO_SIZE, Provenance, media_url

SCHEMA = "https://schema.org/"
# In a <script> element only "</script" or "<!--" could end it early; escaping <, > and & covers both.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def product_json_ld(provenance: Provenance, *, page_url: str, absolute: Any) -> dict[str, Any]:
    """schema.org `Product`: offers (VND, availability) only while it is for sale; producer as brand.

    `absolute` turns a path into an absolute URL (`request.build_absolute_uri`).
    """
    product, producer = provenance.product, provenance.product.producer
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": page_url,
        "sku": product.registry_id,
        "brand": {"@type": "Brand", "name": producer.name},
        "manufacturer": {
            "@type": "Organization",
            "name": producer.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": producer.address_line,
                "addressLocality": producer.commune_today or producer.address_commune,
                "addressRegion": producer.province_today or producer.address_province,
                "addressCountry": "VN",
            },
        },
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    description = product.seller_description or product.description
    if description:
        data["description"] = description
    if provenance.images:
        data["image"] = [absolute(media_url(media, SHARED_PHOTO_SIZE)) for media in provenance.images]
    if provenance.certificate is not None and provenance.for_sale:
        data["award"] = f"OCOP {provenance.certificate.stars}★ ({provenance.certificate.certificate_id})"
    offers = [offer for offer in provenance.offers if offer.price is not None]
    if provenance.for_sale and offers:
        data["offers"] = [
            {
                "@type": "Offer",
                "sku": offer.variant.sku,
                "name": offer.variant.name or offer.variant.sku,
                "price": str(offer.price),
                "priceCurrency": "VND",
                "availability": f"{SCHEMA}{'InStock' if offer.available > 0 else 'OutOfStock'}",
                "url": page_url,
            }
            for offer in offers
        ]
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """The JSON for a `<script type="application/ld+json">`, with <, > and & escaped (as `json_script` does)."""
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES))


def qr_svg(url: str, *, title: str = "") -> bytes:
    """An SVG QR code of `url` (error correction M, which survives a scuffed shelf label)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, title=title or url)  # segno escapes it
    return buffer.getvalue()
