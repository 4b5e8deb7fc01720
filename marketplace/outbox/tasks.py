"""The outbox's Celery tasks: one job handed over after its commit, and the beat drain of everything due."""

from __future__ import annotations

import logging

from celery import shared_task

from marketplace.outbox import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def run_outbox_job_task(job_id: str) -> str:
    """Run one outbox job; a job already done, not due or running elsewhere is skipped."""
    return services.outbox_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def prune_outbox_task() -> int:
    """Daily: forget the jobs done more than a week ago."""
    return services.outbox_prune()


@shared_task(ignore_result=True)
def drain_outbox_task() -> dict[str, int]:
    """Beat, every OCOP_OUTBOX_DRAIN_SECONDS: run what the broker never got or the worker never ran."""
    counts = services.outbox_drain()
    if any(counts.values()):
        logger.info("outbox drained: %s", counts)
    return counts
