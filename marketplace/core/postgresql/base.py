"""Django's PostgreSQL backend (psycopg 3), reading `timestamptz` values with `datetime.fromisoformat`.

Django reads every `timestamptz` through a subclass of psycopg's pure-Python loader (its `BaseTzLoader`), which
parses the text in Python: ~9 % of a storefront product list's time went there (py-spy, issue 12), for ~200
timestamps a page. PostgreSQL sends them in the session's time zone, UTC for Django with `USE_TZ`, as
`2026-12-06 03:00:00.123456+00`, which `datetime.fromisoformat` (C) reads in a fraction of a microsecond. Any
other text (another offset, `infinity`, a BC date) goes to Django's loader, so every value is what it was.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django.db.backends.postgresql import base
from psycopg import adapt
from psycopg.adapt import AdaptersMap
from psycopg.postgres import types as postgres_types
from psycopg.pq import Format

TIMESTAMPTZ_OID = postgres_types["timestamptz"].oid
_UTC_SUFFIX = b"+00"


def iso_timestamptz_loader(django_loader: type[adapt.Loader]) -> type[adapt.Loader]:
    """A loader answering as `django_loader` (Django's, whose `timezone` it keeps) does, faster for UTC text."""

    class IsoTimestamptzLoader(django_loader):  # type: ignore[valid-type,misc]
        def load(self, data: Any) -> datetime.datetime:
            text = bytes(data)
            if text.endswith(_UTC_SUFFIX) and text[:1].isdigit():
                try:
                    value = datetime.datetime.fromisoformat(text.decode())
                except ValueError:
                    return super().load(data)
                return value.replace(tzinfo=self.timezone)
            return super().load(data)

    return IsoTimestamptzLoader


@lru_cache
def _with_iso_timestamps(template: AdaptersMap) -> AdaptersMap:
    django_loader = template.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert isinstance(django_loader, type) and issubclass(django_loader, adapt.Loader), django_loader
    adapters = AdaptersMap(template)
    adapters.register_loader("timestamptz", iso_timestamptz_loader(django_loader))
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["context"] = _with_iso_timestamps(params["context"])
        return params
