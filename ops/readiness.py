"""The checks behind `/health/ready/`: can this process serve, and is the catalogue fresh?

Each check answers in at most about `HEALTH_CHECK_TIMEOUT_SECONDS` (a dead or silent dependency makes it fail,
never hang): PostgreSQL through the connection the requests use (libpq's `connect_timeout` and a
`statement_timeout`), Redis and the broker through a client of their own with socket timeouts.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog_sync.selectors import last_successful_sync

# The registry sync is stale when its last success is older than this many of its beat intervals.
SYNC_STALE_INTERVALS = 3


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.seconds * 1000, 1)}


def _timeout() -> float:
    return float(settings.HEALTH_CHECK_TIMEOUT_SECONDS)


def _limit_statement_time(cursor: Any) -> None:
    """The transaction's statements may take the check's timeout at most (set_config: a parameter is bound in a
    function call, whether the connection binds them on the server or the client; `SET` takes none)."""
    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{max(int(_timeout() * 1000), 1)}ms"])


def check_database() -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        _limit_statement_time(cursor)
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "SELECT 1 answered"


def _ping_redis(url: str) -> None:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=_timeout(), socket_timeout=_timeout(), retry_on_timeout=False
    )
    try:
        client.ping()
    finally:
        client.close()


def _redacted(url: str) -> str:
    """The URL's scheme, host, port and path, never its password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def cache_redis_url() -> str | None:
    """The Redis URL behind the default cache, when it is a Redis cache."""
    cache = settings.CACHES.get("default", {})
    location = cache.get("LOCATION")
    if isinstance(location, list | tuple):
        location = location[0] if location else None
    if isinstance(location, str) and location.startswith(("redis://", "rediss://", "unix://")):
        return location
    return None


def check_cache() -> str:
    url = cache_redis_url()
    if url is None:
        return "not a Redis cache: nothing to check"
    _ping_redis(url)
    return f"PING {_redacted(url)} answered"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        _ping_redis(url)
        return f"PING {_redacted(url)} answered"
    from celery import current_app as app  # other transports: kombu's own connection, one try

    with app.connection_for_write(url) as conn:
        conn.ensure_connection(max_retries=1, timeout=_timeout())
    return f"connected to {_redacted(url)}"


def sync_interval() -> datetime.timedelta:
    """How often beat runs the registry sync (its entry in `CELERY_BEAT_SCHEDULE`)."""
    schedule = settings.CELERY_BEAT_SCHEDULE["sync-registry"]["schedule"]
    if isinstance(schedule, datetime.timedelta):
        return schedule
    run_every = getattr(schedule, "run_every", None)  # celery's schedule(); a crontab has none
    if isinstance(run_every, datetime.timedelta):
        return run_every
    return datetime.timedelta(minutes=settings.OCOP_SYNC_INTERVAL_MINUTES)


def check_registry_sync(*, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    limit = SYNC_STALE_INTERVALS * sync_interval()
    with transaction.atomic(), connection.cursor() as cursor:
        _limit_statement_time(cursor)
        run = last_successful_sync()
    if run is None or run.finished_at is None:
        raise StaleSync("no registry sync has succeeded yet")
    age = now - run.finished_at
    if age > limit:
        raise StaleSync(
            f"last successful sync {int(age.total_seconds())} s ago, more than {int(limit.total_seconds())} s"
        )
    return f"last successful sync {max(int(age.total_seconds()), 0)} s ago (limit {int(limit.total_seconds())} s)"


class StaleSync(Exception):
    pass


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "registry_sync": check_registry_sync,
}


def run_check(name: str, check: Callable[[], str]) -> CheckResult:
    started = time.monotonic()
    try:
        detail = check()
    except StaleSync as exc:
        return CheckResult(name, False, str(exc), time.monotonic() - started)
    except Exception as exc:
        # The exception's class and first line: enough to tell a refused connection from a timeout.
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        detail = f"{type(exc).__name__}: {text}"[:300]
        return CheckResult(name, False, detail, time.monotonic() - started)
    return CheckResult(name, True, detail, time.monotonic() - started)


def readiness() -> list[CheckResult]:
    """Every check, each whatever the others answered, except the registry sync's, which needs the database."""
    results: list[CheckResult] = []
    for name, check in CHECKS.items():
        if name == "registry_sync" and not results[0].ok:
            results.append(CheckResult(name, False, "not checked: the database is unreachable", 0.0))
            continue
        results.append(run_check(name, check))
    return results
