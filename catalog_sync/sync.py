"""The sync: read the registry's change feed from the stored cursor and apply it, page by page.

Each page and the cursor after it commit in one transaction, so a sync that fails midway
leaves the catalogue consistent with its cursor and the next sync resumes where it stopped.
Within a page, records are applied in bulk (a handful of queries per page, not per record).
Two syncs never run at once: a PostgreSQL advisory lock guards the whole run.
"""

from __future__ import annotations

import gc
import logging
import time
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog_sync.client import FeedPage, RegistryClient, RegistryError
from catalog_sync.models import SYNC_COUNTERS, QuarantinedRecord, RegistryCursor, SyncRun
from catalog_sync.validation import InvalidRecord, ProducerData, ProductData, ValidRecord, validate_record
from marketplace.catalogue.groups import group_name_en, product_set_name_en
from marketplace.catalogue.models import PRODUCT_REGISTRY_FIELDS, Category, ListingTrigger, Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.catalogue.signals import products_changed
from marketplace.catalogue.slugs import english_slug_fill, free_english_slugs
from marketplace.certification.models import Certification
from marketplace.core.bulk import bulk_update_rows, copy_insert
from marketplace.core.dates import local_today
from marketplace.core.text import slugify_vi
from marketplace.outbox.services import enqueue_many
from marketplace.producers.addresses import address_today
from marketplace.producers.models import PRODUCER_REGISTRY_FIELDS, Producer

logger = logging.getLogger(__name__)

_LOCK_KEY = zlib.crc32(b"ocop-marketplace:registry-sync")


class SyncAlreadyRunning(Exception):
    """Another sync holds the lock."""


@dataclass
class PageResult:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SYNC_COUNTERS, 0))
    products_with_new_images: set[int] = field(default_factory=set)
    changed_product_ids: set[int] = field(default_factory=set)


ProgressCallback = Callable[[dict[str, Any]], None]


@contextmanager
def sync_lock() -> Iterator[None]:
    """A session-level advisory lock: released on exit, or by PostgreSQL if the process dies."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise SyncAlreadyRunning("Another registry sync is running; this one did nothing.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])


@contextmanager
def _fewer_gc_pauses() -> Iterator[None]:
    """Collect young objects less often while a sync runs, and leave the long-lived heap out of it.

    A page allocates tens of thousands of short-lived objects (records, rows, model instances);
    at Python's default threshold the cyclic collector runs every 700 allocations and, now and
    then, walks all of Django and the app as well.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run_sync(
    *,
    client: RegistryClient | None = None,
    trigger: str = "command",
    progress: ProgressCallback | None = None,
    page_size: int | None = None,
    max_pages: int | None = None,
) -> SyncRun:
    """Read the feed from the stored cursor to its end. Returns the SyncRun, failed or not.

    Raises SyncAlreadyRunning when another sync holds the lock.
    """
    own_client = client is None
    client = client or RegistryClient()
    limit = page_size or settings.OCOP_REGISTRY_PAGE_SIZE
    try:
        with sync_lock(), _fewer_gc_pauses():
            return _run_locked(client=client, trigger=trigger, progress=progress, limit=limit, max_pages=max_pages)
    finally:
        if own_client:
            client.close()


