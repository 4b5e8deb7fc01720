"""An outlet's week grouped for reading, and whether it is open at a moment, in Vietnam's time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from marketplace.outlets.hours import OpenState, WeekRow, open_state, week_rows
from marketplace.outlets.models import OpeningPeriod
from tests.factories import make_outlet

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
T = datetime.time


def _periods(*spec: tuple[int, T, T]) -> list[OpeningPeriod]:
    return [OpeningPeriod(weekday=day, opens=opens, closes=closes) for day, opens, closes in spec]


# Monday to Saturday 8:00–11:30 and 13:30–17:00; Sunday closed.
WORKSHOP = _periods(*[(day, T(8), T(11, 30)) for day in range(6)], *[(day, T(13, 30), T(17)) for day in range(6)])


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the week of Monday 7 December 2026, Vietnam time."""
    return datetime.datetime(2026, 12, 7 + day, hour, minute, tzinfo=VIETNAM)


def test_days_with_the_same_hours_are_one_row():
    assert week_rows(WORKSHOP) == [
        WeekRow(first=0, last=5, hours=((T(8), T(11, 30)), (T(13, 30), T(17)))),
        WeekRow(first=6, last=6, hours=()),
    ]
    assert week_rows(_periods(*[(day, T(7), T(17)) for day in range(7)])) == [
        WeekRow(first=0, last=6, hours=((T(7), T(17)),))
    ]
    assert week_rows([]) == []


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (_at(0, 8), OpenState(is_open=True, closes_at=T(11, 30))),  # the opening minute is open
        (_at(2, 11, 29), OpenState(is_open=True, closes_at=T(11, 30))),
        (_at(2, 11, 30), OpenState(is_open=False, opens_on=2, days_ahead=0, opens_at=T(13, 30))),  # lunch break
        (_at(3, 7, 59), OpenState(is_open=False, opens_on=3, days_ahead=0, opens_at=T(8))),
        (_at(4, 17), OpenState(is_open=False, opens_on=5, days_ahead=1, opens_at=T(8))),  # Friday → tomorrow
        (_at(5, 17), OpenState(is_open=False, opens_on=0, days_ahead=2, opens_at=T(8))),  # Saturday → Monday
        (_at(6, 10), OpenState(is_open=False, opens_on=0, days_ahead=1, opens_at=T(8))),  # closed on Sunday
    ],
)
def test_open_or_closed_and_until_when(moment, state):
    assert open_state(WORKSHOP, at=moment) == state


def test_the_moment_is_read_in_vietnam_time_whatever_its_zone():
    utc_morning = datetime.datetime(2026, 12, 7, 1, 30, tzinfo=datetime.UTC)  # 8:30 in Vietnam, Monday
    assert open_state(WORKSHOP, at=utc_morning) == OpenState(is_open=True, closes_at=T(11, 30))


def test_an_outlet_open_one_day_a_week_opens_again_a_week_later():
    periods = _periods((0, T(8), T(9)))
    assert open_state(periods, at=_at(0, 10)) == OpenState(is_open=False, opens_on=0, days_ahead=7, opens_at=T(8))


def test_no_hours_on_record_says_nothing():
    assert open_state([], at=_at(0, 9)) is None


def test_a_period_must_open_before_it_closes(db):
    with pytest.raises(IntegrityError):
        OpeningPeriod.objects.create(outlet=make_outlet(), weekday=0, opens=T(17), closes=T(8))


# --- the day a pickup order is ready (issue 16 §5: at 22:40 checkout offered "ready today" at an outlet closed
# since 17:00) ---


def _always(day: datetime.date) -> bool:
    return True


@pytest.mark.parametrize(
    ("earliest", "ready"),
    [
        (_at(0, 9), datetime.date(2026, 12, 7)),  # Monday morning: today
        (_at(0, 16, 59), datetime.date(2026, 12, 7)),  # a minute before closing: still today
        (_at(0, 17), datetime.date(2026, 12, 8)),  # closed: Tuesday
        (_at(0, 22, 40), datetime.date(2026, 12, 8)),
        (_at(5, 18), datetime.date(2026, 12, 14)),  # Saturday evening: not Sunday, Monday
        (_at(6, 10), datetime.date(2026, 12, 14)),  # Sunday: closed all day
    ],
)
def test_an_order_is_ready_on_the_first_day_the_outlet_is_open_after_it_can_be(earliest, ready):
    from marketplace.outlets.hours import ready_day

    assert ready_day(WORKSHOP, earliest=earliest, hands_over_on=_always) == ready


def test_unknown_hours_count_days_only_and_a_booth_waits_for_its_fair():
    from marketplace.outlets.hours import ready_day

    assert ready_day([], earliest=_at(0, 23), hands_over_on=_always) == datetime.date(2026, 12, 7)
    fair = datetime.date(2026, 12, 10)
    assert ready_day(WORKSHOP, earliest=_at(0, 9), hands_over_on=lambda day: day >= fair) == fair


@pytest.mark.django_db
def test_checkout_says_tomorrow_after_the_outlet_closed_and_counts_its_preparation_time():
    from marketplace.checkout.selectors import pickup_ready_date

    outlet = make_outlet(name="Showroom", preparation_minutes=90)
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(outlet=outlet, weekday=day, opens=opens, closes=closes)
        for day in range(6)
        for opens, closes in ((T(8), T(11, 30)), (T(13, 30), T(17)))
    )
    outlet = type(outlet).objects.prefetch_related("opening_periods").get(pk=outlet.pk)

    def ready(at: datetime.datetime, here: bool = True) -> datetime.date:
        return pickup_ready_date(outlet=outlet, all_at_collection_point=here, now=at)

    assert ready(_at(0, 10)) == datetime.date(2026, 12, 7)
    assert ready(_at(0, 15, 45)) == datetime.date(2026, 12, 8)  # 90 minutes take it past 17:00
    assert ready(_at(0, 22, 40)) == datetime.date(2026, 12, 8)
    assert ready(_at(4, 10), here=False) == datetime.date(2026, 12, 7 + 4 + 3)  # Friday + 2 days is Sunday: Monday
