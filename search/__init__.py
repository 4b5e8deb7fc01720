"""Catalogue search: one interface (`search.backends.base.SearchBackend`), two backends.

PostgreSQL full text (the default) and Elasticsearch (when ELASTICSEARCH_URL is set). The
index follows the catalogue through "needs reindex" marks that a Celery task works off in
batches; the API still checks the listing gate itself, so a delisted product never shows,
whatever the index says.
"""
