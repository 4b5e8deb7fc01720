"""The outbox: a job exists only if its transaction commits, runs once however often it is handed over,
backs off after a failure, gives up after MAX_ATTEMPTS, and is counted while it waits."""

import datetime

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from marketplace.outbox import services
from marketplace.outbox.models import OutboxJob
from marketplace.outbox.selectors import outbox_backlog
from marketplace.outbox.services import enqueue, outbox_drain, outbox_job_run

pytestmark = pytest.mark.django_db

RUNS: list[tuple] = []
FAILURES: dict[str, int] = {}


@shared_task(name="tests.outbox.record")
def record_task(label: str, *, fail_times: int = 0) -> None:
    """Records each run; fails the first `fail_times` runs of a label."""
    if FAILURES.get(label, 0) < fail_times:
        FAILURES[label] = FAILURES.get(label, 0) + 1
        raise RuntimeError(f"{label} failed")
    RUNS.append((label,))


@pytest.fixture(autouse=True)
def clean_runs():
    RUNS.clear()
    FAILURES.clear()
    services.broker_state_reset()


@pytest.mark.django_db(transaction=True)
def test_a_job_is_written_with_the_change_and_runs_after_the_commit():
    with transaction.atomic():
        job_id = enqueue("tests.outbox.record", "a")
        assert RUNS == []  # not before the commit
    assert RUNS == [("a",)]
    assert OutboxJob.objects.get(pk=job_id).done_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_job():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue(record_task, "b")
        raise ZeroDivisionError
    assert not OutboxJob.objects.exists()
    assert RUNS == []


def test_a_job_handed_over_twice_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = enqueue("tests.outbox.record", "c")
    assert outbox_job_run(job_id=job_id) == services.SKIPPED
    assert outbox_drain() == {"done": 0, "retrying": 0, "failed": 0}
    assert RUNS == [("c",)]


def test_a_failed_job_backs_off_then_runs_once_when_due():
    job_id = enqueue("tests.outbox.record", "d", fail_times=1)
    assert outbox_job_run(job_id=job_id) == services.RETRYING
    job = OutboxJob.objects.get(pk=job_id)
    assert job.done_at is None and job.attempts == 1 and "d failed" in job.last_error
    assert job.available_at >= timezone.now() + datetime.timedelta(seconds=services.BACKOFF_SECONDS - 5)
    assert outbox_drain() == {"done": 0, "retrying": 0, "failed": 0}  # not due yet
    backlog = outbox_backlog()
    assert (backlog.pending, backlog.due, backlog.retrying, backlog.failed) == (1, 0, 1, 0)
    OutboxJob.objects.filter(pk=job_id).update(available_at=timezone.now())
    assert outbox_drain() == {"done": 1, "retrying": 0, "failed": 0}
    assert outbox_drain() == {"done": 0, "retrying": 0, "failed": 0}
    assert RUNS == [("d",)]
    assert outbox_backlog().pending == 0


def test_a_job_that_keeps_failing_is_given_up_and_counted():
    job_id = enqueue("tests.outbox.record", "e", fail_times=services.MAX_ATTEMPTS)
    for _ in range(services.MAX_ATTEMPTS):
        OutboxJob.objects.filter(pk=job_id).update(available_at=timezone.now())
        outbox_drain()
    job = OutboxJob.objects.get(pk=job_id)
    assert job.failed_at is not None and job.attempts == services.MAX_ATTEMPTS
    assert outbox_backlog().failed == 1 and outbox_backlog().pending == 0
    assert services.outbox_retry_failed() == 1
    outbox_drain()
    assert RUNS == [("e",)]


def test_an_unknown_task_fails_at_once():
    job_id = enqueue("tests.outbox.no_such_task")
    assert outbox_job_run(job_id=job_id) == services.FAILED
    assert OutboxJob.objects.get(pk=job_id).failed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_key_keeps_one_pending_job():
    with transaction.atomic():
        # The first job's dispatch runs after the commit; the second, with the same key, is not written.
        enqueue("tests.outbox.record", "f", outbox_key="f")
        enqueue("tests.outbox.record", "f", outbox_key="f")
    assert OutboxJob.objects.count() == 1
    assert RUNS == [("f",)]
    enqueue("tests.outbox.record", "f", outbox_key="f")  # the first is done: a new one may wait
    assert RUNS == [("f",), ("f",)]


def test_backoff_doubles_up_to_an_hour():
    assert [services.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert services.backoff_seconds(20) == 3600


def test_done_jobs_are_pruned_after_a_week_failed_ones_stay():
    old, recent, failed = (enqueue("tests.outbox.record", label) for label in ("old", "recent", "failed"))
    now = timezone.now()
    OutboxJob.objects.filter(pk=old).update(done_at=now - datetime.timedelta(days=8))
    OutboxJob.objects.filter(pk=recent).update(done_at=now - datetime.timedelta(days=1))
    OutboxJob.objects.filter(pk=failed).update(failed_at=now - datetime.timedelta(days=30))
    assert services.outbox_prune() == 1
    assert set(OutboxJob.objects.values_list("pk", flat=True)) == {recent, failed}
