"""Django's Redis cache, for which a Redis that does not answer is a cache miss, never a failed request.

Everything the project keeps in the cache can be recomputed or done without: cached catalogue reads
(`marketplace.catalogue.read_cache`) are computed from the database; the sign-in, password-reset,
look-up and report counters (`marketplace.core.throttling`) count nothing while Redis is away, so no
one is locked out by an outage (and no lock is enforced during it: the password is still checked;
see docs/reliability.md). Sessions are in the database, not here.

When Redis refuses or times out, reads answer `default` (a miss), writes are skipped, and `incr`
answers `delta` (one, as if counting from zero). One warning is logged when Redis goes away and one
when it comes back, not a traceback per request; for `RETRY_SECONDS` after a failure this process
does not ask Redis again, so an outage costs each request nothing (a host that does not answer at
all would otherwise cost the socket timeout each time).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
T = TypeVar("T")

# The versions under KEYS and, when none is missing, the value under the key they make: ARGV[1], the versions
# joined by ".", ARGV[2]. (Not for Redis Cluster: that key is not among KEYS.)
_GET_UNDER_VERSIONS = """
local versions = redis.call('MGET', unpack(KEYS))
for _, version in ipairs(versions) do
  if not version then return {versions, false} end
end
return {versions, redis.call('GET', ARGV[1] .. table.concat(versions, '.') .. ARGV[2])}
"""


class _Outage:
    """Whether a Redis (by its servers) is known to be away, shared by the threads of a process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def skip(self) -> bool:
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, servers: list[str], exc: BaseException) -> None:
        with self.lock:
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "cache unavailable (%s: %s): reads go to the database, writes are skipped",
                    exc.__class__.__name__,
                    exc,
                )
            self.retry_at = now + RETRY_SECONDS

    def answered(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning("cache is back after %.1f s", time.monotonic() - self.down_since)
                self.down_since = None


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers: Iterable[str]) -> _Outage:
    key = tuple(servers)
    with _outages_lock:
        return _outages.setdefault(key, _Outage())


class DegradingRedisCacheClient(RedisCacheClient):
    _serializer: Any  # Django's, set by RedisCacheClient (its stubs leave it out)

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._outage_servers = list(servers)
        self._outage = _outage_of(servers)
        self._primary: Any = None  # the redis.Redis of the primary server, once made
        self._get_under_versions: Any = None  # the script, registered with that client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One `redis.Redis` for the primary server, made once: Django makes one per operation, and redis-py fills
        its table of ~160 reply parsers for each (0.3 ms, a fifth of a page served from the cache). Reads spread
        over replicas (more than one server) take Django's way."""
        if not write and len(self._outage_servers) > 1:
            return super().get_client(key, write=write)
        if self._primary is None:
            self._primary = super().get_client(key, write=True)
        return self._primary

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if self._outage.skip():
            return fallback
        try:
            result = call()
        except UNAVAILABLE as exc:
            self._outage.failed(self._outage_servers, exc)
            return fallback
        self._outage.answered()
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).add(key, value, timeout), False)

    def get(self, key: Any, default: Any) -> Any:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).get(key, default), default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._guard(lambda: super(DegradingRedisCacheClient, self).set(key, value, timeout), None)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).touch(key, timeout), False)

    def delete(self, key: Any) -> bool:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).delete(key), False)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).get_many(keys), {})

    def has_key(self, key: Any) -> bool:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).has_key(key), False)

    def incr(self, key: Any, delta: int) -> int:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).incr(key, delta), delta)

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        self._guard(lambda: super(DegradingRedisCacheClient, self).set_many(data, timeout), None)

    def delete_many(self, keys: Any) -> None:
        self._guard(lambda: super(DegradingRedisCacheClient, self).delete_many(keys), None)

    def clear(self) -> bool:
        return self._guard(lambda: super(DegradingRedisCacheClient, self).clear(), False)

    def get_under_versions(self, version_keys: list[str], head: str, tail: str) -> tuple[list[int | None], Any]:
        """`DegradingRedisCache.get_under_versions` with keys made already, on the primary server."""

        def call() -> tuple[list[int | None], Any]:
            client = self.get_client(write=True)
            if self._get_under_versions is None:
                self._get_under_versions = client.register_script(_GET_UNDER_VERSIONS)
            versions, value = self._get_under_versions(keys=version_keys, args=[head, tail], client=client)
            return (
                [None if version is None else int(version) for version in versions],
                None if value is None else self._serializer.loads(value),
            )

        away: tuple[list[int | None], Any] = ([None] * len(version_keys), None)
        return self._guard(call, away)


class DegradingRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that degrades to misses while Redis is away."""

    _servers: list[str]  # set by RedisCache (its stubs leave it out)

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient

    def get_under_versions(self, version_keys: list[str], head: str, tail: str) -> tuple[list[int | None], Any]:
        """The integers under `version_keys` and, when none is missing, the value under `head` + those versions
        joined by "." + `tail` (None if there is none), in one round trip: a version read in one trip and the
        value in the next would take two. Versions are None where missing, or while Redis is away."""
        if self.key_func is not default_key_func or len(self._servers) > 1:  # the key cannot be made in Redis
            found = self.get_many(version_keys)
            versions = [found.get(key) for key in version_keys]
            if None in versions:
                return versions, None
            return versions, self.get(head + ".".join(map(str, versions)) + tail)
        made = [self.make_and_validate_key(key) for key in version_keys]
        return cast(DegradingRedisCacheClient, self._cache).get_under_versions(
            made, self.make_and_validate_key(head), tail
        )


def cache_outages_reset() -> None:
    """Forget known outages (tests that take Redis away call this when they give it back)."""
    with _outages_lock:
        _outages.clear()
