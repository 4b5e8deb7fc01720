"""`/health/` is liveness and touches nothing; `/health/ready/` checks PostgreSQL, Redis, the broker and the
registry sync's age, answering 503 with the failing check named, and never hangs on a dead dependency."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from catalog_sync.models import SyncRun
from ops.readiness import SYNC_STALE_INTERVALS, sync_interval
from tests.ops.helpers import closed_port, silent_server


def _synced(*, ago: datetime.timedelta) -> SyncRun:
    finished = timezone.now() - ago
    return SyncRun.objects.create(
        registry_url="http://registry.test", status=SyncRun.Status.SUCCEEDED, finished_at=finished
    )


def _ready(client: Client | None = None):
    response = (client or Client()).get("/health/ready/")
    return response.status_code, response.json()


def _failing(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_liveness_touches_no_dependency(settings):
    """No database (this test may not use it: any query would raise) and a cache on a closed port."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = Client().get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_ready_when_everything_answers_and_the_sync_is_fresh():
    _synced(ago=datetime.timedelta(minutes=5))

    status, body = _ready()

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "registry_sync"}
    assert _failing(body) == set()
    assert re.fullmatch(r"last successful sync 3\d\d s ago \(limit 2700 s\)", body["checks"]["registry_sync"]["detail"])


@pytest.mark.django_db
def test_the_sync_is_stale_after_three_intervals_of_the_beat_schedule(settings):
    assert sync_interval() == datetime.timedelta(minutes=settings.OCOP_SYNC_INTERVAL_MINUTES)
    limit = SYNC_STALE_INTERVALS * sync_interval()
    run = _synced(ago=limit - datetime.timedelta(minutes=1))
    assert _ready()[0] == 200

    run.finished_at = timezone.now() - limit - datetime.timedelta(minutes=1)
    run.save()
    # A later run that failed does not make it fresh.
    SyncRun.objects.create(
        registry_url="http://registry.test", status=SyncRun.Status.FAILED, finished_at=timezone.now()
    )
    status, body = _ready()

    assert status == 503
    assert body["status"] == "unavailable"
    assert _failing(body) == {"registry_sync"}
    assert "more than 2700 s" in body["checks"]["registry_sync"]["detail"]


@pytest.mark.django_db
def test_never_synced_is_not_ready():
    status, body = _ready()
    assert status == 503
    assert body["checks"]["registry_sync"]["detail"] == "no registry sync has succeeded yet"


@pytest.mark.django_db
def test_redis_of_the_cache_down(settings):
    _synced(ago=datetime.timedelta(minutes=1))
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }

    status, body = _ready()

    assert status == 503
    assert _failing(body) == {"cache"}
    assert body["checks"]["cache"]["detail"].startswith("ConnectionError")


@pytest.mark.django_db
def test_broker_down(settings, caplog):
    _synced(ago=datetime.timedelta(minutes=1))
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    status, body = _ready()

    assert status == 503
    assert _failing(body) == {"broker"}
    # One warning naming the failing check, not an error for every probe.
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith(("ops", "django"))]
    assert len(logged) == 1
    assert logged[0][0] == "WARNING"
    assert logged[0][1].startswith("not ready: broker (ConnectionError")


@pytest.mark.django_db
def test_a_silent_redis_fails_within_the_timeout(settings):
    _synced(ago=datetime.timedelta(minutes=1))
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.3
    with silent_server() as port:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/1"
        started = time.monotonic()
        status, body = _ready()
        elapsed = time.monotonic() - started

    assert status == 503
    assert _failing(body) == {"cache", "broker"}
    assert "Timeout" in body["checks"]["cache"]["detail"]
    assert elapsed < 2.0


@pytest.fixture
def database_elsewhere(transactional_db):
    """Points Django's connection at `port` for the length of a test, then back (never touching the shared server)."""
    saved = dict(connection.settings_dict)

    def point_at(port: int) -> None:
        connection.close()
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = port

    yield point_at
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    connection.ensure_connection()


def test_database_down(database_elsewhere):
    _synced(ago=datetime.timedelta(minutes=1))
    database_elsewhere(closed_port())

    status, body = _ready()

    assert status == 503
    assert _failing(body) == {"database", "registry_sync"}
    assert body["checks"]["database"]["detail"].startswith("OperationalError")
    assert body["checks"]["registry_sync"]["detail"] == "not checked: the database is unreachable"
    assert body["checks"]["cache"]["ok"] and body["checks"]["broker"]["ok"]


def test_a_silent_database_fails_within_its_connect_timeout(database_elsewhere):
    _synced(ago=datetime.timedelta(minutes=1))
    connection.settings_dict.setdefault("OPTIONS", {})
    with silent_server() as port:
        database_elsewhere(port)
        connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "connect_timeout": 2}
        started = time.monotonic()
        status, body = _ready()
        elapsed = time.monotonic() - started

    assert status == 503
    assert "database" in _failing(body)
    assert elapsed < 5.0  # libpq's smallest connect_timeout is 2 s
