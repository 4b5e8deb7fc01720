"""Catalogue search (PostgreSQL full text, Elasticsearch): built in issue 3."""
