"""Redis taken away, for the fault tests: the cache and the broker pointed at a closed port.

The shared Redis is never stopped: a test points this process's cache (`cache_away`, through the CACHES
setting) or its Celery producer (`broker_away`) at 127.0.0.1:9, where nothing listens, so every call
meets a real `ConnectionError` / kombu `OperationalError` from the client libraries, and gives them back
afterwards. Celery runs eagerly in the tests; `broker_away` turns that off for its duration, so queuing
really tries the broker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from config.celery import app as celery_app
from marketplace.core.cache import cache_outages_reset
from marketplace.outbox.services import broker_state_reset

CLOSED_PORT_URL = "redis://127.0.0.1:9/0"


def _forget_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def cache_away(settings) -> Iterator[None]:
    """The cache's Redis does not answer, then answers again (CACHES set back)."""
    saved = settings.CACHES
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": CLOSED_PORT_URL,
        }
    }
    cache_outages_reset()
    try:
        yield
    finally:
        settings.CACHES = saved
        cache_outages_reset()


@contextlib.contextmanager
def broker_away() -> Iterator[None]:
    """Queuing a task meets a broker that refuses connections; eager mode comes back afterwards."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = CLOSED_PORT_URL
    _forget_broker_connections()
    broker_state_reset()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _forget_broker_connections()
        broker_state_reset()
