"""The catalogue for other platforms: a Google Merchant Center feed, a Meta catalogue, and open data.

- **Google Merchant Center** (`feeds/google-merchant.xml`): RSS 2.0 with the `g:` namespace, one item per pack
  (variant) for sale: id, title, description, link, image_link, price in VND, availability, brand (the
  producer), `identifier_exists` no (OCOP goods have no GTIN), `item_group_id` (the product), product_type
  (the OCOP group), condition new.
- **Meta catalogue** (`feeds/meta-catalogue.csv`): the same items in Meta's CSV columns.
- **Open data** (`open-data/ocop-certified.csv` and `.json`): every listed product's certificate, stars,
  validity, product, producer, commune and group, with its licence, for the province's open-data portal.

Only what is for sale (the gate, `listed_products()`/`listed_variants()`) is written. The files are written by
`refresh_feeds` (a Celery task on a schedule, `OCOP_FEEDS_REFRESH_MINUTES`) to storage whole, then swapped in
under their names, so a reader never gets half a file; a delisting leaves them at the next refresh. Links are
absolute, from `OCOP_SITE_URL`.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from marketplace.catalogue.models import ProductMedia, ProductVariantChannelListing
from marketplace.catalogue.selectors import listed_products, listed_variants
from marketplace.inventory.models import Stock
from web.navigation import site_url

GOOGLE_FEED = "feeds/google-merchant.xml"
META_FEED = "feeds/meta-catalogue.csv"
OPEN_DATA_CSV = "open-data/ocop-certified.csv"
OPEN_DATA_JSON = "open-data/ocop-certified.json"
CHUNK = 2000
GOOGLE_NS = "http://base.google.com/ns/1.0"
TITLE_MAX, DESCRIPTION_MAX = 150, 5000  # Google's limits, in characters
META_COLUMNS = (
    "id",
    "item_group_id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "google_product_category",
    "product_type",
)


_SLUG = "0slug0"  # a slug no product has, replaced by each product's


@dataclass(frozen=True)
class FeedItem:
    """One pack for sale, as both feeds describe it."""

    id: str  # the variant's SKU
    item_group_id: str  # the product's registry id
    title: str
    description: str
    availability: str  # in_stock | out_of_stock (Google's words; Meta's are written with a space)
    price: int  # whole đồng
    link: str
    image_link: str
    brand: str
    product_type: str


def feed_items() -> Iterator[FeedItem]:
    """Every pack of a listed product that has a price in the default channel, by product and pack."""
    channel_price = ProductVariantChannelListing.objects.filter(
        variant=OuterRef("pk"), channel__slug=settings.OCOP_CHANNEL_SLUG
    ).values("price_amount")[:1]
    available = (
        Stock.objects.filter(variant=OuterRef("pk"), outlet__is_active=True)
        .values("variant")
        .annotate(total=Sum("quantity") - Sum("quantity_allocated"))
        .values("total")[:1]
    )
    first_image = (
        ProductMedia.objects.filter(product=OuterRef("product_id"), status=ProductMedia.Status.READY)
        .order_by("sort_order", "pk")
        .values("image")[:1]
    )
    rows = (
        listed_variants()
        .annotate(price=Subquery(channel_price), available=Subquery(available), image=Subquery(first_image))
        .filter(price__isnull=False)
        .order_by("product_id", "sort_order", "sku")
        .values(
            "sku",
            "name",
            "price",
            "available",
            "image",
            "product__slug",
            "product__registry_id",
            "product__name",
            "product__description",
            "product__seller_description",
            "product__product_set",
            "product__producer__name",
            "product__group__name",
        )
    )
    # Each page's address made once and filled in per row: `reverse` for every row was 40 % of the time.
    product_page = site_url(reverse("web:provenance", args=[_SLUG]))
    share_card = site_url(reverse("web:provenance_share_image", args=[_SLUG]))
    for row in rows.iterator(chunk_size=CHUNK):
        product_name, slug = row["product__name"], row["product__slug"]
        name = f"{product_name} – {row['name']}" if row["name"] else product_name
        description = row["product__seller_description"] or row["product__description"] or name
        image = default_storage.url(row["image"]) if row["image"] else share_card.replace(_SLUG, slug)
        yield FeedItem(
            id=row["sku"][:50],
            item_group_id=row["product__registry_id"][:50],
            title=name[:TITLE_MAX],
            description=description[:DESCRIPTION_MAX],
            availability="in_stock" if (row["available"] or 0) > 0 else "out_of_stock",
            price=int(row["price"]),
            link=product_page.replace(_SLUG, slug),
            image_link=image if image.startswith("http") else site_url(image),
            brand=row["product__producer__name"][:70],
            product_type=row["product__group__name"] or row["product__product_set"] or "OCOP",
        )


def google_merchant_feed(items: Iterator[FeedItem]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<rss version="2.0" xmlns:g="{GOOGLE_NS}">\n<channel>\n'
    yield "<title>OCOP Đồng Nai</title>\n"
    yield f"<link>{escape(site_url('/'))}</link>\n"
    yield "<description>Certified OCOP products of Đồng Nai (3 to 5 stars)</description>\n"
    for item in items:
        fields = [
            ("g:id", item.id),
            ("g:item_group_id", item.item_group_id),
            ("g:title", item.title),
            ("g:description", item.description),
            ("g:link", item.link),
            ("g:image_link", item.image_link),
            ("g:availability", item.availability),
            ("g:price", f"{item.price} VND"),
            ("g:brand", item.brand),
            ("g:identifier_exists", "no"),
            ("g:condition", "new"),
            ("g:product_type", item.product_type),
        ]
        yield "<item>" + "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in fields) + "</item>\n"
    yield "</channel>\n</rss>\n"


def _csv(header: Sequence[str], rows: Iterator[Sequence[object]]) -> Iterator[str]:
    """A CSV file in pieces of about 64 KB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def meta_catalogue(items: Iterator[FeedItem]) -> Iterator[str]:
    rows = (
        (
            item.id,
            item.item_group_id,
            item.title,
            item.description,
            item.availability.replace("_", " "),
            "new",
            f"{item.price} VND",
            item.link,
            item.image_link,
            item.brand,
            "",
            item.product_type,
        )
        for item in items
    )
    return _csv(META_COLUMNS, rows)


