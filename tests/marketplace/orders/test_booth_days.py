"""A fair's booth: chosen at checkout until its last day (an order placed before the fair is collected there during
it), and it hands over orders only on the fair's days."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.channel.services import channel_ensure_default
from marketplace.checkout.selectors import collection_points
from marketplace.core.errors import DomainError
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import OrderStatus
from marketplace.orders.services import order_hand_over
from tests.factories import make_user
from tests.order_factories import make_pickup_outlet, make_ready_order

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _booth(first: int, last: int):
    """A booth whose fair runs from `first` to `last` days from today."""
    booth = make_pickup_outlet(
        name="Gian hàng Hội chợ", collects_from=TODAY + first * DAY, collects_until=TODAY + last * DAY
    )
    booth.channels.add(channel_ensure_default())
    return booth


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last", "offered"), [(5, 7, True), (-1, 1, True), (-7, -1, False)])
def test_a_booth_is_offered_until_its_last_day(first, last, offered):
    booth = _booth(first, last)
    assert (booth in collection_points(channel_id=channel_ensure_default().pk)) is offered


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last", "hands_over"), [(5, 7, False), (-1, 1, True), (0, 0, True), (-7, -1, False)])
def test_a_booth_hands_over_only_on_the_fairs_days(first, last, hands_over):
    booth = _booth(first, last)
    order = make_ready_order(collection_point=booth, total_charged_amount=300_000)  # paid
    staff = make_user(Role.OUTLET_STAFF, outlet=booth)
    if hands_over:
        assert order_hand_over(order=order, by_user=staff).status == OrderStatus.PICKED_UP
        return
    with pytest.raises(DomainError) as refused:
        order_hand_over(order=order, by_user=staff)
    assert refused.value.details[0].code == OrderErrorCode.OUTLET_NOT_HANDING_OVER
    assert "only during its fair" in refused.value.details[0].message
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_PICKUP  # nothing changed


@pytest.mark.django_db
def test_a_booths_last_day_cannot_come_before_its_first():
    with pytest.raises(IntegrityError):
        _booth(3, 1)
