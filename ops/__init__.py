"""What operators see of a running marketplace: readiness, Prometheus metrics, request ids in structured logs.

- `readiness.py`: the checks behind `/health/ready/` (PostgreSQL, the cache's Redis, Celery's broker, the age of
  the last successful registry sync), each bounded by `HEALTH_CHECK_TIMEOUT_SECONDS`.
- `metrics.py`: the marketplace's own Prometheus collector (orders, payments, syncs, quarantine, outbox, Celery's
  queue), read at scrape time, beside django-prometheus's request metrics; `/metrics` is restricted.
- `request_id.py`: a request id for every request (a valid incoming `X-Request-ID`, else a new one), echoed in the
  response and carried into the Celery tasks the request queues.
- `logs.py`: the log filter that stamps each record with its request id and the JSON formatter of production.

It sits with the delivery layers (docs/architecture.md): it reads the domain and the packages between, and nothing
imports it but `config`.
"""
