"""What the operations middlewares cost a request: django-prometheus's pair and the request id, timed around a
view that does nothing, in this process (no database, no network).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/ops_middleware.py [--requests 20000]

Prints microseconds per request for the bare view, with the request-id middleware, and with all three.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402
from django_prometheus.middleware import PrometheusAfterMiddleware, PrometheusBeforeMiddleware  # noqa: E402

from ops.request_id import RequestIdMiddleware  # noqa: E402


def view(request):
    return HttpResponse("ok")


def chain(*middlewares):
    handler = view
    for middleware in reversed(middlewares):
        inner = handler
        if middleware is PrometheusAfterMiddleware:
            # As Django's handler does: process_view runs with the resolved view.
            def with_view(request, inner=inner):
                return inner(request)

            handler = middleware(with_view)
        else:
            handler = middleware(inner)
    return handler


def per_request_us(handler, requests: int) -> float:
    factory = RequestFactory()
    request = factory.get("/health/", HTTP_X_REQUEST_ID="bench-request-0001")
    request.resolver_match = resolve("/health/")
    for _ in range(500):
        handler(request)
    started = time.perf_counter()
    for _ in range(requests):
        handler(request)
    return (time.perf_counter() - started) / requests * 1e6


def best_of(handler, requests: int, rounds: int = 5) -> float:
    """The fastest of a few rounds: the machine is shared, and the slow rounds measure the neighbours."""
    return min(per_request_us(handler, requests) for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    bare = best_of(chain(), args.requests)
    with_id = best_of(chain(RequestIdMiddleware), args.requests)
    full = best_of(chain(PrometheusBeforeMiddleware, RequestIdMiddleware, PrometheusAfterMiddleware), args.requests)
    print(f"bare view:                         {bare:7.1f} µs/request")
    print(f"+ request id:                      {with_id:7.1f} µs/request (+{with_id - bare:.1f})")
    print(f"+ request id + django-prometheus:  {full:7.1f} µs/request (+{full - bare:.1f})")


if __name__ == "__main__":
    main()
