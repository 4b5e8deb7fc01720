"""Writing to the outbox, handing jobs to the broker, and running them exactly once (see the package's docstring)."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.outbox.models import OutboxJob

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BACKOFF_SECONDS = 30  # doubled after each failure (30 s, 1, 2, 4 … min), at most BACKOFF_MAX_SECONDS apart
BACKOFF_MAX_SECONDS = 60 * 60
LEASE = datetime.timedelta(minutes=15)  # a job running longer than this may be taken again by another runner
BROKER_RETRY_SECONDS = 15.0  # after the broker refused a job, hand nothing to it for this long (beat drains)
ERROR_MAX_LENGTH = 2000
RUN_TASK = "marketplace.outbox.tasks.run_outbox_job_task"
DONE_KEPT = datetime.timedelta(days=7)  # done jobs stay this long, for looking back, then `outbox_prune` drops them


def enqueue(task: str | Task, /, *args: Any, outbox_key: str = "", **kwargs: Any) -> uuid.UUID:
    """Record that the Celery task `task` (its name, or the task) must run with these JSON arguments.

    Call it inside the transaction that makes the change: the job exists if and only if the change is
    committed. Once committed it is handed to the broker at once; if the broker is down, the beat
    task `drain_outbox_task` runs it later. With `outbox_key`, a job with the same key still pending
    means this one is not added (its id is returned all the same, and leads nowhere).
    """
    task_name = task if isinstance(task, str) else task.name
    now = timezone.now()
    job = OutboxJob(
        task_name=task_name,
        args=list(args),
        kwargs=kwargs,
        key=outbox_key[:200],
        created_at=now,
        available_at=now,
    )
    if outbox_key:
        OutboxJob.objects.bulk_create([job], ignore_conflicts=True)
    else:
        job.save(force_insert=True)
    transaction.on_commit(functools.partial(dispatch, [job.pk]))
    return job.pk


def enqueue_many(
    task: str | Task, /, calls: Sequence[Sequence[Any]], *, outbox_keys: Sequence[str] = ()
) -> list[uuid.UUID]:
    """`enqueue(task, *args)` for each argument list of `calls`, in one INSERT (a sync page's image fetches).

    `outbox_keys`, if given, holds one key per call (see `enqueue`).
    """
    if not calls:
        return []
    task_name = task if isinstance(task, str) else task.name
    now = timezone.now()
    keys = list(outbox_keys) or [""] * len(calls)
    jobs = [
        OutboxJob(task_name=task_name, args=list(args), kwargs={}, key=key[:200], created_at=now, available_at=now)
        for args, key in zip(calls, keys, strict=True)
    ]
    OutboxJob.objects.bulk_create(jobs, ignore_conflicts=any(keys))
    job_ids = [job.pk for job in jobs]
    transaction.on_commit(functools.partial(dispatch, job_ids))
    return job_ids


# Handing jobs to the broker


@dataclasses.dataclass
class _BrokerState:
    down_since: float | None = None
    retry_at: float = 0.0


_broker = _BrokerState()


def broker_state_reset() -> None:
    """Forget that the broker was down (tests that take it away call this when they give it back)."""
    _broker.down_since = None
    _broker.retry_at = 0.0


def dispatch(job_ids: Iterable[uuid.UUID | str]) -> int:
    """Hand the jobs to the broker (`run_outbox_job_task`); return how many it took.

    Never raises: a broker that does not answer leaves the jobs to the beat drain, with one warning
    per outage (not one per job or request), and is not asked again for `BROKER_RETRY_SECONDS`.
    """
    run_outbox_job_task = current_app.tasks[RUN_TASK]  # by name: tasks.py imports this module
    eager = bool(current_app.conf.task_always_eager)
    if not eager and time.monotonic() < _broker.retry_at:
        return 0
    handed = 0
    for job_id in job_ids:
        try:
            run_outbox_job_task.apply_async((str(job_id),), retry=False)
        except Exception as exc:
            if eager:
                raise
            if _broker.down_since is None:
                _broker.down_since = time.monotonic()
                logger.warning("broker unavailable (%s): outbox jobs wait for the drain", exc.__class__.__name__)
            _broker.retry_at = time.monotonic() + BROKER_RETRY_SECONDS
            return handed
        handed += 1
    if _broker.down_since is not None:
        logger.warning("broker is back after %.0f s", time.monotonic() - _broker.down_since)
        broker_state_reset()
    return handed


# Running jobs


def _pending() -> Q:
    return Q(done_at__isnull=True, failed_at__isnull=True)


def _claim(*, job_id: uuid.UUID | str | None = None) -> OutboxJob | None:
    """Take a due job (this one, or the oldest) under a lease; None if there is none free."""
    now = timezone.now()
    with transaction.atomic():
        jobs = OutboxJob.objects.select_for_update(skip_locked=True).filter(
            _pending(),
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            available_at__lte=now,
        )
        if job_id is not None:
            jobs = jobs.filter(pk=job_id)
        job = jobs.order_by("available_at").first()
        if job is None:
            return None
        if job.claimed_until is not None:
            logger.warning("outbox job %s (%s): its last run's lease ran out; running it again", job.pk, job.task_name)
        job.claimed_until = now + LEASE
        job.attempts += 1
        job.save(update_fields=["claimed_until", "attempts"])
    return job


def backoff_seconds(attempts: int) -> int:
    """How long to wait after the `attempts`-th failed run."""
    return int(min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


DONE, RETRYING, FAILED, SKIPPED = "done", "retrying", "failed", "skipped"


def _run(job: OutboxJob) -> str:
    task = current_app.tasks.get(job.task_name)
    try:
        if task is None:
            raise LookupError(f"no Celery task named {job.task_name!r}")
        task(*job.args, **job.kwargs)
    except Exception as exc:
        now = timezone.now()
        error = f"{exc.__class__.__name__}: {exc}"[:ERROR_MAX_LENGTH]
        gives_up = task is None or job.attempts >= MAX_ATTEMPTS
        changes: dict[str, Any] = {"claimed_until": None, "last_error": error}
        if gives_up:
            changes["failed_at"] = now
        else:
            changes["available_at"] = now + datetime.timedelta(seconds=backoff_seconds(job.attempts))
        OutboxJob.objects.filter(pk=job.pk, done_at__isnull=True).update(**changes)
        logger.warning(
            "outbox job %s (%s) failed, attempt %s/%s: %s%s",
            job.pk,
            job.task_name,
            job.attempts,
            MAX_ATTEMPTS,
            error,
            " (given up)" if gives_up else "",
            exc_info=not isinstance(exc, LookupError),
        )
        return FAILED if gives_up else RETRYING
    OutboxJob.objects.filter(pk=job.pk, done_at__isnull=True).update(done_at=timezone.now(), claimed_until=None)
    return DONE


def outbox_job_run(*, job_id: uuid.UUID | str) -> str:
    """Run one job if it is due and no one else holds it: DONE, RETRYING, FAILED, or SKIPPED (done, not due,
    or taken). Running it twice, or at once from two workers, runs the task once."""
    job = _claim(job_id=job_id)
    if job is None:
        return SKIPPED
    return _run(job)


def outbox_drain(*, max_jobs: int = 1000) -> dict[str, int]:
    """Run due jobs, oldest first, until none is left or `max_jobs` ran; counts by outcome.

    Two drains at once share the work (each claims a different row).
    """
    counts = {DONE: 0, RETRYING: 0, FAILED: 0}
    for _ in range(max_jobs):
        job = _claim()
        if job is None:
            break
        counts[_run(job)] += 1
    return counts


def outbox_prune(*, older_than: datetime.timedelta = DONE_KEPT) -> int:
    """Delete the jobs done more than `older_than` ago (failed ones stay until retried); how many."""
    deleted, _ = OutboxJob.objects.filter(done_at__lt=timezone.now() - older_than).delete()
    return deleted


def outbox_retry_failed(*, task_name: str | None = None) -> int:
    """Give the failed jobs (of one task, or all) a new round of attempts, due now; how many."""
    jobs = OutboxJob.objects.filter(done_at__isnull=True, failed_at__isnull=False)
    if task_name:
        jobs = jobs.filter(task_name=task_name)
    return jobs.update(failed_at=None, attempts=0, available_at=timezone.now(), claimed_until=None)
