"""The back office's rules for outlets: operators run them; outlet staff see theirs, trade staff their province's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, VIEW, Resource, is_operator, register_model, role_of
from marketplace.outlets.models import OpeningPeriod, Outlet

OUTLET = Resource("outlets.outlet", grants={Role.OPERATOR: ALL, Role.TRADE_STAFF: VIEW, Role.OUTLET_STAFF: VIEW})


def scope_outlets(user: Any, qs: QuerySet[Outlet]) -> QuerySet[Outlet]:
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(pk=user.outlet_id)
    if role == Role.TRADE_STAFF and user.province:
        return qs.filter(province=user.province)
    return qs.none()


def choosable_outlets(user: Any, qs: QuerySet[Outlet]) -> QuerySet[Outlet]:
    """In a form (a stock row), any active outlet; operators may also pick a closed one."""
    return qs if is_operator(user) else qs.filter(is_active=True)


def scope_opening_periods(user: Any, qs: QuerySet[OpeningPeriod]) -> QuerySet[OpeningPeriod]:
    """The opening hours of the outlets the user sees."""
    return qs.filter(outlet__in=scope_outlets(user, Outlet.objects.all()))


register_model(Outlet, scope=scope_outlets, choices=choosable_outlets)
register_model(OpeningPeriod, scope=scope_opening_periods)