@dataclass(frozen=True)
class CertifiedRecord:
    """One row of the open data: a listed product and the certificate it is sold under."""

    certificate_id: str
    stars: int
    valid_from: str
    valid_until: str
    decision_number: str
    decision_date: str
    council: str
    product: str
    product_en: str
    product_url: str
    producer: str
    producer_kind: str
    commune: str
    province: str
    ocop_group: str


def certified_records() -> Iterator[CertifiedRecord]:
    products = listed_products().order_by("pk")
    product_page = site_url(reverse("web:provenance", args=[_SLUG]))
    for product in products.iterator(chunk_size=CHUNK):
        certificate, producer = product.current_certification, product.producer
        assert certificate is not None, "the gate lists no product without a certificate"
        yield CertifiedRecord(
            certificate_id=certificate.certificate_id,
            stars=certificate.stars,
            valid_from=certificate.valid_from.isoformat() if certificate.valid_from else "",
            valid_until=certificate.valid_until.isoformat(),
            decision_number=certificate.decision_number,
            decision_date=certificate.decision_date.isoformat() if certificate.decision_date else "",
            council=certificate.council_level,
            product=product.name,
            product_en=product.name_en,
            product_url=product_page.replace(_SLUG, product.slug),
            producer=producer.name,
            producer_kind=producer.kind,
            commune=producer.commune_today or producer.address_commune,
            province=producer.province_today or producer.address_province,
            ocop_group=product.group.name if product.group else "",
        )


def licence() -> dict[str, str]:
    return {"name": settings.OCOP_OPEN_DATA_LICENCE, "url": settings.OCOP_OPEN_DATA_LICENCE_URL}


def open_data_csv(records: Iterator[CertifiedRecord]) -> Iterator[str]:
    return _csv(list(CertifiedRecord.__dataclass_fields__), (astuple(record) for record in records))


def open_data_json(records: Iterator[CertifiedRecord], *, generated: datetime.datetime) -> Iterator[str]:
    meta = {
        "title": "OCOP certified products of Đồng Nai",
        "publisher": "OCOP Marketplace",
        "licence": licence(),
        "generated_at": generated.isoformat(),
    }
    yield json.dumps(meta, ensure_ascii=False)[:-1] + ', "records": ['
    for number, record in enumerate(records):
        yield ("," if number else "") + json.dumps(asdict(record), ensure_ascii=False)
    yield "]}\n"


def _store(name: str, chunks: Iterator[str]) -> int:
    """Write the file beside `name`, then put it in its place: a reader gets the old file or the new one, whole.
    Its size in bytes."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:  # a storage without files on this machine: one write of the whole file
        content = "".join(chunks).encode()
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
        return len(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".partial") as out:
        try:
            out.writelines(chunks)
        except BaseException:
            Path(out.name).unlink()
            raise
    os.replace(out.name, path)
    return path.stat().st_size


def refresh_feeds() -> dict[str, int]:
    """Write every feed and the open data again, from what is for sale now; each file's size in bytes."""
    return {
        GOOGLE_FEED: _store(GOOGLE_FEED, google_merchant_feed(feed_items())),
        META_FEED: _store(META_FEED, meta_catalogue(feed_items())),
        OPEN_DATA_CSV: _store(OPEN_DATA_CSV, open_data_csv(certified_records())),
        OPEN_DATA_JSON: _store(OPEN_DATA_JSON, open_data_json(certified_records(), generated=timezone.now())),
    }
