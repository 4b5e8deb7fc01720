"""Who may open which pages: each console view names the roles it serves; everyone else is turned away.

Anonymous visitors are sent to sign in; signed-in users of another role get 403. Scoping within a role
(a cooperative's own products, an outlet's own orders) is the console views' and their selectors' job:
they read the staff member's own outlet or producer through `own_outlet`, `own_outlet_id` and
`own_producer_id`.

django-stubs types `request.user` as `User | AnonymousUser`. A view behind `role_required` is never
reached anonymously, so it annotates its request as `SignedInRequest`, whose user is a `User`, the way
django-stubs recommends for views behind a login check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeGuard

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import role_of
from marketplace.outlets.models import Outlet

P = ParamSpec("P")


class SignedInRequest(HttpRequest):
    """A request `role_required` let through: its user is signed in, never anonymous."""

    user: User


def _signed_in(request: HttpRequest) -> TypeGuard[SignedInRequest]:
    return request.user.is_authenticated


def role_required(
    *roles: Role,
) -> Callable[
    [Callable[Concatenate[SignedInRequest, P], HttpResponse]], Callable[Concatenate[HttpRequest, P], HttpResponse]
]:
    """Only signed-in users acting in one of `roles` (superusers act as operators) may open the view.

    Producer and outlet staff must belong to a producer or an outlet: their views may rely on it."""

    def decorator(
        view: Callable[Concatenate[SignedInRequest, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not _signed_in(request):
                return redirect_to_login(request.get_full_path())
            role = role_of(request.user)
            if role not in roles:
                raise PermissionDenied
            if role == Role.PRODUCER_STAFF and not request.user.producer_id:
                raise PermissionDenied
            if role == Role.OUTLET_STAFF and not request.user.outlet_id:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def own_outlet_id(request: SignedInRequest) -> int:
    """The id of the outlet the staff member works at (`role_required(Role.OUTLET_STAFF)` turned away anyone
    without one); read from the user, without fetching the outlet."""
    outlet_id = request.user.outlet_id
    if outlet_id is None:
        raise PermissionDenied
    return outlet_id


def own_outlet(request: SignedInRequest) -> Outlet:
    """The outlet the staff member works at, fetched once per request (the user keeps it)."""
    outlet = request.user.outlet
    if outlet is None:
        raise PermissionDenied
    return outlet


def own_producer_id(request: SignedInRequest) -> int:
    """The id of the producer the staff member works for (`role_required(Role.PRODUCER_STAFF)` turned away
    anyone without one)."""
    producer_id = request.user.producer_id
    if producer_id is None:
        raise PermissionDenied
    return producer_id
