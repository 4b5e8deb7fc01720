"""Per-request batch loaders that keep the number of SQL queries of a page constant.

graphene 3 runs synchronously under Django and does not wait on `promise.Promise` values, so
Promise-based DataLoaders cannot batch here. These loaders batch ahead instead: a connection
announces the keys of its page (`announce_keys`), and the first `load()` of any of them fetches
the values of every announced key not yet cached in one query. A loader that yields new keys
(variants of products) announces them for the loaders below it (prices and stock of variants).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from django.http import HttpRequest

K = TypeVar("K", int, str)  # ids or slugs, sorted for a stable batch query
V = TypeVar("V")

_LOADERS_ATTR = "_storefront_loaders"
_KEYS_ATTR = "_storefront_announced_keys"


def _announced(context: HttpRequest) -> defaultdict[str, set[Any]]:
    if not hasattr(context, _KEYS_ATTR):
        setattr(context, _KEYS_ATTR, defaultdict(set))
    return getattr(context, _KEYS_ATTR)


def announce_keys(context: HttpRequest, kind: str, keys: Iterable[Any]) -> None:
    """Tell this request's loaders of `kind` that these keys will be asked for."""
    _announced(context)[kind].update(keys)


class BatchLoader(Generic[K, V]):
    """Loads values by key for one request, batching every announced key into one query.

    Subclasses set `key_kind` (which announced keys they batch) and implement `batch_load`.
    Get instances with `loader_for(context, LoaderClass, *args)` so each request has one per args.
    """

    key_kind: ClassVar[str]

    def __init__(self, context: HttpRequest, *args: Any) -> None:
        self.context = context
        self.args = args
        self._cache: dict[K, V] = {}

    def batch_load(self, keys: list[K]) -> Mapping[K, V]:
        """The values of `keys`; a key left out gets `missing()`."""
        raise NotImplementedError

    def missing(self) -> V:
        raise NotImplementedError

    def load(self, key: K) -> V:
        if key not in self._cache:
            keys = {key} | {k for k in _announced(self.context)[self.key_kind] if k not in self._cache}
            found = self.batch_load(sorted(keys))
            for k in keys:
                self._cache[k] = found[k] if k in found else self.missing()
        return self._cache[key]


L = TypeVar("L", bound=BatchLoader)


def loader_for(context: HttpRequest, loader_class: type[L], *args: Any) -> L:
    """The request's instance of `loader_class` for these arguments (e.g. a channel id)."""
    if not hasattr(context, _LOADERS_ATTR):
        setattr(context, _LOADERS_ATTR, {})
    loaders: dict[tuple[Any, ...], BatchLoader] = getattr(context, _LOADERS_ATTR)
    cache_key = (loader_class, *args)
    if cache_key not in loaders:
        loaders[cache_key] = loader_class(context, *args)
    return loaders[cache_key]  # type: ignore[return-value]
