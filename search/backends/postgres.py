"""PostgreSQL full-text search over `search_productsearchdocument` (the default backend).

Text is folded in Python with `marketplace.core.text.fold` on the way in and for the query, so
"hạt điều", "Hat Dieu" and "HAT ĐIỀU" are the same words (descriptions are folded in the
database with `ocop_unaccent`, the immutable wrapper of `unaccent`). A product matches when
every word of the query matches a word of its text as a prefix ("ca phe" finds "cà phê", "buoi
tan tri" finds "Bưởi Tân Triều"); a query word that occurs nowhere in the index (a typo such as
"deiu") also matches the indexed words one edit away (a letter changed, added, dropped, or two
swapped), found in `search_searchterm` with `levenshtein_less_equal`. Only when nothing matches
that way does the search fall back to the whole query's trigram word similarity (`<%`, GIN
trigram index), for mangled queries the word rule cannot mend.

Ranking: the exact folded name first, then full-text rank (weights: name, producer, place and
group, description), then trigram similarity (fallback only), then name. Facet counts are
computed over the matches with every filter applied except the facet's own, so a shopper who
picked one commune still sees the counts of the others; the total applies every filter. Page,
total and facets come from one statement (plus one for typo candidates).

The index is not the gate: `search.selectors.product_search` drops from the page any product
delisted since it was indexed; the total and facets follow at the next indexing cycle (the
delisting marks the product). Checking the gate here for every match cost ~100 ms a search at
100,000 products.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from marketplace.core.text import fold
from marketplace.outlets.models import Outlet
from search.backends.base import (
    Facet,
    FacetValue,
    ProductDocument,
    SearchFilters,
    SearchQuery,
    SearchResult,
    SortField,
    facet_label,
)
from search.models import ProductSearchDocument, SearchTerm

DOCUMENTS = ProductSearchDocument._meta.db_table
TERMS = SearchTerm._meta.db_table
OUTLETS = Outlet._meta.db_table  # the outlet facet's labels: today's names
TEXT_SEARCH_CONFIG = "simple"  # the text is folded already; no stemming for Vietnamese
MAX_QUERY_WORDS = 12
TRIGRAM_THRESHOLD = 0.5  # `<%` word similarity of the fallback ("hatdieu" 0.55 to "hat dieu ...")
TYPO_MIN_LENGTH = 4  # shorter words are one edit away from too many others
TERM_MAX_LENGTH = 100
UPSERT_CHUNK_SIZE = 1000  # 25 parameters a document: well under PostgreSQL's 65,535 a statement
_WORD = re.compile(r"\w+")

_DOCUMENT_COLUMNS = (
    "product_id",
    "name",
    "name_en",
    "slug",
    "description",
    "producer_name",
    "producer_kind",
    "commune",
    "district",
    "province",
    "group_id",
    "group_name",
    "category_name",
    "stars",
    "price_min",
    "price_max",
    "outlet_ids",
    "outlet_names",
    "created_at",
    "folded_name",
    "folded_text",
)
_VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
    " || setweight(to_tsvector('simple', %s), 'C')"
    " || setweight(to_tsvector('simple', lower(ocop_unaccent(%s))), 'D')"
)


def folded_words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _folded(*parts: str) -> str:
    return " ".join(word for part in parts for word in folded_words(part))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: substitutions, insertions, deletions and adjacent swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class PostgresBackend:
    """The `SearchBackend` over PostgreSQL (pg_trgm, unaccent, fuzzystrmatch)."""

    def reset(self) -> None:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # TRUNCATE would fail on the deferred foreign key checks pending
                cursor.execute(f"DELETE FROM {DOCUMENTS}")
                cursor.execute(f"DELETE FROM {TERMS}")
            else:
                cursor.execute(f"TRUNCATE {DOCUMENTS}, {TERMS}")

    def remove(self, product_ids: Iterable[int]) -> None:
        ids = sorted(set(product_ids))
        if ids:
            ProductSearchDocument.objects.filter(product_id__in=ids).delete()

    def index(self, documents: Sequence[ProductDocument]) -> None:
        by_id = list({document.product_id: document for document in documents}.values())
        with transaction.atomic():
            for start in range(0, len(by_id), UPSERT_CHUNK_SIZE):
                self._upsert(by_id[start : start + UPSERT_CHUNK_SIZE])

    def _upsert(self, documents: list[ProductDocument]) -> None:
        """One INSERT … ON CONFLICT for these documents (their vectors built in the database), and their words."""
        rows: list[str] = []
        params: list[Any] = []
        terms: set[str] = set()
        for document in documents:
            name_words = _folded(document.name, document.name_en)
            producer_words = _folded(document.producer_name)
            place_words = _folded(
                document.commune, document.district, document.province, document.group_name, document.category_name
            )
            folded_text = _folded(
                document.name,
                document.name_en,
                document.producer_name,
                document.commune,
                document.district,
                document.group_name,
                document.category_name,
            )
            terms.update(folded_text.split())
            terms.update(folded_words(document.description))
            values = [getattr(document, column) for column in _DOCUMENT_COLUMNS[:-2]]
            values[_DOCUMENT_COLUMNS.index("outlet_ids")] = list(document.outlet_ids)
            values[_DOCUMENT_COLUMNS.index("outlet_names")] = list(document.outlet_names)
            params += [*values, _folded(document.name), folded_text]
            params += [name_words, producer_words, place_words, document.description]
            placeholders = ", ".join(["%s"] * len(_DOCUMENT_COLUMNS))
            rows.append(f"({placeholders}, {_VECTOR_SQL}, now())")
        columns = ", ".join([*_DOCUMENT_COLUMNS, "search_vector", "indexed_at"])
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in [*_DOCUMENT_COLUMNS[1:], "search_vector"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {DOCUMENTS} ({columns}) VALUES {', '.join(rows)} "
                f"ON CONFLICT (product_id) DO UPDATE SET {updates}, indexed_at = now()",
                params,
            )
            # Words are only ever added: a stale one merely widens a typo's alternatives.
            SearchTerm.objects.bulk_create(
                [SearchTerm(term=term) for term in sorted(terms) if 2 < len(term) <= TERM_MAX_LENGTH],
                ignore_conflicts=True,
            )

    def search(self, query: SearchQuery) -> SearchResult:
        words = folded_words(query.text)[:MAX_QUERY_WORDS]
        if not words and not query.counts:
            return self._browse_page(query)
        result = self._search(query, self._full_text_match(words))
        if words and result.total == 0:
            # Nothing has every word, even corrected: fall back to the query's trigram similarity.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(TRIGRAM_THRESHOLD)]
                )
                result = self._search(query, self._trigram_match(words))
        return result

    def _search(self, query: SearchQuery, match: tuple[str, list[Any]]) -> SearchResult:
        """Page, total and (if asked) facets in one statement over the `matched` CTE, read once for the facets."""
        match_sql, params = match
        clauses = _filter_clauses(query.filters)
        order = _order_by(query.sort, query.descending)
        where, where_params = _where(clauses)
        page = (
            "SELECT 'hit' AS kind, product_id::text AS value, '' AS label, row_number() OVER () AS n"
            f" FROM (SELECT product_id FROM matched WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s) page"
        )
        params += [*where_params, query.limit, query.offset]
        if not query.facets:
            params += where_params
            total = "SELECT 'total', NULL::text, NULL::text, count(*) FROM matched WHERE " + where
            return self._run(f"WITH matched AS MATERIALIZED ({match_sql}) {page} UNION ALL {total}", params)
        # One pass for the total and the scalar facets: a grouping set each, each counted under its own filters.
        kinds, counts = [], []
        for facet, column in _SCALAR_FACETS:
            facet_where, facet_params = _where(clauses, without=facet)
            kinds.append(f"WHEN GROUPING({column}) = 0 THEN '{facet.value}'")
            counts.append(f"WHEN GROUPING({column}) = 0 THEN count(*) FILTER (WHERE {facet_where})")
            params += facet_params
        params += where_params
        columns = [column for _, column in _SCALAR_FACETS]
        value = ", ".join(f"{column}::text" for column in columns)
        scalar_facets = (
            f"SELECT CASE {' '.join(kinds)} ELSE 'total' END, coalesce({value}), max(group_name),"
            f" CASE {' '.join(counts)} ELSE count(*) FILTER (WHERE {where}) END"
            f" FROM matched GROUP BY GROUPING SETS ((), {', '.join(f'({column})' for column in columns)})"
        )
        outlet_where, outlet_params = _where(clauses, without=Facet.OUTLET)
        outlet_facet = (
            f"SELECT 'outlet', held.id::text, coalesce(outlet.name, ''), held.n FROM (SELECT id, count(*) AS n"
            f" FROM (SELECT unnest(outlet_ids) AS id FROM matched WHERE {outlet_where}) stocked GROUP BY id) held"
            f" LEFT JOIN {OUTLETS} outlet ON outlet.id = held.id"
        )
        params += outlet_params
        return self._run(
            f"WITH matched AS MATERIALIZED ({match_sql}) {page} UNION ALL {scalar_facets} UNION ALL {outlet_facet}",
            params,
        )

    def _run(self, sql: str, params: list[Any]) -> SearchResult:
        """The result of a statement whose rows are (kind, value, label, n): hits, the total, facet values."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()

        hits = sorted((n, int(value)) for kind, value, _, n in rows if kind == "hit")
        total = next(n for kind, _, _, n in rows if kind == "total")
        facets: dict[Facet, list[FacetValue]] = {facet: [] for facet in Facet}
        for kind, value, label, count in rows:
            if kind in ("hit", "total") or not value or not count:
                continue
            facet = Facet(kind)
            facets[facet].append(FacetValue(value=value, label=_facet_label(facet, value, label), count=count))
        for facet, values in facets.items():
            if facet == Facet.STARS:
                values.sort(key=lambda v: -int(v.value))
            else:
                values.sort(key=lambda v: (-v.count, v.label, v.value))
        return SearchResult(product_ids=[product_id for _, product_id in hits], total=total, facets=facets)

    def _browse_page(self, query: SearchQuery) -> SearchResult:
        """Only the page of a search without text (total -1, no facets): by name, read off `search_doc_browse`."""
        where, params = _where(_filter_clauses(query.filters))
        order = _order_by(query.sort, query.descending, text=False)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT product_id FROM {DOCUMENTS} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, query.limit, query.offset],
            )
            ids = [product_id for (product_id,) in cursor.fetchall()]
        return SearchResult(product_ids=ids, total=-1, facets={facet: [] for facet in Facet})

    def _corrections(self, words: list[str]) -> dict[str, list[str]]:
        """For each query word found nowhere in the index, the indexed words one edit away."""
        candidates = sorted({word for word in words if len(word) >= TYPO_MIN_LENGTH})
        if not candidates:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT q.word, t.term FROM unnest(%s::text[]) AS q(word) JOIN {TERMS} t"
                " ON length(t.term) BETWEEN length(q.word) - 1 AND length(q.word) + 1"
                " AND levenshtein_less_equal(t.term, q.word, 2) <= 2"
                f" WHERE NOT EXISTS (SELECT 1 FROM {TERMS} k WHERE k.term = q.word)",
                [candidates],
            )
            rows = cursor.fetchall()
        corrections: dict[str, list[str]] = {}
        for word, term in rows:
            if edit_distance(word, term) <= 1:
                corrections.setdefault(word, []).append(term)
        return corrections

    def _full_text_match(self, words: list[str]) -> tuple[str, list[Any]]:
        """Documents with every word (as a prefix, or corrected), ranked by exact name, then full-text rank."""
        if not words:
            return (
                f"SELECT {_COLUMNS}, FALSE AS exact, 0.0::real AS rank, 0.0::real AS similarity FROM {DOCUMENTS} d",
                [],
            )
        corrections = self._corrections(words)
        tsquery = " & ".join("(" + " | ".join([f"{word}:*", *corrections.get(word, [])]) + ")" for word in words)
        sql = (
            f"SELECT {_COLUMNS}, d.folded_name = %s AS exact,"
            f" ts_rank_cd(d.search_vector, to_tsquery('{TEXT_SEARCH_CONFIG}', %s)) AS rank,"
            " 0.0::real AS similarity"
            f" FROM {DOCUMENTS} d WHERE d.search_vector @@ to_tsquery('{TEXT_SEARCH_CONFIG}', %s)"
        )
        return sql, [" ".join(words), tsquery, tsquery]

    def _trigram_match(self, words: list[str]) -> tuple[str, list[Any]]:
        """Documents whose folded text holds something close to the whole query (pg_trgm's `<%`)."""
        phrase = " ".join(words)
        sql = (
            f"SELECT {_COLUMNS}, d.folded_name = %s AS exact, 0.0::real AS rank,"
            f" word_similarity(%s, d.folded_text) AS similarity FROM {DOCUMENTS} d WHERE %s <%% d.folded_text"
        )
        return sql, [phrase, phrase, phrase]