def _run_locked(
    *, client: RegistryClient, trigger: str, progress: ProgressCallback | None, limit: int, max_pages: int | None
) -> SyncRun:
    registry_url = client.base_url
    cursor_row, _ = RegistryCursor.objects.get_or_create(registry_url=registry_url)
    run = SyncRun.objects.create(registry_url=registry_url, trigger=trigger, cursor_before=cursor_row.cursor)
    registry_seconds = 0.0
    started = time.perf_counter()
    pages = _feed_pages(client, cursor=cursor_row.cursor or None, limit=limit)
    try:
        while True:
            asked = time.perf_counter()
            page = next(pages)
            registry_seconds += time.perf_counter() - asked
            with transaction.atomic():
                _relax_commit_durability()
                result = apply_page(page.records, sync_run=run)
                RegistryCursor.objects.filter(pk=cursor_row.pk).update(
                    cursor=page.next_cursor, updated_at=timezone.now()
                )
                run.pages += 1
                for name, value in result.counts.items():
                    setattr(run, name, getattr(run, name) + value)
                run.cursor_after = page.next_cursor
                run.save(update_fields=["pages", "cursor_after", *SYNC_COUNTERS])
                _queue_image_fetches(result.products_with_new_images)
                _announce_changes(result.changed_product_ids)
            if progress:
                progress(
                    {
                        "page": run.pages,
                        "has_more": page.has_more,
                        "registry_seconds": registry_seconds,
                        "elapsed_seconds": time.perf_counter() - started,
                        **{name: getattr(run, name) for name in SYNC_COUNTERS},
                    }
                )
            if not page.has_more or (max_pages and run.pages >= max_pages):
                break
    except RegistryError as exc:
        logger.error("registry sync #%s failed after %s pages: %s", run.pk, run.pages, exc)
        _finish(run, SyncRun.Status.FAILED, error=str(exc))
        return run
    except Exception as exc:
        _finish(run, SyncRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        pages.close()
    _finish(run, SyncRun.Status.SUCCEEDED)
    return run


def _feed_pages(client: RegistryClient, *, cursor: str | None, limit: int) -> Generator[FeedPage, None, None]:
    """The feed's pages in order, each next one already being fetched while the caller applies this one.

    The registry and the database work at the same time; a page that fails to arrive raises only
    when the caller asks for it, after every page before it has been applied and committed.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="registry-feed") as pool:
        upcoming = pool.submit(client.feed_page, cursor=cursor, limit=limit)
        try:
            while True:
                page = upcoming.result()
                if page.has_more:
                    upcoming = pool.submit(client.feed_page, cursor=page.next_cursor, limit=limit)
                yield page
                if not page.has_more:
                    return
        finally:
            upcoming.cancel()


def _relax_commit_durability() -> None:
    """Let this page's COMMIT return before its WAL reaches the disk.

    Safe here: a page and its cursor commit together, so a crash can only lose whole pages
    along with the cursor after them, and the next sync reads those pages again. It spares
    the sync one disk flush per page.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _finish(run: SyncRun, status: str, *, error: str = "") -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def _announce_changes(product_ids: set[int]) -> None:
    if product_ids:
        ids = sorted(product_ids)
        transaction.on_commit(lambda: products_changed.send(sender=Product, product_ids=ids))


def _queue_image_fetches(product_ids: set[int]) -> None:
    if not product_ids or not settings.OCOP_SYNC_IMAGES:
        return
    from catalog_sync.tasks import fetch_product_images_task

    ids = sorted(product_ids)  # in the page's transaction: the fetches commit with the products
    enqueue_many(fetch_product_images_task, [[pk] for pk in ids], outbox_keys=[f"product-images:{pk}" for pk in ids])


# Applying one page


def apply_page(records: list[Any], *, sync_run: SyncRun | None = None) -> PageResult:
    """Apply one page of the feed. Call inside a transaction: it writes in bulk and assumes the lock."""
    page = _PageApplier(sync_run=sync_run)
    return page.apply(records)


class _PageApplier:
    def __init__(self, *, sync_run: SyncRun | None) -> None:
        self.sync_run = sync_run
        self.result = PageResult()
        self.counts = self.result.counts

    def apply(self, records: list[Any]) -> PageResult:
        self.counts["received"] = len(records)
        parsed: list[ValidRecord | InvalidRecord] = []
        for raw in records:
            try:
                parsed.append(validate_record(raw))
            except InvalidRecord as invalid:
                parsed.append(invalid)

        known, stored = self._known_revisions({p.certificate_id for p in parsed if p.certificate_id})
        winners: dict[str, ValidRecord] = {}
        quarantined: list[InvalidRecord] = []
        latest_invalid: dict[str, int] = {}
        for item in parsed:
            cid, revision = item.certificate_id, item.revision
            previous = known.get(cid) if cid else None
            if previous is not None and revision is not None and revision <= previous:
                self.counts["unchanged" if revision == previous and isinstance(item, ValidRecord) else "stale"] += 1
                continue
            if isinstance(item, ValidRecord):
                self.counts["updated" if cid in stored else "created"] += 1
                stored.add(cid)
                winners[cid] = item
                latest_invalid.pop(cid, None)
                known[cid] = item.revision
            else:
                self.counts["quarantined"] += 1
                quarantined.append(item)
                if cid and revision is not None:
                    winners.pop(cid, None)
                    latest_invalid[cid] = revision
                    known[cid] = revision

        self._store_quarantine(quarantined)
        producers = self._upsert_producers(winners.values())
        products = self._upsert_products(winners.values(), producers)
        touched = self._upsert_certifications(winners, products, producers)
        touched |= self._quarantine_certifications(latest_invalid)
        self._release_quarantine(winners)
        self.result.changed_product_ids = touched  # every product a valid record or a quarantine reached
        changes = products_refresh_listing(
            product_ids=touched,
            today=local_today(),
            trigger=ListingTrigger.REGISTRY_SYNC,
            sync_run_id=self.sync_run.pk if self.sync_run else None,
        )
        self.counts["listed"] = changes.listed
        self.counts["delisted"] = changes.delisted
        return self.result

    # Revisions

    def _known_revisions(self, certificate_ids: set[str]) -> tuple[dict[str, int], set[str]]:
        """The highest revision seen of each certificate (valid or quarantined), and which ones we hold."""
        known: dict[str, int] = {}
        for certificate_id, revision, quarantined in Certification.objects.filter(
            certificate_id__in=certificate_ids
        ).values_list("certificate_id", "revision", "quarantined_revision"):
            known[certificate_id] = max(revision, quarantined or 0)
        stored = set(known)
        for certificate_id, quarantined_revision in QuarantinedRecord.objects.filter(
            certificate_id__in=certificate_ids, released_at__isnull=True, revision__isnull=False
        ).values_list("certificate_id", "revision"):
            known[certificate_id] = max(known.get(certificate_id, 0), quarantined_revision or 0)
        return known, stored

    # Producers

    def _upsert_producers(self, records: Iterable[ValidRecord]) -> dict[str, Producer]:
        latest: dict[str, ProducerData] = {}
        for record in records:
            latest[record.producer.producer_id] = record.producer
        existing = {p.registry_id: p for p in Producer.objects.filter(registry_id__in=latest)}
        new_slugs = _unique_slugs(Producer, {pid: data.name for pid, data in latest.items() if pid not in existing})
        to_create, to_update = [], []
        for producer_id, data in latest.items():
            values = _producer_values(data)
            producer = existing.get(producer_id)
            if producer is None:
                producer = Producer(registry_id=producer_id, slug=new_slugs[producer_id], **values)
                to_create.append(producer)
                existing[producer_id] = producer
            elif any(getattr(producer, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(producer, name, value)
                to_update.append(producer)
        copy_insert(to_create, key="registry_id")
        bulk_update_rows(to_update, PRODUCER_REGISTRY_FIELDS)
        return existing

    # Products

    def _upsert_products(self, records: Iterable[ValidRecord], producers: dict[str, Producer]) -> dict[str, Product]:
        latest: dict[str, tuple[ProductData, str]] = {}
        for record in records:
            latest[record.product.product_id] = (record.product, record.producer.producer_id)
        existing = {p.registry_id: p for p in Product.objects.filter(registry_id__in=latest)}
        new_slugs = _unique_slugs(Product, {pid: data.name for pid, (data, _) in latest.items() if pid not in existing})
        categories = _CategoryCache.get()
        to_create, to_update, with_new_images = [], [], []
        for product_id, (data, producer_id) in latest.items():
            group, category = categories.resolve(data)
            values = {
                "name": data.name,
                "name_en": data.name_en,
                "product_set": data.product_set,
                "description": data.description,
                "registry_image_ids": list(data.image_ids),
                "group_id": group.pk if group else None,
                "category_id": category.pk if category else None,
                "producer_id": producers[producer_id].pk,
            }
            product = existing.get(product_id)
            if product is None:
                product = Product(registry_id=product_id, slug=new_slugs[product_id], **values)
                to_create.append(product)
                existing[product_id] = product
                if data.image_ids:
                    with_new_images.append(product)
            elif any(getattr(product, name) != value for name, value in values.items()):
                if product.registry_image_ids != values["registry_image_ids"]:
                    with_new_images.append(product)
                for name, value in values.items():
                    setattr(product, name, value)
                to_update.append(product)
        _give_english_slugs([*to_create, *to_update])
        copy_insert(to_create, key="registry_id")
        bulk_update_rows(to_update, (*PRODUCT_REGISTRY_FIELDS, "slug_en"))
        self.result.products_with_new_images = {p.pk for p in with_new_images}
        return existing

    # Certifications

    def _upsert_certifications(
        self, winners: dict[str, ValidRecord], products: dict[str, Product], producers: dict[str, Producer]
    ) -> set[int]:
        existing = {c.certificate_id: c for c in Certification.objects.filter(certificate_id__in=winners).defer("raw")}
        to_create, to_update, touched = [], [], set()
        for certificate_id, record in winners.items():
            product = products[record.product.product_id]
            values = _certification_values(record)
            values["product_id"] = product.pk
            values["producer_id"] = producers[record.producer.producer_id].pk
            certification = existing.get(certificate_id)
            if certification is None:
                to_create.append(Certification(certificate_id=certificate_id, **values))
            else:
                touched.add(certification.product_id)  # a certificate can move to another product
                for name, value in values.items():
                    setattr(certification, name, value)
                to_update.append(certification)
            touched.add(product.pk)
        copy_insert(to_create)
        bulk_update_rows(to_update, _CERTIFICATION_FIELDS)
        return touched

    # Quarantine

    def _store_quarantine(self, invalid: list[InvalidRecord]) -> None:
        copy_insert(
            [
                QuarantinedRecord(
                    certificate_id=item.certificate_id[:255],
                    revision=item.revision,
                    raw=item.raw,
                    reasons=item.reasons,
                    sync_run=self.sync_run,
                )
                for item in invalid
            ]
        )

    def _quarantine_certifications(self, latest_invalid: dict[str, int]) -> set[int]:
        """A newer revision that fails validation takes its certificate out of the gate."""
        touched: set[int] = set()
        for certificate_id, revision in latest_invalid.items():
            updated = Certification.objects.filter(certificate_id=certificate_id).update(
                quarantined_revision=revision, updated_at=timezone.now()
            )
            if updated:
                touched.update(
                    Certification.objects.filter(certificate_id=certificate_id).values_list("product_id", flat=True)
                )
        return touched

    def _release_quarantine(self, winners: dict[str, ValidRecord]) -> None:
        if not winners:
            return
        now = timezone.now()
        open_records = QuarantinedRecord.objects.filter(certificate_id__in=winners, released_at__isnull=True)
        released = []
        for quarantined in open_records:
            record = winners[quarantined.certificate_id]
            if quarantined.revision is None or quarantined.revision < record.revision:
                quarantined.released_at = now
                quarantined.released_by_revision = record.revision
                released.append(quarantined)
        bulk_update_rows(released, ["released_at", "released_by_revision"])


_CERTIFICATION_FIELDS = [
    "revision",
    "registry_updated_at",
    "status",
    "stars",
    "score",
    "council_level",
    "decision_number",
    "decision_date",
    "issuer",
    "valid_from",
    "valid_until",
    "supersedes",
    "product",
    "producer",
    "quarantined_revision",
    "raw",
]


def _producer_values(data: ProducerData) -> dict[str, Any]:
    today = address_today(commune=data.address_commune, district=data.address_district, province=data.address_province)
    return {
        "name": data.name,
        "kind": data.kind,
        "tax_code": data.tax_code,
        "representative": data.representative,
        "phone": data.phone,
        "email": data.email,
        "address_line": data.address_line,
        "address_commune": data.address_commune,
        "address_district": data.address_district,
        "address_province": data.address_province,
        "address_commune_code": data.address_commune_code,
        "latitude": data.latitude,
        "longitude": data.longitude,
        "commune_today": today.commune,
        "province_today": today.province,
        "commune_code_today": today.commune_code,
        "address_note": today.note,
    }


def _certification_values(record: ValidRecord) -> dict[str, Any]:
    return {
        "revision": record.revision,
        "registry_updated_at": record.updated_at,
        "status": record.status,
        "stars": record.stars,
        "score": record.score,
        "council_level": record.council_level,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
        "issuer": record.issuer,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "supersedes": record.supersedes,
        "quarantined_revision": None,
        "raw": record.raw,
    }


def _give_english_slugs(products: list[Product]) -> None:
    """An English slug for each product that has an English name and no English slug yet (it then stays)."""
    wanted = {p.registry_id: (p.name_en, p.slug) for p in products if p.name_en and not p.slug_en}
    slugs = free_english_slugs(Product, wanted)
    for product in products:
        product.slug_en = slugs.get(product.registry_id, product.slug_en)


def _unique_slugs(model: type[Producer] | type[Product], names: dict[str, str]) -> dict[str, str]:
    """Readable slugs for new rows (registry id → slug); the registry id disambiguates a clash."""
    wanted = {registry_id: slugify_vi(name) or slugify_vi(registry_id) for registry_id, name in names.items()}
    taken = set(model.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True))
    slugs, clashes = {}, {}
    for registry_id, slug in wanted.items():
        if slug in taken:
            clashes[registry_id] = f"{slug}-{slugify_vi(registry_id)}"[:240]
        else:
            taken.add(slug)
            slugs[registry_id] = slug
    if clashes:
        taken.update(model.objects.filter(slug__in=set(clashes.values())).values_list("slug", flat=True))
    for registry_id, fallback in clashes.items():
        candidate, number = fallback, 2
        while candidate in taken or (candidate != fallback and model.objects.filter(slug=candidate).exists()):
            candidate, number = f"{fallback}-{number}", number + 1
        taken.add(candidate)
        slugs[registry_id] = candidate
    return slugs


class _CategoryCache:
    """OCOP groups and product sets as categories, created on first sight. Small: held per process."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], Category] = {}
        self.sets: dict[tuple[int | None, str], Category] = {}
        for category in Category.objects.all():
            if category.kind == Category.Kind.GROUP:
                self.groups[(category.scheme, category.code)] = category
            else:
                self.sets[(category.parent_id, category.name)] = category

    @classmethod
    def get(cls) -> _CategoryCache:
        return cls()

    def resolve(self, data: ProductData) -> tuple[Category | None, Category | None]:
        if not data.group_scheme or not data.group_code:
            return None, None
        group = self.groups.get((data.group_scheme, data.group_code))
        if group is None:
            group = Category(
                kind=Category.Kind.GROUP,
                scheme=data.group_scheme,
                code=data.group_code,
                name=data.group_name or data.group_code,
                name_en=group_name_en(data.group_name),
                slug=_free_category_slug(f"{data.group_name or 'nhom'}-{data.group_code}-{data.group_scheme}"),
            )
            english_slug_fill(group)
            group.save()
            self.groups[(data.group_scheme, data.group_code)] = group
        if not data.product_set:
            return group, group
        product_set = self.sets.get((group.pk, data.product_set))
        if product_set is None:
            product_set = Category.objects.create(
                kind=Category.Kind.PRODUCT_SET,
                parent=group,
                scheme=data.group_scheme,
                name=data.product_set,
                name_en=product_set_name_en(data.product_set),
                slug=_free_category_slug(f"{data.product_set}-{data.group_scheme}"),
            )
            self.sets[(group.pk, data.product_set)] = product_set
        return group, product_set


def _free_category_slug(text: str) -> str:
    base = slugify_vi(text)
    candidate, number = base, 2
    while Category.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate
