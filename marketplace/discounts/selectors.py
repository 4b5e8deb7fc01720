"""Reads of vouchers: a code as buyers type it, what a voucher is limited to, and whether it may still be used."""

from __future__ import annotations

import datetime

from django.utils import timezone

from marketplace.catalogue.models import Category, CollectionProduct
from marketplace.discounts.calculation import VoucherScope
from marketplace.discounts.error_codes import VoucherRefusal
from marketplace.discounts.models import Voucher, VoucherCode, VoucherCustomer

VOUCHER_CODE_MAX_LENGTH = 64  # VoucherCode.code's max_length


def voucher_code_find(*, code: str) -> VoucherCode | None:
    """The active code typed (case and surrounding spaces ignored), with its voucher and channel."""
    code = (code or "").strip()
    if not code or len(code) > VOUCHER_CODE_MAX_LENGTH or "\x00" in code:
        return None  # no code is that long or holds a NUL (which PostgreSQL refuses to compare)
    return (
        VoucherCode.objects.select_related("voucher__channel", "voucher__event")
        .filter(code__iexact=code, is_active=True)
        .first()
    )


def voucher_scope(*, voucher: Voucher) -> VoucherScope:
    """What the voucher is limited to, its categories widened to their subcategories (4 queries, 5 with
    categories)."""
    category_ids = set(voucher.categories.values_list("pk", flat=True))
    if category_ids:
        category_ids = _with_subcategories(category_ids)
    return VoucherScope(
        product_ids=frozenset(voucher.products.values_list("pk", flat=True)),
        collection_ids=frozenset(voucher.collections.values_list("pk", flat=True)),
        category_ids=frozenset(category_ids),
        producer_ids=frozenset(voucher.producers.values_list("pk", flat=True)),
    )


def _with_subcategories(category_ids: set[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found, todo = set(category_ids), list(category_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def collections_of_products(*, product_ids: list[int], collection_ids: frozenset[int]) -> dict[int, frozenset[int]]:
    """For each product, which of these collections hold it (1 query; none without collections)."""
    if not collection_ids or not product_ids:
        return {}
    held: dict[int, set[int]] = {}
    rows = CollectionProduct.objects.filter(product_id__in=product_ids, collection_id__in=collection_ids)
    for product_id, collection_id in rows.values_list("product_id", "collection_id"):
        held.setdefault(product_id, set()).add(collection_id)
    return {product_id: frozenset(ids) for product_id, ids in held.items()}


def voucher_refusal(
    *, voucher: Voucher, channel_id: int, now: datetime.datetime, email: str, subtotal: int
) -> VoucherRefusal | None:
    """Why the voucher cannot be used now by this e-mail on a checkout of this subtotal, or None.

    The usage read here may be stale by the time an order is placed; `services.voucher_use` checks it again
    with the voucher's row locked.
    """
    if voucher.channel_id != channel_id:
        return VoucherRefusal.OTHER_CHANNEL
    if now < voucher.start_date:
        return VoucherRefusal.NOT_STARTED
    if voucher.end_date is not None and now >= voucher.end_date:
        return VoucherRefusal.EXPIRED
    event = voucher.event
    if event is not None:  # an event's voucher: on the event's days only
        day = timezone.localdate(now)
        if day < event.starts_on:
            return VoucherRefusal.NOT_STARTED
        if day > event.ends_on:
            return VoucherRefusal.EXPIRED
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return VoucherRefusal.USED_UP
    if voucher.apply_once_per_customer and email and used_by(voucher=voucher, email=email):
        return VoucherRefusal.ALREADY_USED
    if subtotal < voucher.min_spent_amount:
        return VoucherRefusal.MINIMUM_NOT_REACHED
    return None


def used_by(*, voucher: Voucher, email: str) -> bool:
    return VoucherCustomer.objects.filter(voucher=voucher, customer_email=email.strip().lower()).exists()
