"""The configured search backend: Elasticsearch when ELASTICSEARCH_URL is set, PostgreSQL otherwise."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend

ELASTICSEARCH_BACKEND = "search.backends.elasticsearch.ElasticsearchBackend"


def get_backend() -> SearchBackend:
    if settings.ELASTICSEARCH_URL:
        # Imported only when chosen, so the elasticsearch client is loaded only where it is used.
        backend_class = import_string(ELASTICSEARCH_BACKEND)
        return backend_class(url=settings.ELASTICSEARCH_URL, index_name=settings.ELASTICSEARCH_INDEX)
    from search.backends.postgres import PostgresBackend

    return PostgresBackend()
