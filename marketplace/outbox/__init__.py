"""The transactional outbox: work for the Celery worker, written as a row in the same transaction as the change.

Use it instead of `task.delay(...)` and `transaction.on_commit`:

    from marketplace.outbox.services import enqueue

    with transaction.atomic():
        order = ...                      # the change
        enqueue("marketplace.orders.tasks.send_order_confirmation_task", str(order.pk))

`enqueue(task_name, *args, outbox_key="", **kwargs)` stores the job (a Celery task's name and its
JSON arguments); after the commit it is handed to the broker at once (`run_outbox_job_task`), and
the beat task `drain_outbox_task` hands over whatever the broker could not take (Redis down) or the
worker never ran (worker down). A job runs exactly once however often it is handed over: the runner
claims the row (`SELECT … FOR UPDATE SKIP LOCKED`, a lease) and marks it done. A failure is retried
with backoff; after `MAX_ATTEMPTS` the job is marked failed and stays visible. `outbox_backlog()`
(selectors) counts what is waiting, for the metrics.
"""
