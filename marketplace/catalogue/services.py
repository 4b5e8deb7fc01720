"""Writes to the catalogue. The listing gate lives here: what may be sold, decided from certificates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from marketplace.accounts.models import User
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
    by_status: dict[str, ListingReason] = {
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
    actor: User | None = None,
) -> ListingChanges:
    """Apply the gate to these products: list, delist or re-certify, recording each change.

    Runs inside the caller's transaction (the sync's page) or its own. Rows are locked so a
    concurrent change of the same products waits rather than overwrites.
    """
    day = today or local_today()
    ids = sorted(set(product_ids))
    if not ids:
        return ListingChanges()
    now = timezone.now()
    with transaction.atomic():
        products = _lock_products_for_gate(ids)
        certificates = _GateCertificates.load(product_ids=ids, products=products)
        verdicts = _verdicts_that_change(products, certificates=certificates, today=day)
        changes = _tally(verdicts)
        events = [
            _listing_event(verdict, trigger=trigger, sync_run_id=sync_run_id, actor=actor) for verdict in verdicts
        ]
        changed = _apply_verdicts(verdicts, at=now)
        bulk_update_rows(changed, ["listing_state", "current_certification", "listing_changed_at"])
        copy_insert(events)
        if trigger != ListingTrigger.REGISTRY_SYNC:  # the sync announces its whole page itself
            _announce_on_commit([product.pk for product in changed])
    return changes


@dataclass(frozen=True)
class _Verdict:
    """The gate's decision for one product that changes something, with the state it changes from."""

    product: Product
    from_state: str
    decision: ListingDecision


@dataclass(frozen=True)
class _GateCertificates:
    """The certificates the gate weighs: every one of the products', and the ones they are listed under."""

    by_product: dict[int, list[Certification]]
    by_pk: dict[int, Certification]

    @classmethod
    def load(cls, *, product_ids: list[int], products: list[Product]) -> _GateCertificates:
        current_ids = {p.current_certification_id for p in products if p.current_certification_id}
        certifications = Certification.objects.filter(Q(product_id__in=product_ids) | Q(pk__in=current_ids)).only(
            *_GATE_FIELDS
        )
        by_product: dict[int, list[Certification]] = defaultdict(list)
        by_pk: dict[int, Certification] = {}
        for certification in certifications:
            by_product[certification.product_id].append(certification)
            by_pk[certification.pk] = certification
        return cls(by_product=by_product, by_pk=by_pk)

    def of(self, product: Product) -> list[Certification]:
        return self.by_product.get(product.pk, [])

    def current_of(self, product: Product) -> Certification | None:
        if product.current_certification_id is None:
            return None
        return self.by_pk.get(product.current_certification_id)


def _lock_products_for_gate(ids: list[int]) -> list[Product]:
    """The products, locked in a stable order, with only what the gate reads and writes."""
    return list(
        Product.objects.filter(pk__in=ids)
        .select_for_update()
        .only("pk", "listing_state", "current_certification_id", "listing_changed_at")
        .order_by("pk")
    )


def _verdicts_that_change(
    products: Iterable[Product], *, certificates: _GateCertificates, today: datetime.date
) -> list[_Verdict]:
    """`decide_listing` for each product, keeping the decisions that have something to record."""
    verdicts = []
    for product in products:
        decision = decide_listing(
            product=product,
            certifications=certificates.of(product),
            current=certificates.current_of(product),
            today=today,
        )
        if decision.reason is not None:
            verdicts.append(_Verdict(product=product, from_state=product.listing_state, decision=decision))
    return verdicts


def _tally(verdicts: Iterable[_Verdict]) -> ListingChanges:
    changes = ListingChanges()
    for verdict in verdicts:
        to_state = verdict.decision.state
        if to_state == ListingState.LISTED and verdict.from_state != ListingState.LISTED:
            changes.listed += 1
        elif to_state == ListingState.DELISTED:
            changes.delisted += 1
        else:
            changes.recertified += 1
    return changes


def _listing_event(verdict: _Verdict, *, trigger: str, sync_run_id: int | None, actor: User | None) -> ListingEvent:
    """The audit trail's row for one change: from what to what, why, and under which certificate revision."""
    decision = verdict.decision
    certification = decision.certification
    assert decision.reason is not None, "only decisions with a reason are recorded"
    return ListingEvent(
        product=verdict.product,
        from_state=verdict.from_state,
        to_state=decision.state,
        reason=decision.reason,
        certificate_id=certification.certificate_id if certification else "",
        certificate_revision=certification.revision if certification else None,
        trigger=trigger,
        sync_run_id=sync_run_id,
        actor=actor,
    )


def _apply_verdicts(verdicts: Iterable[_Verdict], *, at: datetime.datetime) -> list[Product]:
    """Set the new listing on the products (not saved yet); returns them."""
    changed = []
    for verdict in verdicts:
        product = verdict.product
        product.listing_state = verdict.decision.state
        product.current_certification = verdict.decision.certification
        product.listing_changed_at = at
        changed.append(product)
    return changed


def _announce_on_commit(product_ids: list[int]) -> None:
    """Once committed, tell the listeners (search, caches) which products changed."""
    if product_ids:
        transaction.on_commit(lambda: products_changed.send(sender=Product, product_ids=product_ids))


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
