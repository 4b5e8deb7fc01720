"""What the limits on guessing cost and hold (marketplace.core.throttling), against the Redis of REDIS_URL.

    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/throttling.py [--tries 5000]

Prints: the time one sign-in's counting takes (a failed try: counted; a good one: counted and given back), the
time to find the client address behind a trusted proxy, how many of 30 (and 300) simultaneous guesses at one
account get to try a password (the limit, LOGIN_MAX_FAILURES, whatever the concurrency), and what a guess costs
when Redis does not answer (the door stays open). No database is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from marketplace.accounts.throttling import sign_in_rule, sign_in_subjects  # noqa: E402
from marketplace.core.throttling import Throttled, attempt_start, attempt_succeeded, client_address  # noqa: E402


def _timed(function, tries: int) -> list[float]:
    times = []
    for n in range(tries):
        started = time.perf_counter()
        function(n)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _report(name: str, times: list[float]) -> None:
    times = sorted(times)
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    print(f"{name:<46} p50 {p50:7.3f} ms   p95 {p95:7.3f} ms   mean {statistics.fmean(times):7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=5000)
    tries = parser.parse_args().tries
    logging.getLogger("marketplace.core.throttling").setLevel(logging.WARNING)
    run = uuid.uuid4().hex[:8]
    octet = int(run[:2], 16)  # each run counts from fresh addresses (a window outlives a run)
    rule = sign_in_rule()
    print(
        f"Redis {settings.REDIS_URL}; LOGIN_MAX_FAILURES={rule.most}, per address "
        f"{settings.LOGIN_MAX_FAILURES_PER_ADDRESS}, window {rule.window_seconds} s; {tries} tries each"
    )

    def good(n: int) -> None:
        subjects = sign_in_subjects(user=None, typed=f"good-{run}@x", client_address=f"10.{octet}.{n % 250}.{n % 200}")
        attempt_succeeded(attempt_start(rule, subjects=subjects), forget=("account",))

    def failed(n: int) -> None:
        subjects = sign_in_subjects(
            user=None, typed=f"bad-{run}-{n}@x", client_address=f"11.{octet}.{n % 250}.{n % 200}"
        )
        with contextlib.suppress(Throttled):
            attempt_start(rule, subjects=subjects)

    _report("a good sign-in: counted, then given back", _timed(good, tries))
    _report("a failed sign-in: counted", _timed(failed, tries))

    request = RequestFactory().get("/", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.9.0.2")
    with override_settings(TRUSTED_PROXIES=["10.9.0.0/24"]):
        _report("client address through two trusted proxies", _timed(lambda n: client_address(request), tries))

    for burst in (30, 300):
        subjects = sign_in_subjects(
            user=None, typed=f"victim-{run}-{burst}@x", client_address=f"10.3.{octet}.{burst % 250}"
        )

        def guess(_: int, subjects=subjects) -> bool:
            try:
                attempt_start(rule, subjects=subjects)
            except Throttled:
                return False
            return True

        with ThreadPoolExecutor(max_workers=16) as pool:
            allowed = sum(pool.map(guess, range(burst)))
        print(
            f"{burst} simultaneous guesses at one account: {allowed} reach the password check, "
            f"{burst - allowed} refused (LOGIN_ATTEMPT_DELAYED)"
        )

    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    with override_settings(CACHES=down):
        caches["default"].clear  # noqa: B018  (a fresh connection to the closed port)
        logging.getLogger("marketplace.core.throttling").setLevel(logging.ERROR)
        _report("a sign-in's counting with Redis refusing", _timed(good, min(tries, 500)))
        print("with Redis away every try is let through (fail open) and a warning is logged")


if __name__ == "__main__":
    main()
