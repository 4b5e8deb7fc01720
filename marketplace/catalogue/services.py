"""Writes to the catalogue. The listing gate lives here: what may be sold, decided from certificates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from marketplace.catalogue.models import ListingEvent, ListingReason, ListingState, ListingTrigger, Product
from marketplace.certification.models import MIN_LISTED_STARS, Certification, CertificationStatus
from marketplace.certification.selectors import valid_certification_q
from marketplace.core.bulk import bulk_update_rows
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
    *, product: Product, certifications: Iterable[Certification], today: datetime.date
) -> ListingDecision:
    """What the gate says of one product today. Pure: reads only its arguments."""
    valid = [c for c in certifications if c.is_valid_on(today)]
    current = product.current_certification
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
        reason = delisting_reason(current=_fresh(current, certifications), today=today)
        return ListingDecision(ListingState.DELISTED, current, reason)
    return ListingDecision(product.listing_state, current, None)


def _fresh(current: Certification | None, certifications: Iterable[Certification]) -> Certification | None:
    if current is None:
        return None
    return next((c for c in certifications if c.pk == current.pk), current)


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
            .select_for_update(of=("self",))
            .select_related("current_certification")
            .defer("current_certification__raw")
            .prefetch_related(Prefetch("certifications", queryset=Certification.objects.defer("raw").order_by("pk")))
            .order_by("pk")
        )
        changed: list[Product] = []
        events: list[ListingEvent] = []
        for product in products:
            decision = decide_listing(product=product, certifications=product.certifications.all(), today=day)
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
        ListingEvent.objects.bulk_create(events)
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
