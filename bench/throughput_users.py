"""The users of bench/throughput.py: anonymous readers, a Locust file (run by bench/throughput.py; read its docstring).

One kind of user, `AnonymousReader`, who opens what a visitor or a storefront reads without signing in, one
request after another (no pause, or up to THROUGHPUT_THINK seconds). Each request is named by its kind — `page: …`
for the consumer pages, `api: …` for /graphql/ — and its weight is its share of the requests, in per cent:

- pages, 60: the home page 8, the catalogue browsed (`/products/`, pages 1–5, any sort) 12, the catalogue with
  facets ticked (stars and an OCOP group; a third of them with a search text too) 12, a product's page — its
  provenance page `/p/<slug>/`, where `/products/<slug>/` leads — 22, a certificate's verify page 6;
- API, 40: bench/storefront.py's documents — the product list (20 cards) 12, the product page 16, its
  variants 12 — with their variables (channel, language EN, the slug).

Slugs, certificate ids, groups, searches and sorts come from LOAD_DATA (written by bench/throughput.py), each
picked at random. bench/load_users.py's listeners are reused: every response time by name goes to LOAD_TIMINGS.
This file also writes THROUGHPUT_STEADY when Locust quits: the response times and failures of the requests that
ended between the end of the ramp-up (`spawning_complete`) and the start of the stop (`test_stopping`), and that
window's seconds, from which the steady requests/s is computed; `cpu_warning` is true if Locust itself ran short
of CPU (then the figures are the load generator's, not the server's).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_users import DATA, GraphQLMixin, PageMixin, Refused  # noqa: E402
from bench.storefront import LANGUAGE, PRODUCT_LIST, PRODUCT_PAGE, PRODUCT_VARIANTS  # noqa: E402

STEADY_FILE = os.environ.get("THROUGHPUT_STEADY", "")
THINK_SECONDS = float(os.environ.get("THROUGHPUT_THINK", "0"))
CHANNEL = "default-channel"
BROWSED_PAGES = (1, 2, 3, 4, 5)
BROWSED_PAGE_WEIGHTS = (50, 20, 15, 10, 5)  # most visitors stay on the first page

_window: dict[str, Any] = {"started": None, "stopped": None, "cpu_warning": False}
_steady: dict[str, list[float]] = {}
_steady_failures: dict[str, dict[str, int]] = {}


@events.spawning_complete.add_listener
def _steady_start(**_: Any) -> None:
    _window["started"] = time.monotonic()


@events.test_stopping.add_listener
def _steady_stop(**_: Any) -> None:
    _window["stopped"] = time.monotonic()


@events.cpu_warning.add_listener
def _short_of_cpu(**_: Any) -> None:
    _window["cpu_warning"] = True


@events.request.add_listener
def _keep_steady(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    if _window["started"] is None or _window["stopped"] is not None:
        return
    _steady.setdefault(name, []).append(round(response_time, 1))
    if exception is not None:
        errors = _steady_failures.setdefault(name, {})
        message = str(exception)[:200]
        errors[message] = errors.get(message, 0) + 1


@events.quitting.add_listener
def _write_steady(**_: Any) -> None:
    if not STEADY_FILE:
        return
    started, stopped = _window["started"], _window["stopped"] or time.monotonic()
    window = {
        "seconds": round(stopped - started, 3) if started is not None else 0.0,
        "cpu_warning": _window["cpu_warning"],
        "timings": _steady,
        "failures": _steady_failures,
    }
    Path(STEADY_FILE).write_text(json.dumps(window, ensure_ascii=False))


class AnonymousReader(PageMixin, GraphQLMixin, FastHttpUser):
    wait_time = between(0, THINK_SECONDS) if THINK_SECONDS else constant(0)

    # The pages (60 %)

    @task(8)
    def home(self) -> None:
        self.page("/", "page: home")

    @task(12)
    def catalogue(self) -> None:
        query = {"sort": random.choice(DATA["sorts"])}
        page = random.choices(BROWSED_PAGES, BROWSED_PAGE_WEIGHTS)[0]
        if page > 1:
            query["page"] = str(page)
        self.page(f"/products/?{urlencode(query)}", "page: catalogue")

    @task(12)
    def catalogue_with_facets(self) -> None:
        query = [("stars", random.choice(["3", "4", "5"])), ("group", random.choice(DATA["groups"]))]
        if random.random() < 1 / 3:
            query.insert(0, ("q", random.choice(DATA["searches"])))
        self.page(f"/products/?{urlencode(query)}", "page: catalogue with facets")

    @task(22)
    def product(self) -> None:
        self.page(f"/p/{random.choice(DATA['slugs'])}/", "page: product (provenance)")

    @task(6)
    def verify(self) -> None:
        self.page(f"/verify/{random.choice(DATA['certificates'])}/", "page: verify certificate")

    # The API (40 %)

    @task(12)
    def product_list(self) -> None:
        self.read("api: product list", PRODUCT_LIST, {"first": 20}, "products")

    @task(16)
    def product_page(self) -> None:
        self.read("api: product page", PRODUCT_PAGE, {"slug": random.choice(DATA["slugs"])}, "product")

    @task(12)
    def product_variants(self) -> None:
        self.read("api: product variants", PRODUCT_VARIANTS, {"slug": random.choice(DATA["slugs"])}, "product")

    def read(self, name: str, query: str, variables: dict[str, Any], field: str) -> None:
        with contextlib.suppress(Refused):  # counted as a failure by Locust
            self.graphql(name, query, {"channel": CHANNEL, "lang": LANGUAGE, **variables}, field)
