"""The limits on guessing: who is asking (behind trusted proxies only), counting tries, and Redis going away."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from marketplace.core.throttling import Rule, Throttled, attempt_start, attempt_succeeded, client_address

RULE = Rule("test-door", 3, 60)


def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    assert client_address(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"
    assert client_address(_request("10.9.0.2", "203.0.113.1")) == "10.9.0.2"


def test_a_trusted_proxys_header_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    assert client_address(_request("10.9.0.1", "203.0.113.1")) == "203.0.113.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # The client wrote a fake first entry; our two proxies appended the real hops: read from the right.
        ("10.9.0.1", "1.2.3.4, 203.0.113.1, 10.9.0.2", "203.0.113.1"),
        ("10.9.0.1", "1.2.3.4,203.0.113.1", "203.0.113.1"),
        # Every hop is one of ours: the leftmost is the best we know.
        ("10.9.0.1", "10.9.0.3, 10.9.0.2", "10.9.0.3"),
        # Garbage in the chain stops the walk at the last hop we trust.
        ("10.9.0.1", "203.0.113.1, not-an-address", "10.9.0.1"),
        ("10.9.0.1", "", "10.9.0.1"),
        # Ports and IPv6 as proxies write them.
        ("10.9.0.1", "203.0.113.1:51234", "203.0.113.1"),
        ("10.9.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_chains_are_read_right_to_left_through_trusted_networks(settings, remote, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.9.0.0/24", "fd00::/8"]
    assert client_address(_request(remote, forwarded)) == client


def test_tries_over_the_limit_are_refused_until_the_window_ends(db):
    for _ in range(3):
        attempt_start(RULE, subjects={"address": "198.51.100.7"})
    with pytest.raises(Throttled) as refused:
        attempt_start(RULE, subjects={"address": "198.51.100.7"})
    assert 0 < refused.value.retry_after <= 60 and refused.value.minutes == 1
    attempt_start(RULE, subjects={"address": "198.51.100.8"})  # another address has its own count


def test_a_subject_may_carry_its_own_limit(db):
    for _ in range(3):
        attempt_start(RULE, subjects={"address": (5, "198.51.100.7"), "account": "user:1"})
    with pytest.raises(Throttled):
        attempt_start(RULE, subjects={"address": (5, "198.51.100.7"), "account": "user:1"})
    attempt_start(RULE, subjects={"address": (5, "198.51.100.7"), "account": "user:2"})


def test_a_success_gives_its_try_back(db):
    for _ in range(10):
        attempt_succeeded(attempt_start(RULE, subjects={"address": "198.51.100.7"}))
    attempt_start(RULE, subjects={"address": "198.51.100.7"})


def test_tries_counted_all_at_once_get_no_more_than_the_limit(db):
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        try:
            attempt_start(RULE, subjects={"address": "198.51.100.9"})
        except Throttled:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = sum(pool.map(one, range(30)))
    assert allowed == RULE.most


@pytest.mark.parametrize(
    "cache",
    [
        # Redis itself gone (nothing listens on port 9).
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
        # A cache that answers but keeps nothing, as a degraded cache does.
        {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    ],
)
def test_without_a_working_cache_the_door_stays_open_and_says_so(settings, caplog, cache):
    settings.CACHES = {"default": cache}
    with caplog.at_level(logging.WARNING, logger="marketplace.core.throttling"):
        for _ in range(10):
            attempt_succeeded(attempt_start(RULE, subjects={"address": "198.51.100.7"}))
            attempt_start(RULE, subjects={"address": "198.51.100.7"})
    if "redis" in cache["BACKEND"]:
        assert "throttling unavailable for test-door" in caplog.text
