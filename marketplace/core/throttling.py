"""Limits on guessing: how many tries one account or one client address gets in a window, for every door.

The doors (sign-in on the pages and `tokenCreate`, `requestPasswordReset`, looking up a certificate that
does not exist, filing a misuse report) each name a `Rule`: at most `most` tries per subject within
`window_seconds`. A subject is what is counted: the client address (`client_address`, which believes
`X-Forwarded-For` only from the proxies in `TRUSTED_PROXIES`), and for sign-in the account too.

A try is counted before it is judged (`attempt_start`), so a burst of requests in parallel gets no more
tries than one after the other; a door that counts only failures gives the try back when it succeeds
(`attempt_succeeded`). Over the limit, `Throttled` says when the window ends.

The counters live in the cache (Redis), hashed (an address or an e-mail is never stored as such). When the
cache cannot count (Redis down), the doors stay open and a warning is logged: sign-in keeps working during a
Redis restart, and the limit comes back with Redis (docs/reliability.md, "Sign-in limits and the HTTP edge").
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclasses.dataclass(frozen=True)
class Rule:
    """At most `most` tries per subject in `window_seconds`; `name` keeps each door's counters apart."""

    name: str
    most: int
    window_seconds: int


class Throttled(Exception):
    """Too many tries: refused without looking at what was tried, until `retry_after` seconds have passed."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(f"Too many attempts; retry in {retry_after} seconds")
        self.retry_after = max(int(retry_after), 1)

    @property
    def minutes(self) -> int:
        return max(math.ceil(self.retry_after / 60), 1)


@dataclasses.dataclass(frozen=True)
class Attempt:
    """The counters one try was counted in (none when the cache could not count it)."""

    keys: tuple[str, ...]


def _key(rule_name: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{rule_name}:{kind}:{digest}"


def _keys(rule: Rule, subjects: Mapping[str, str | tuple[int, str]]) -> list[tuple[str, int]]:
    """(key, limit) per subject; a subject given as (limit, value) has a limit of its own."""
    keys = []
    for kind, subject in subjects.items():
        most, value = subject if isinstance(subject, tuple) else (rule.most, subject)
        keys.append((_key(rule.name, kind, value), most))
    return keys


def _count(key: str, window_seconds: int) -> int:
    """Adds one try to `key`'s counter, which lives `window_seconds` from its first try; the new count."""
    if cache.add(key, 1, window_seconds):
        cache.add(f"{key}:until", time.time() + window_seconds, window_seconds)
        return 1
    return int(cache.incr(key))


def _retry_after(key: str, window_seconds: int) -> int:
    until = cache.get(f"{key}:until")
    if until is None:
        return window_seconds
    return max(math.ceil(float(until) - time.time()), 1)


def attempt_start(rule: Rule, *, subjects: Mapping[str, str | tuple[int, str]]) -> Attempt:
    """Counts one try for each subject (e.g. `{"address": …, "account": …}`); Throttled if any is over its limit.

    A subject may carry its own limit as `(most, value)`. If the cache fails, the try is let through
    unrestricted and a warning logged.
    """
    keys = _keys(rule, subjects)
    counted: list[str] = []
    try:
        over = []
        for key, most in keys:
            count = _count(key, rule.window_seconds)
            counted.append(key)
            if count > most:
                over.append(key)
        if over:
            raise Throttled(retry_after=max(_retry_after(key, rule.window_seconds) for key in over))
    except Throttled:
        logger.info("throttled: %s", rule.name)
        raise
    except Exception as error:  # the cache is down or degraded: let the try through
        logger.warning("throttling unavailable for %s, letting the attempt through: %r", rule.name, error)
        return Attempt(keys=())
    return Attempt(keys=tuple(counted))


def attempt_succeeded(attempt: Attempt, *, forget: Iterable[str] = ()) -> None:
    """Gives back a try that succeeded (only failures count); the counters of the kinds in `forget` are cleared.

    `attempt_start`'s keys are in the order of its subjects; `forget` names kinds (e.g. "account").
    """
    forget = tuple(forget)
    try:
        for key in attempt.keys:
            if any(f":{kind}:" in key for kind in forget):
                cache.delete_many([key, f"{key}:until"])
            else:
                with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
                    cache.decr(key)
    except Exception as error:
        logger.warning("throttling counters not updated: %r", error)


def attempts_clear(rule: Rule, *, subjects: Mapping[str, str]) -> None:
    """Forgets the subjects' tries (for tests and for an operator unlocking an account)."""
    keys = [key for key, _ in _keys(rule, subjects)]
    cache.delete_many([*keys, *(f"{key}:until" for key in keys)])


# --- Who is asking -------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`."""
    text = text.strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        mapped = getattr(address, "ipv4_mapped", None)
        return mapped or address
    return None


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, as far as we can trust it.

    `REMOTE_ADDR`, unless it is one of `TRUSTED_PROXIES` (addresses or networks): then `X-Forwarded-For` is read
    from the right, each hop a trusted proxy added, until the first address that is not a trusted proxy. Hops
    to the left of it were written by the client and prove nothing; so does the header of anyone else.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    address = _parse_address(remote)
    if address is None:
        return remote or "unknown"
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not trusted or not any(address in network for network in trusted):
        return str(address)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _parse_address(hop)
        if parsed is None:
            break  # garbage in the chain: the last proxy we trust is all we know
        address = parsed
        if not any(address in network for network in trusted):
            break
    return str(address)