_COLUMNS = (
    "d.product_id, d.stars, d.group_id, d.group_name, d.commune, d.district, d.producer_kind,"
    " d.outlet_ids, d.price_min, d.created_at, d.folded_name"
)
_SCALAR_FACETS: tuple[tuple[Facet, str], ...] = (
    (Facet.STARS, "stars"),
    (Facet.GROUP, "group_id"),
    (Facet.COMMUNE, "commune"),
    (Facet.DISTRICT, "district"),
    (Facet.PRODUCER_KIND, "producer_kind"),
)


def _filter_clauses(filters: SearchFilters) -> list[tuple[Facet | None, str, list[Any]]]:
    """(the facet it belongs to, SQL, params) of each filter in use; price has no facet."""
    clauses: list[tuple[Facet | None, str, list[Any]]] = []
    if filters.stars:
        clauses.append((Facet.STARS, "stars = ANY(%s::int[])", [list(filters.stars)]))
    if filters.group_ids:
        clauses.append((Facet.GROUP, "group_id = ANY(%s::bigint[])", [list(filters.group_ids)]))
    if filters.communes:
        clauses.append((Facet.COMMUNE, "commune = ANY(%s::text[])", [list(filters.communes)]))
    if filters.districts:
        clauses.append((Facet.DISTRICT, "district = ANY(%s::text[])", [list(filters.districts)]))
    if filters.producer_kinds:
        clauses.append((Facet.PRODUCER_KIND, "producer_kind = ANY(%s::text[])", [list(filters.producer_kinds)]))
    if filters.outlet_ids:
        clauses.append((Facet.OUTLET, "outlet_ids && %s::bigint[]", [list(filters.outlet_ids)]))
    if filters.price_min is not None:
        clauses.append((None, "price_min >= %s", [filters.price_min]))
    if filters.price_max is not None:
        clauses.append((None, "price_min <= %s", [filters.price_max]))
    return clauses


