"""Helpers for tests of the shared domain code."""

from __future__ import annotations

from django.core.cache import cache


def throttle_counters_reset() -> None:
    """Deletes every counter of `marketplace.core.throttling` (they outlive a test run in Redis otherwise)."""
    try:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        keys = list(client.scan_iter(match="*throttle:*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception:
        pass
