"""Writes to the catalogue. The listing gate lives here: what may be sold, decided from certificates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from marketplace.catalogue.models import ListingEvent, ListingReason, ListingState, ListingTrigger, Product
from marketplace.catalogue.signals import products_changed
from marketplace.certification.models import MIN_LISTED_STARS, Certification, CertificationStatus
from marketplace.certification.selectors import valid_certification_q
from marketplace.core.bulk import bulk_update_rows, copy_insert
from marketplace.core.dates import local_today


@dataclass(frozen=True)
class ListingDecision:
    state: str
    certification: Certification | None
    reason: str | None  # None: nothing to record


@dataclass
class ListingChanges:
    listed: int = 0
    delisted: int = 0
    recertified: int = 0


def _starts(certification: Certification) -> datetime.date:
    return certification.valid_from or certification.decision_date or datetime.date.min


def decide_listing(
    *,
    product: Product,
    certifications: Iterable[Certification],
    current: Certification | None,
    today: datetime.date,
) -> ListingDecision:
    """What the gate says of one product today. Pure: reads only its arguments.

    `certifications` are all of the product's certificates; `current` is the one it is listed
    under now (normally among them, unless the registry moved it to another product).
    """
    valid = [c for c in certifications if c.is_valid_on(today)]
    was_listed = product.listing_state == ListingState.LISTED
    if valid:
        chosen = max(valid, key=lambda c: (_starts(c), c.registry_updated_at, c.certificate_id))
        if not was_listed:
            reason = (
                ListingReason.RELISTED if product.listing_state == ListingState.DELISTED else ListingReason.CERTIFIED
            )
            return ListingDecision(ListingState.LISTED, chosen, reason)
        if current is None or current.pk != chosen.pk:
            return ListingDecision(ListingState.LISTED, chosen, ListingReason.RECERTIFIED)
        return ListingDecision(ListingState.LISTED, chosen, None)
    if was_listed:
        return ListingDecision(ListingState.DELISTED, current, delisting_reason(current=current, today=today))
    return ListingDecision(product.listing_state, current, None)


def delisting_reason(*, current: Certification | None, today: datetime.date) -> str:
    """Why the certificate a product was listed under no longer lists it."""
    if current is None:
        return ListingReason.NO_VALID_CERTIFICATE
    if current.is_quarantined:
        return ListingReason.QUARANTINED
    by_status = {
        CertificationStatus.REVOKED: ListingReason.REVOKED,
        CertificationStatus.SUSPENDED: ListingReason.SUSPENDED,
        CertificationStatus.SUPERSEDED: ListingReason.SUPERSEDED,
        CertificationStatus.EXPIRED: ListingReason.CERTIFICATE_EXPIRED,
    }
    if current.status in by_status:
        return by_status[current.status]
    if current.stars < MIN_LISTED_STARS:
        return ListingReason.DOWNGRADED
    if current.valid_until < today:
        return ListingReason.CERTIFICATE_EXPIRED
    if _starts(current) > today:
        return ListingReason.NOT_YET_VALID
    return ListingReason.NO_VALID_CERTIFICATE


# What the gate and the audit trail read of a certificate (never the raw record).
_GATE_FIELDS = (
    "pk",
    "product_id",
    "certificate_id",
    "revision",
    "registry_updated_at",
    "status",
    "stars",
    "valid_from",
    "valid_until",
    "decision_date",
    "quarantined_revision",
)


def products_refresh_listing(
    *,
    product_ids: Iterable[int],
    today: datetime.date | None = None,
    trigger: str,
    sync_run_id: int | None = None,
    actor=None,
) -> ListingChanges:
    """Apply the gate to these products: list, delist or re-certify, recording each change.

    Runs inside the caller's transaction (the sync's page) or its own. Rows are locked so a
    concurrent change of the same products waits rather than overwrites.
    """
    day = today or local_today()
    ids = sorted(set(product_ids))
    changes = ListingChanges()
    if not ids:
        return changes
    now = timezone.now()
    with transaction.atomic():
        products = list(
            Product.objects.filter(pk__in=ids)
            .select_for_update()
            .only("pk", "listing_state", "current_certification_id", "listing_changed_at")
            .order_by("pk")
        )
        current_ids = {p.current_certification_id for p in products if p.current_certification_id}
        certifications = Certification.objects.filter(Q(product_id__in=ids) | Q(pk__in=current_ids)).only(*_GATE_FIELDS)
        by_product: dict[int, list[Certification]] = defaultdict(list)
        by_pk: dict[int, Certification] = {}
        for certification in certifications:
            by_product[certification.product_id].append(certification)
            by_pk[certification.pk] = certification
        changed: list[Product] = []
        events: list[ListingEvent] = []
        for product in products:
            decision = decide_listing(
                product=product,
                certifications=by_product[product.pk],
                current=by_pk.get(product.current_certification_id),
                today=day,
            )
            if decision.reason is None:
                continue
            certification = decision.certification
            events.append(
                ListingEvent(
                    product=product,
                    from_state=product.listing_state,
                    to_state=decision.state,
                    reason=decision.reason,
                    certificate_id=certification.certificate_id if certification else "",
                    certificate_revision=certification.revision if certification else None,
                    trigger=trigger,
                    sync_run_id=sync_run_id,
                    actor=actor,
                )
            )
            if decision.state == ListingState.LISTED and product.listing_state != ListingState.LISTED:
                changes.listed += 1
            elif decision.state == ListingState.DELISTED:
                changes.delisted += 1
            else:
                changes.recertified += 1
            product.listing_state = decision.state
            product.current_certification = certification
            product.listing_changed_at = now
            changed.append(product)
        bulk_update_rows(changed, ["listing_state", "current_certification", "listing_changed_at"])
        copy_insert(events)
        if changed and trigger != ListingTrigger.REGISTRY_SYNC:  # the sync announces its whole page itself
            changed_ids = [product.pk for product in changed]
            transaction.on_commit(lambda: products_changed.send(sender=Product, product_ids=changed_ids))
    return changes


def products_needing_daily_check(*, today: datetime.date) -> list[int]:
    """Listed products whose certificate no longer holds today, and unlisted ones that now have a valid one."""
    listed_but_invalid = Product.objects.filter(listing_state=ListingState.LISTED).exclude(
        valid_certification_q(today, prefix="current_certification__")
    )
    valid_elsewhere = Certification.objects.filter(valid_certification_q(today), product=OuterRef("pk"))
    unlisted_but_valid = Product.objects.filter(~Q(listing_state=ListingState.LISTED), Exists(valid_elsewhere))
    return list(listed_but_invalid.values_list("pk", flat=True)) + list(unlisted_but_valid.values_list("pk", flat=True))


def catalogue_apply_daily_check(*, today: datetime.date | None = None, batch_size: int = 500) -> ListingChanges:
    """The daily task after midnight: delist what expired (the registry may still say `active`)."""
    day = today or local_today()
    ids = products_needing_daily_check(today=day)
    total = ListingChanges()
    for start in range(0, len(ids), batch_size):
        changes = products_refresh_listing(
            product_ids=ids[start : start + batch_size], today=day, trigger=ListingTrigger.DAILY_CHECK
        )
        total.listed += changes.listed
        total.delisted += changes.delisted
        total.recertified += changes.recertified
    return total
