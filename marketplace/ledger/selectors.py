"""Reads of the ledger: what each producer is owed, a producer's statement for a period, the months' totals.

Balances are what the platform owes: minus the sum of the postings on a producer's payable (sales credit it). A
period is a range of days judged in Asia/Ho_Chi_Minh, both ends included.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.core.dates import add_months
from marketplace.ledger.models import (
    AccountKind,
    EntryKind,
    JournalEntry,
    PayoutDetails,
    PayoutLine,
    Posting,
    PostingItem,
)
from marketplace.producers.models import Producer

_MONTH = re.compile(r"(\d{4})-(\d{2})")


# --- periods --------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included, in the marketplace's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        return _local_midnight(self.start)

    @property
    def ends_before(self) -> datetime.datetime:
        return _local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def month_value(self) -> str:
        return f"{self.start:%Y-%m}"


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


def month_period(month: datetime.date) -> Period:
    """The calendar month holding `month`."""
    first = month.replace(day=1)
    return Period(first, add_months(first, 1) - datetime.timedelta(days=1))


def parse_month(value: str | None, *, today: datetime.date) -> Period:
    """ "2026-11" → November 2026; empty → the month of `today`. Anything else raises ValueError."""
    if not value:
        return month_period(today)
    match = _MONTH.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a month written YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise ValueError(f"{value!r} is not a month written YYYY-MM")
    return month_period(datetime.date(year, month, 1))


# --- balances -------------------------------------------------------------------------------------------------


def _payable_postings() -> QuerySet[Posting]:
    return Posting.objects.filter(account__kind=AccountKind.PRODUCER_PAYABLE)


def producer_balances(
    *, producer_ids: Iterable[int] | None = None, before: datetime.datetime | None = None
) -> dict[int, int]:
    """What the platform owes each producer (negative: what the producer owes), by producer id; producers with no
    postings are left out. `before`: from the postings before that moment only."""
    postings = _payable_postings()
    if producer_ids is not None:
        postings = postings.filter(account__producer_id__in=list(producer_ids))
    if before is not None:
        postings = postings.filter(entry__posted_at__lt=before)
    rows = postings.values("account__producer_id").annotate(total=Sum("amount"))
    return {row["account__producer_id"]: -row["total"] for row in rows}


@dataclasses.dataclass(frozen=True)
class ProducerBalance:
    producer: Producer
    balance: int
    in_open_run: bool
    has_payout_details: bool


def producers_with_balances() -> list[ProducerBalance]:
    """Every producer with a ledger account, what it is owed, whether it is in an unpaid run and can be paid."""
    balances = producer_balances()
    producers = Producer.objects.filter(pk__in=list(balances)).order_by("name", "pk")
    open_ids = set(PayoutLine.objects.filter(is_open=True).values_list("producer_id", flat=True))
    with_details = set(PayoutDetails.objects.values_list("producer_id", flat=True))
    return [
        ProducerBalance(
            producer=producer,
            balance=balances[producer.pk],
            in_open_run=producer.pk in open_ids,
            has_payout_details=producer.pk in with_details,
        )
        for producer in producers
    ]


# --- a producer's statement -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StatementLine:
    """One entry of the period as it touched the producer, each amount as it moves the balance owed (a sale's
    goods +, its discount and commission −; a refund the other way round; a payout −)."""

    entry_id: int
    kind: str
    posted_at: datetime.datetime
    order_number: int | None
    fulfillment_number: int | None
    counter_receipt: str  # a walk-in sale's receipt number; "" for the rest
    payout_run_id: int | None
    memo: str
    goods: int
    discount: int
    commission: int
    payout: int
    other: int

    @property
    def net(self) -> int:
        return self.goods + self.discount + self.commission + self.payout + self.other

    @property
    def reference(self) -> str:
        if self.order_number is not None:
            return (
                f"#{self.order_number}-{self.fulfillment_number}"
                if self.fulfillment_number
                else f"#{self.order_number}"
            )
        if self.counter_receipt:
            return f"{gettext('Counter sale')} {self.counter_receipt}"  # translated in web/portal's catalogue
        if self.payout_run_id is not None:
            return f"#{self.payout_run_id}"
        return ""


@dataclasses.dataclass(frozen=True)
class Statement:
    producer: Producer
    period: Period
    opening_balance: int
    sales: list[StatementLine]
    refunds: list[StatementLine]
    payouts: list[StatementLine]
    corrections: list[StatementLine]

    @property
    def lines(self) -> list[StatementLine]:
        return [*self.sales, *self.refunds, *self.payouts, *self.corrections]

    @property
    def sales_total(self) -> int:
        return sum(line.goods for line in self.sales)

    @property
    def discounts_total(self) -> int:
        return sum(line.discount for line in self.sales)

    @property
    def commission_total(self) -> int:
        return sum(line.commission for line in self.sales)

    @property
    def refunds_total(self) -> int:
        return sum(line.net for line in self.refunds)

    @property
    def payouts_total(self) -> int:
        return sum(line.net for line in self.payouts)

    @property
    def corrections_total(self) -> int:
        return sum(line.net for line in self.corrections)

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + sum(line.net for line in self.lines)


_COLUMN = {
    PostingItem.GOODS: "goods",
    PostingItem.DISCOUNT: "discount",
    PostingItem.COMMISSION: "commission",
    PostingItem.PAYOUT: "payout",
}


def _statement_line(entry: JournalEntry, postings: list[Posting]) -> StatementLine:
    amounts = {"goods": 0, "discount": 0, "commission": 0, "payout": 0, "other": 0}
    for posting in postings:
        amounts[_COLUMN.get(PostingItem(posting.item), "other")] -= posting.amount
    return StatementLine(
        entry_id=entry.pk,
        kind=entry.kind,
        posted_at=entry.posted_at,
        order_number=entry.order.number if entry.order is not None else None,
        fulfillment_number=entry.fulfillment.fulfillment_order if entry.fulfillment is not None else None,
        counter_receipt=entry.counter_sale.receipt_number if entry.counter_sale is not None else "",
        payout_run_id=entry.payout_run_id,
        memo=entry.memo,
        **amounts,
    )


def producer_statement(*, producer: Producer, period: Period) -> Statement:
    """The producer's statement: the balance before the period, each entry of the period grouped as sales,
    refunds, payouts and corrections, and the balance after (two queries)."""
    opening = producer_balances(producer_ids=[producer.pk], before=period.starts_at).get(producer.pk, 0)
    postings = (
        _payable_postings()
        .filter(
            account__producer=producer,
            entry__posted_at__gte=period.starts_at,
            entry__posted_at__lt=period.ends_before,
        )
        .select_related("entry__order", "entry__fulfillment", "entry__counter_sale")
        .order_by("entry__posted_at", "entry_id", "pk")
    )
    by_entry: dict[int, list[Posting]] = defaultdict(list)
    entries: dict[int, JournalEntry] = {}
    for posting in postings:
        by_entry[posting.entry_id].append(posting)
        entries[posting.entry_id] = posting.entry
    grouped: dict[str, list[StatementLine]] = defaultdict(list)
    for entry_id, entry in entries.items():
        grouped[entry.kind].append(_statement_line(entry, by_entry[entry_id]))
    return Statement(
        producer=producer,
        period=period,
        opening_balance=opening,
        sales=grouped[EntryKind.SALE],
        refunds=grouped[EntryKind.REFUND],
        payouts=grouped[EntryKind.PAYOUT],
        corrections=grouped[EntryKind.CORRECTION] + grouped[EntryKind.FEE],
    )


# --- the months' totals ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MonthTotals:
    """A month's movements of the producers' money (whole đồng, as positive figures) and what was owed after."""

    period: Period
    sales: int
    commission: int
    producer_discounts: int
    platform_discounts: int
    refunds: int
    payouts: int
    owed_at_end: int


def monthly_totals(*, months: list[Period], producers: QuerySet[Producer] | None = None) -> list[MonthTotals]:
    """For each calendar month (`months` as `month_period` makes them): the goods sold, the commission and
    vouchers on them, what refunds took back from the producers, what was paid out, and what the platform owed the
    producers at the month's end. `producers` narrows it (trade staff: their province's)."""
    if not months:
        return []
    entries = JournalEntry.objects.filter(producer__isnull=False)
    if producers is not None:
        entries = entries.filter(producer__in=producers)
    first, last = min(m.starts_at for m in months), max(m.ends_before for m in months)
    postings = Posting.objects.filter(entry__in=entries)
    rows = (
        postings.filter(entry__posted_at__gte=first, entry__posted_at__lt=last)
        .annotate(month=TruncMonth("entry__posted_at", tzinfo=timezone.get_default_timezone()))
        .values("month", "entry__kind", "account__kind", "item")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by_start = {month.start: month for month in months}
    figures: dict[Period, dict[str, int]] = {month: defaultdict(int) for month in months}
    for row in rows:
        month = by_start.get(timezone.localtime(row["month"]).date())
        if month is not None:
            _add(figures[month], row)
    owed = _owed_at(postings, [m.ends_before for m in months])
    return [
        MonthTotals(
            period=month,
            sales=figures[month]["sales"],
            commission=figures[month]["commission"],
            producer_discounts=figures[month]["producer_discounts"],
            platform_discounts=figures[month]["platform_discounts"],
            refunds=figures[month]["refunds"],
            payouts=figures[month]["payouts"],
            owed_at_end=owed[month.ends_before],
        )
        for month in months
    ]


def _add(figures: dict[str, int], row: Mapping[str, Any]) -> None:
    kind, account, item, amount = row["entry__kind"], row["account__kind"], row["item"], row["total"]
    payable = account == AccountKind.PRODUCER_PAYABLE
    if kind == EntryKind.SALE and payable:
        name = {PostingItem.GOODS: "sales", PostingItem.DISCOUNT: "producer_discounts"}.get(item, "commission")
        figures[name] += -amount if item == PostingItem.GOODS else amount
    elif kind == EntryKind.SALE and account == AccountKind.PLATFORM_DISCOUNTS:
        figures["platform_discounts"] += amount
    elif kind == EntryKind.REFUND and payable:
        figures["refunds"] += amount
    elif kind == EntryKind.PAYOUT and payable:
        figures["payouts"] += amount


def _owed_at(postings: QuerySet[Posting], moments: list[datetime.datetime]) -> dict[datetime.datetime, int]:
    payable = postings.filter(account__kind=AccountKind.PRODUCER_PAYABLE)
    totals = payable.aggregate(
        **{
            f"m{index}": Coalesce(Sum("amount", filter=Q(entry__posted_at__lt=moment)), 0)
            for index, moment in enumerate(moments)
        }
    )
    return {moment: -totals[f"m{index}"] for index, moment in enumerate(moments)}


def last_months(*, today: datetime.date, count: int = 12) -> list[Period]:
    """The month of `today` and the `count - 1` before it, newest first."""
    first = today.replace(day=1)
    return [month_period(add_months(first, -offset)) for offset in range(count)]
