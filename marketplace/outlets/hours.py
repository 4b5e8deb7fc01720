"""When an outlet is open: its week grouped for reading, and whether it is open at a moment (Vietnam's time)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from marketplace.outlets.models import OpeningPeriod

Hours = tuple[tuple[datetime.time, datetime.time], ...]  # a day's periods, (opens, closes), earliest first


@dataclass(frozen=True)
class WeekRow:
    """Days `first`..`last` (weekday numbers, Monday 0) that share the same `hours`; no hours: closed."""

    first: int
    last: int
    hours: Hours


@dataclass(frozen=True)
class OpenState:
    """Open now and until when, or closed and when it opens next: `opens_on` a weekday, `days_ahead` of it (0
    today, 1 tomorrow, up to 7: the same weekday next week) and `opens_at` its time."""

    is_open: bool
    closes_at: datetime.time | None = None
    opens_on: int | None = None
    days_ahead: int | None = None
    opens_at: datetime.time | None = None


def _by_day(periods: Iterable[OpeningPeriod]) -> dict[int, Hours]:
    days: dict[int, list[tuple[datetime.time, datetime.time]]] = {day: [] for day in range(7)}
    for period in periods:
        days[period.weekday].append((period.opens, period.closes))
    return {day: tuple(sorted(hours)) for day, hours in days.items()}


def week_rows(periods: Iterable[OpeningPeriod]) -> list[WeekRow]:
    """Monday to Sunday, the days in a row with the same hours as one row; [] when no hours are known."""
    days = _by_day(periods)
    if not any(days.values()):
        return []
    rows: list[WeekRow] = []
    for day in range(7):
        if rows and rows[-1].hours == days[day]:
            rows[-1] = WeekRow(first=rows[-1].first, last=day, hours=days[day])
        else:
            rows.append(WeekRow(first=day, last=day, hours=days[day]))
    return rows


def open_state(periods: Iterable[OpeningPeriod], *, at: datetime.datetime | None = None) -> OpenState | None:
    """Whether the outlet is open at `at` (default now), read in the marketplace's time zone; None when no hours
    are known. A period includes its opening minute and excludes its closing one."""
    days = _by_day(periods)
    if not any(days.values()):
        return None
    moment = timezone.localtime(at) if at is not None else timezone.localtime()
    today, now = moment.weekday(), moment.time().replace(tzinfo=None)
    for opens, closes in days[today]:
        if opens <= now < closes:
            return OpenState(is_open=True, closes_at=closes)
    for ahead in range(8):  # later today, then the days after, back round to today a week on
        day = (today + ahead) % 7
        for opens, _closes in days[day]:
            if ahead > 0 or opens > now:
                return OpenState(is_open=False, opens_on=day, days_ahead=ahead, opens_at=opens)
    raise AssertionError("unreachable: some day has hours")


def ready_day(
    periods: Iterable[OpeningPeriod], *, earliest: datetime.datetime, hands_over_on: Callable[[datetime.date], bool]
) -> datetime.date:
    """The first day an order that can be ready at `earliest` is collected: that day if the outlet is still open
    after `earliest`, else the next day it opens (and hands orders over, for a fair's booth). An outlet whose hours
    are not known collects on `earliest`'s day."""
    week = _by_day(periods)
    moment = timezone.localtime(earliest)
    if not week:
        return moment.date()
    for offset in range(0, 15):
        day = moment.date() + datetime.timedelta(days=offset)
        hours = week.get(day.weekday(), ())
        if not hands_over_on(day):
            continue
        if any(offset > 0 or closes > moment.time() for _, closes in hours):
            return day
    return moment.date()
