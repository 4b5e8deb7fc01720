"""Where each kind of user starts, and the links of the page header."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import role_of

# role → (URL name of its console, label); consumers have none. Consoles not built yet are skipped.
CONSOLES = {
    Role.PRODUCER_STAFF: "portal:home",
    Role.TRADE_STAFF: "trade:home",
    Role.OUTLET_STAFF: "outlet:home",
    Role.OPERATOR: "admin:index",
}


def console_url(user: Any) -> str | None:
    role = role_of(user)
    name = CONSOLES.get(role) if role is not None else None
    if name is None:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def home_for(user: Any) -> str:
    return console_url(user) or reverse("web:home")


def site_url(path: str) -> str:
    """`path` on `OCOP_SITE_URL`: the address written where no request gives the host (feeds, account e-mails)."""
    return settings.OCOP_SITE_URL.rstrip("/") + path