def _where(clauses: list[tuple[Facet | None, str, list[Any]]], *, without: Facet | None = None) -> tuple[str, list]:
    kept = [(sql, params) for facet, sql, params in clauses if facet is None or facet != without]
    if not kept:
        return "TRUE", []
    return " AND ".join(f"({sql})" for sql, _ in kept), [p for _, params in kept for p in params]


def _order_by(sort: SortField, descending: bool, *, text: bool = True) -> str:
    """Without text, exact, rank and similarity are the same for every document: name and id decide."""
    direction = "DESC" if descending else "ASC"
    relevance = 'folded_name COLLATE "C", product_id'
    if text:
        relevance = f"exact DESC, rank DESC, similarity DESC, {relevance}"
    if sort == SortField.PRICE:
        return f"price_min {direction} NULLS LAST, {relevance}"
    if sort == SortField.STARS:
        return f"stars {direction}, {relevance}"
    if sort == SortField.NEWEST:
        return f"created_at {direction}, product_id {direction}"
    return relevance


def _facet_label(facet: Facet, value: str, label: str | None) -> str:
    if facet in (Facet.COMMUNE, Facet.DISTRICT, Facet.PRODUCER_KIND):
        label = None  # the grouping set's max(group_name) means nothing for them
    return facet_label(facet, value, label)
