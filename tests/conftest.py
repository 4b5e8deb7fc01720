"""Fixtures for every test. Shared fixtures live beside the tests of their package, registered here as plugins;
shared helpers are imported from `tests/<package>/helpers.py` (or `tests/factories.py`), never from a conftest.

Celery runs tasks eagerly here: `task.delay()` has already run the task when it returns. Tests read the result
with `.get(disable_sync_subtasks=False)`: Celery's "never wait inside a task" guard is one flag for the whole
process, raised while any thread runs an eager task (a live server's request thread from an earlier test, say),
and would refuse a plain `.get()` in the test's own thread.
"""

import pytest

pytest_plugins = [
    "tests.catalog_sync.fixtures",
    "tests.payments.fixtures",
    "tests.storefront_api.fixtures",
    "tests.marketplace.checkout.fixtures",
    "tests.marketplace.demo.fixtures",
]


@pytest.fixture(autouse=True)
def fresh_catalogue_reads():
    """Cached catalogue reads (counts, search facets) never carry over from one test to the next."""
    from marketplace.catalogue.read_cache import catalogue_version_reset

    catalogue_version_reset()


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The limits on guessing (marketplace.core.throttling) count from zero in every test."""
    from tests.marketplace.core.helpers import throttle_counters_reset

    throttle_counters_reset()
