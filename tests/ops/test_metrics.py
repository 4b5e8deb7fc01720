"""`/metrics`: django-prometheus's request metrics plus the marketplace's own, read at scrape time; only for
internal addresses or the bearer token; a dead source leaves its `up` at 0 and the rest answers."""

from __future__ import annotations

import datetime
import uuid

import pytest
import redis
from django.apps import apps
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from catalog_sync.models import QuarantinedRecord, SyncRun
from marketplace.orders.models import OrderStatus
from ops.metrics import MarketplaceCollector, celery_queue_lengths
from payments.models import Gateway, TransactionItem
from tests.ops.helpers import closed_port
from tests.order_factories import make_order

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of a Prometheus text exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client | None = None, **headers) -> tuple[int, str]:
    response = (client or Client()).get("/metrics", **headers)
    return response.status_code, response.content.decode()


def test_a_scrape_shows_orders_payments_syncs_quarantine_and_request_latency_by_view():
    make_order(status=OrderStatus.UNFULFILLED)
    make_order(status=OrderStatus.UNFULFILLED)
    make_order(status=OrderStatus.CANCELED)
    TransactionItem.objects.create(gateway=Gateway.STRIPE, amount_requested=1000, status="succeeded")
    TransactionItem.objects.create(gateway=Gateway.CASH, amount_requested=1000)
    SyncRun.objects.create(registry_url="r", status=SyncRun.Status.FAILED)
    SyncRun.objects.create(
        registry_url="r", status=SyncRun.Status.SUCCEEDED, finished_at=timezone.now() - datetime.timedelta(seconds=90)
    )
    QuarantinedRecord.objects.create(certificate_id="OCOP-X", raw={}, reasons=["bad"])
    QuarantinedRecord.objects.create(certificate_id="OCOP-Y", raw={}, reasons=["bad"], released_at=timezone.now())
    client = Client()
    assert client.get("/health/").status_code == 200

    status, text = scrape(client)

    assert status == 200
    found = samples(text)
    assert found[("ocop_orders", (("status", "unfulfilled"),))] == 2
    assert found[("ocop_orders", (("status", "canceled"),))] == 1
    assert found[("ocop_orders", (("status", "picked_up"),))] == 0
    assert found[("ocop_payments", (("gateway", Gateway.STRIPE.value), ("status", "succeeded")))] == 1
    assert found[("ocop_payments", (("gateway", Gateway.CASH.value), ("status", "none")))] == 1
    assert found[("ocop_sync_runs_total", (("status", "failed"),))] == 1
    assert found[("ocop_sync_runs_total", (("status", "succeeded"),))] == 1
    assert 90 <= found[("ocop_sync_lag_seconds", ())] < 200
    assert found[("ocop_registry_quarantined_records", ())] == 1
    assert ("ocop_celery_queue_length", (("queue", "celery"),)) in found
    assert all(found[("ocop_metrics_source_up", (("source", s),))] == 1 for s in ("orders", "payments", "celery"))
    health_latency = (
        "django_http_requests_latency_seconds_by_view_method_count",
        (("method", "GET"), ("view", "health")),
    )
    assert found[health_latency] >= 1


def test_the_outbox_backlog_when_this_installation_has_the_outbox():
    found = samples(scrape()[1])
    if not apps.is_installed("marketplace.outbox"):
        assert not any(name == "ocop_outbox_jobs" for name, _ in found)
    else:
        assert found[("ocop_outbox_jobs", (("state", "pending"),))] >= 0
        assert ("ocop_outbox_oldest_pending_seconds", ()) in found


def test_celery_queue_length_counts_every_priority_of_a_queue():
    url = django_settings.CELERY_BROKER_URL
    queue = f"ops-test-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url)
    try:
        client.rpush(queue, "a", "b")
        client.rpush(f"{queue}\x06\x163", "c")
        assert celery_queue_lengths(broker_url=url, queues=[queue, f"{queue}-empty"], timeout=1) == {
            queue: 3,
            f"{queue}-empty": 0,
        }
    finally:
        client.delete(queue, f"{queue}\x06\x163")
        client.close()


def test_a_dead_broker_leaves_its_source_down_and_the_rest_answering(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5
    registry = CollectorRegistry(auto_describe=False)
    registry.register(MarketplaceCollector())

    found = samples(generate_latest(registry).decode())

    assert found[("ocop_metrics_source_up", (("source", "celery"),))] == 0
    assert found[("ocop_metrics_source_up", (("source", "orders"),))] == 1
    assert not any(name == "ocop_celery_queue_length" for name, _ in found)
    assert ("ocop_orders", (("status", "unfulfilled"),)) in found


@pytest.mark.parametrize(
    ("remote_addr", "headers", "allowed"),
    [
        ("127.0.0.1", {}, True),
        ("10.1.2.3", {}, True),  # the compose network, a scraper beside the app
        ("203.0.113.7", {}, False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, False),  # through the proxy: anyone on the internet
        ("127.0.0.1", {"HTTP_FORWARDED": "for=203.0.113.7"}, False),
    ],
)
def test_metrics_are_for_internal_addresses_only(remote_addr, headers, allowed):
    status, _ = scrape(REMOTE_ADDR=remote_addr, **headers)
    assert status == (200 if allowed else 403)


def test_metrics_with_the_bearer_token_from_anywhere(settings):
    settings.METRICS_BEARER_TOKEN = "scrape-me-2026"
    outside = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}

    assert scrape(HTTP_AUTHORIZATION="Bearer scrape-me-2026", **outside)[0] == 200
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong", **outside)[0] == 403
    assert scrape(**outside)[0] == 403
