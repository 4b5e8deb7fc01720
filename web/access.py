"""Who may open which pages: each console view names the roles it serves; everyone else is turned away.

Anonymous visitors are sent to sign in; signed-in users of another role get 403. Scoping within a role
(a cooperative's own products, an outlet's own orders) is the console views' and their selectors' job.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import role_of


def role_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only signed-in users acting in one of `roles` (superusers act as operators) may open the view."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
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
