"""Reading settings from the environment: one variable each, documented in .env.example."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from exc


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str | None = None) -> list[str]:
    """A comma-separated list; with no default, the variable must be set."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of IP addresses or networks (`10.0.0.5`, `10.0.0.0/8`, `::1`), each checked."""
    items = env_list(name, default)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network.") from exc
    return items


def env_fee_schedule(name: str, default: str) -> dict[str, tuple[str, int]]:
    """Fees by gateway id, comma-separated `<gateway>=<percent>+<fixed đồng>`:
    `saleor.app.payment.stripe=3.0+0` → {"saleor.app.payment.stripe": ("3.0", 0)}. The percent stays a string
    (read as a Decimal where fees are worked out); each entry is checked here."""
    from decimal import Decimal, InvalidOperation

    schedule: dict[str, tuple[str, int]] = {}
    for item in env_list(name, default):
        gateway, _, terms = item.partition("=")
        percent, _, fixed = terms.partition("+")
        try:
            rate, flat = Decimal(percent.strip()), int(fixed.strip() or "0")
        except (InvalidOperation, ValueError) as exc:
            raise ImproperlyConfigured(f"{name}: {item!r} is not <gateway>=<percent>+<fixed đồng>.") from exc
        if not gateway.strip() or not 0 <= rate < 100 or flat < 0:
            raise ImproperlyConfigured(f"{name}: {item!r} needs a gateway, a percent from 0 to 100 and fixed ≥ 0.")
        schedule[gateway.strip()] = (percent.strip(), flat)
    return schedule
