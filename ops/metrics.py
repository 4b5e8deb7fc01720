"""The marketplace's own Prometheus metrics, read when Prometheus scrapes, and the `/metrics` view.

Request metrics (latency by view, responses by status...) come from django-prometheus's two middlewares and live
in prometheus_client's process registry. The figures below are read from PostgreSQL and the broker at scrape
time by `MarketplaceCollector`, registered in a registry of its own (`MARKETPLACE_REGISTRY`): a collector is
never registered twice in the process registry, however often tests or reloads import this module.
"""

from __future__ import annotations

import importlib
import ipaddress
import logging
import os
import secrets
from collections.abc import Iterator
from typing import Any

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from catalog_sync.selectors import last_successful_sync, open_quarantine_count, sync_run_counts
from marketplace.orders.selectors import order_counts_by_status
from payments.selectors import transaction_counts_by_status

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps a queue's messages of priority p > 0 in "<queue>\x06\x16<p>".
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)


def celery_queue_names() -> list[str]:
    from celery import current_app as app

    names = set(app.amqp.queues.keys()) | {app.conf.task_default_queue}
    return sorted(name for name in names if name)


def celery_queue_lengths(*, broker_url: str, queues: list[str], timeout: float) -> dict[str, int]:
    """Messages waiting in each Redis-backed Celery queue (LLEN of its keys, every priority summed)."""
    client = redis.Redis.from_url(broker_url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        pipe = client.pipeline(transaction=False)
        for queue in queues:
            for priority in _PRIORITY_STEPS:
                pipe.llen(f"{queue}{_PRIORITY_SEPARATOR}{priority}" if priority else queue)
        lengths = pipe.execute()
    finally:
        client.close()
    steps = len(_PRIORITY_STEPS)
    return {queue: sum(lengths[i * steps : (i + 1) * steps]) for i, queue in enumerate(queues)}


def _optional_outbox_backlog() -> Any:
    """The outbox's backlog (`marketplace.outbox.selectors.outbox_backlog`) when this installation has the
    outbox app, else None (the collector then leaves its metrics out)."""
    from django.apps import apps

    if not apps.is_installed("marketplace.outbox"):
        return None
    try:
        module = importlib.import_module("marketplace.outbox.selectors")
    except ImportError:
        return None
    return module.outbox_backlog()


class MarketplaceCollector(Collector):
    """Orders, payments, registry syncs, quarantine, the outbox and Celery's queues, as they stand now.

    Each source is read on its own: one that fails (the broker down) leaves `ocop_metrics_source_up{source}` at 0
    and the others still answer.
    """

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "ocop_metrics_source_up", "1 when the source of these metrics answered.", labels=["source"]
        )
        for source, read in (
            ("orders", self._orders),
            ("payments", self._payments),
            ("registry_sync", self._registry_sync),
            ("outbox", self._outbox),
            ("celery", self._celery),
        ):
            try:
                families = list(read())
            except Exception:
                logger.warning("metrics: could not read %s", source, exc_info=True)
                up.add_metric([source], 0)
                continue
            up.add_metric([source], 1)
            yield from families
        yield up

    def _orders(self) -> Iterator[Metric]:
        orders = GaugeMetricFamily("ocop_orders", "Orders by stage (Order.status).", labels=["status"])
        for status, count in sorted(order_counts_by_status().items()):
            orders.add_metric([status], count)
        yield orders

    def _payments(self) -> Iterator[Metric]:
        payments = GaugeMetricFamily(
            "ocop_payments",
            "Payment transactions by gateway and the provider's last status.",
            labels=["gateway", "status"],
        )
        for (gateway, status), count in sorted(transaction_counts_by_status().items()):
            payments.add_metric([gateway, status[:32]], count)
        yield payments

    def _registry_sync(self) -> Iterator[Metric]:
        runs = CounterMetricFamily("ocop_sync_runs", "Registry sync runs by outcome.", labels=["status"])
        for status, count in sorted(sync_run_counts().items()):
            runs.add_metric([status], count)
        yield runs
        last = last_successful_sync()
        finished = last.finished_at if last is not None else None
        yield GaugeMetricFamily(
            "ocop_sync_last_success_timestamp_seconds",
            "When the last successful registry sync finished (Unix time; 0 when none has).",
            value=finished.timestamp() if finished else 0,
        )
        yield GaugeMetricFamily(
            "ocop_sync_lag_seconds",
            "Seconds since the last successful registry sync finished (+Inf when none has).",
            value=(timezone.now() - finished).total_seconds() if finished else float("inf"),
        )
        yield GaugeMetricFamily(
            "ocop_registry_quarantined_records",
            "Registry records held in quarantine, not yet released by a valid revision.",
            value=open_quarantine_count(),
        )

    def _outbox(self) -> Iterator[Metric]:
        backlog = _optional_outbox_backlog()
        if backlog is None:
            return
        jobs = GaugeMetricFamily("ocop_outbox_jobs", "Outbox jobs not yet done, by state.", labels=["state"])
        for state in ("pending", "due", "retrying", "failed"):
            jobs.add_metric([state], getattr(backlog, state))
        yield jobs
        yield GaugeMetricFamily(
            "ocop_outbox_oldest_pending_seconds",
            "Age of the oldest outbox job still waiting (0 when none is).",
            value=backlog.oldest_pending_seconds,
        )

    def _celery(self) -> Iterator[Metric]:
        broker_url = settings.CELERY_BROKER_URL
        if not broker_url.startswith(("redis://", "rediss://")):
            return
        lengths = celery_queue_lengths(
            broker_url=broker_url, queues=celery_queue_names(), timeout=float(settings.HEALTH_CHECK_TIMEOUT_SECONDS)
        )
        queue = GaugeMetricFamily(
            "ocop_celery_queue_length", "Tasks waiting in the broker, by queue.", labels=["queue"]
        )
        for name, length in lengths.items():
            queue.add_metric([name], length)
        yield queue


MARKETPLACE_REGISTRY = CollectorRegistry(auto_describe=False)
MARKETPLACE_REGISTRY.register(MarketplaceCollector())


def process_registry() -> CollectorRegistry:
    """The request metrics: this process's, or every gunicorn worker's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def scrape_allowed(request: HttpRequest) -> bool:
    """A scrape with the bearer token (`METRICS_BEARER_TOKEN`), or straight from an internal address.

    "Straight" means not through a proxy: a request carrying `X-Forwarded-For` or `Forwarded` came through one,
    and the proxy's own address says nothing of who asked; such a request needs the token.
    """
    token = settings.METRICS_BEARER_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(given.strip().encode(), token.encode()):
            return True
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body = generate_latest(process_registry()) + generate_latest(MARKETPLACE_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
