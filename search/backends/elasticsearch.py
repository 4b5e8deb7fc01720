"""The Elasticsearch 8 backend: the only module that speaks to Elasticsearch (docs/style.md, "Outside systems").

Text is folded the same way as `marketplace.core.text.fold`: the `vi_folded` analyzer maps
đ/Đ to d/D (explicitly, before `asciifolding` strips the other diacritics) and lower-cases,
so "ca phe" finds "Cà phê" and "dong nai" finds "Đồng Nai". `folded_name` (a keyword) holds
the name's words folded in Python exactly as the PostgreSQL backend folds its `folded_name`
("Mật ong - Đồng Nai" is "mat ong dong nai"): the exact-name tier compares with it and the
ranking sorts by it.

What matches is `search.matching`'s rule, as on PostgreSQL: the query is cut into chunks
(`search.matching.plan`), each a phrase (`multi_match` of type `phrase`, or `phrase_prefix` for
an unfinished last word) or a whole word in `name_terms` (names, and the vocabulary's kinds found
in them, in both languages) or `other_terms` (producer, place, OCOP group, a product set naming one
kind). Descriptions are indexed but not matched. Which pairs of words stay together depends on
what the index holds side by side: a search first asks for that (`build_known_terms_body`: a
terms aggregation over `terms`, the keyword list of every word and pair of words a query may
match, tagged with the `stats` group `ocop-known-terms`), then for the matches. Only when that
finds nothing, and some words may be typos (`search.matching.typo_candidates`), does it ask
again with those words allowed one edit (`fuzziness: 1`) and a term suggester on `terms` for the
words it used: that answer is `SearchResult.corrected`.

Ranking (relevance) is the PostgreSQL backend's, in tiers: (1) the exact folded name; (2) the
other products whose `name_terms` hold the query (asked as the match is, on that field only);
(3) the products that match only through `other_terms`. Within each tier: stars (most first),
then the folded name, then the id. No BM25: the matching is in filter context, and the score is
the tier alone, a `dis_max` of two `constant_score` clauses (`TIER_EXACT_NAME`, `TIER_NAME`; 0
for the third tier); the sort is `_score`, `stars`, `folded_name`, `product_id`. Price and stars
sorts break their ties the same way; without text the order is the folded name, then the id, as on PostgreSQL.

An index made before `folded_name` was mapped refuses documents that carry it (the mapping is
strict): run `rebuild_search_index` once after deploying this. Until then its searches still
answer (the sort names `unmapped_type`), without the name order.

Facets: the facet filters are a `post_filter`, and each facet's aggregation applies every
facet filter but its own, so a shopper who picked one commune still sees the others' counts.
Labels are those of the PostgreSQL backend ("4★", the producer kind's name, the group's and
the outlet's name). Group and outlet are counted on keywords "<id>|<name>" (`group_key`,
`outlet_keys`) written at indexing, split back into value and label: no second look-up.

Every failure of the cluster (refused connection, timeout, 429/5xx, no index yet) comes out
as `SearchUnavailable`; anything else it refuses (a bad request, a server that is not
Elasticsearch) as `SearchError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, UnsupportedProductError
from elasticsearch_dsl import (
    Byte,
    Date,
    Index,
    Integer,
    Keyword,
    Long,
    Mapping,
    Text,
    analyzer,
    char_filter,
)

from search.backends.base import (
    Facet,
    FacetValue,
    ProductDocument,
    SearchFilters,
    SearchQuery,
    SearchResult,
    SortField,
    facet_label,
    folded_words,
)
from search.matching import (
    STARTED,
    Chunk,
    last_word_complete,
    lookups,
    name_texts,
    other_texts,
    plan,
    query_words,
    strong_terms,
    typo_candidates,
    with_singulars,
)

__all__ = ["ElasticsearchBackend", "SearchError", "SearchUnavailable"]


class SearchError(Exception):
    """Elasticsearch refused what we asked (a bad request, a mapping clash, not Elasticsearch at all)."""


class SearchUnavailable(SearchError):
    """Elasticsearch could not be reached or could not answer (connection, timeout, 429, 5xx, no index yet)."""


# --- The index: analysis and mapping -------------------------------------------------------------

_VI_D = char_filter("vi_d", type="mapping", mappings=["đ=>d", "Đ=>D"])
VI_FOLDED = analyzer("vi_folded", tokenizer="standard", char_filter=[_VI_D], filter=["lowercase", "asciifolding"])

# Text fields the query matches (in filter context: they decide what matches, not the rank): `search.matching`'s
# name texts and other texts, one value each (phrases never span two: the default position gap).
TEXT_FIELDS: tuple[str, ...] = ("name_terms", "other_terms")
NAME_FIELDS: tuple[str, ...] = ("name_terms",)  # the second tier: these hold the query
TERMS_FIELD = "terms"  # keyword: every word and pair of words of the text fields (`search.matching.strong_terms`)
KNOWN_TERMS_STATS = "ocop-known-terms"  # the `stats` group of the request asking which terms the index holds
TYPO_EDITS = 1  # as on PostgreSQL: a word that may be a typo matches the words one edit away
# The score of each relevance tier; the third (matching only through the other fields) scores 0.
TIER_EXACT_NAME = 2.0
TIER_NAME = 1.0

KEY_SEPARATOR = "|"  # in group_key and outlet_keys: "<id>|<name>", a facet value with its label


def _folded_text(**kwargs: Any) -> Text:
    return Text(analyzer=VI_FOLDED, **kwargs)


def _place() -> Text:
    """A place name: folded text to search, and the name as given (`.keyword`) to filter and count."""
    return _folded_text(fields={"keyword": Keyword()})


def build_mapping() -> Mapping:
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    fields = {
        "product_id": Integer(),
        "name": _folded_text(),
        "folded_name": Keyword(),  # `folded_words(name)`, one space apart: the exact-name tier, and the sort
        "name_en": _folded_text(),
        "slug": Keyword(index=False),
        "description": _folded_text(),
        "producer_name": _folded_text(),
        "producer_kind": Keyword(),
        "commune": _place(),
        "district": _place(),
        "province": _place(),
        "group_id": Integer(),
        "group_key": Keyword(),
        "group_name": _folded_text(),
        "category_name": _folded_text(),
        "stars": Byte(),
        "price_min": Long(),
        "price_max": Long(),
        "outlet_ids": Integer(),
        "outlet_names": _folded_text(),
        "outlet_keys": Keyword(),
        "created_at": Date(),
        "name_terms": _folded_text(),
        "other_terms": _folded_text(),
        TERMS_FIELD: Keyword(),
    }
    for name, field in fields.items():
        mapping.field(name, field)
    return mapping


def build_index_body(index_name: str) -> dict[str, Any]:
    """What `PUT /<index>` receives: {"settings": {... "analysis": ...}, "mappings": {...}}."""
    index = Index(index_name)
    index.settings(number_of_shards=1)  # a catalogue of 10⁵ products fits one shard
    index.mapping(build_mapping())
    return index.to_dict()


def document_source(document: ProductDocument) -> dict[str, Any]:
    """The `_source` of one product in the index."""
    group_key = f"{document.group_id}{KEY_SEPARATOR}{document.group_name}" if document.group_id is not None else None
    outlet_keys = [
        f"{outlet_id}{KEY_SEPARATOR}{outlet_name}"
        for outlet_id, outlet_name in zip(document.outlet_ids, document.outlet_names, strict=True)
    ]
    return {
        "product_id": document.product_id,
        "name": document.name,
        "folded_name": " ".join(folded_words(document.name)),
        "name_en": document.name_en,
        "slug": document.slug,
        "description": document.description,
        "producer_name": document.producer_name,
        "producer_kind": document.producer_kind,
        "commune": document.commune,
        "district": document.district,
        "province": document.province,
        "group_id": document.group_id,
        "group_key": group_key,
        "group_name": document.group_name,
        "category_name": document.category_name,
        "stars": document.stars,
        "price_min": document.price_min,
        "price_max": document.price_max,
        "outlet_ids": list(document.outlet_ids),
        "outlet_names": list(document.outlet_names),
        "outlet_keys": outlet_keys,
        "created_at": document.created_at,
        "name_terms": with_singulars(name_texts(document)),
        "other_terms": with_singulars(other_texts(document)),
        TERMS_FIELD: strong_terms(document),
    }


# --- Queries ---------------------------------------------------------------------------------------

# The filter and the facet of each facet: the field filtered on, and the field counted.
FILTER_FIELDS: dict[Facet, str] = {
    Facet.STARS: "stars",
    Facet.GROUP: "group_id",
    Facet.COMMUNE: "commune.keyword",
    Facet.DISTRICT: "district.keyword",
    Facet.PRODUCER_KIND: "producer_kind",
    Facet.OUTLET: "outlet_ids",
}
FACET_FIELDS: dict[Facet, str] = {
    Facet.STARS: "stars",
    Facet.GROUP: "group_key",
    Facet.COMMUNE: "commune.keyword",
    Facet.DISTRICT: "district.keyword",
    Facet.PRODUCER_KIND: "producer_kind",
    Facet.OUTLET: "outlet_keys",
}
FACET_SIZE = 100

SORT_FIELDS: dict[SortField, str] = {
    SortField.PRICE: "price_min",
    SortField.STARS: "stars",
    SortField.NEWEST: "created_at",
}


@dataclass(frozen=True)
class Typos:
    """The fallback's words: `candidates` (maybe typos) within `TYPO_EDITS`, the others as written."""

    words: tuple[str, ...]
    candidates: tuple[str, ...]
    known: frozenset[str]
    last_complete: bool = False


def build_chunks_match(chunks: Sequence[Chunk], *, fields: Sequence[str] = TEXT_FIELDS) -> dict[str, Any]:
    """Every chunk (`search.matching.plan`) in one of `fields`: a phrase, or a whole word; the last one's last word
    possibly unfinished (`phrase_prefix`)."""
    clauses = []
    for chunk in chunks:
        match: dict[str, Any] = {"query": " ".join(chunk.words), "fields": list(fields)}
        if chunk.prefix:
            match["type"] = "phrase_prefix"
        elif len(chunk.words) > 1:
            match["type"] = "phrase"
        else:
            match.update(type="best_fields", operator="and")
        clauses.append({"multi_match": match})
    return {"bool": {"filter": clauses}}


def build_typo_match(typos: Typos, *, fields: Sequence[str] = TEXT_FIELDS) -> dict[str, Any]:
    """Every word in one of `fields`, anywhere: the maybe-typos within `TYPO_EDITS`, the unfinished last word as
    a prefix, the others as written."""
    clauses = []
    last = len(typos.words) - 1
    for n, word in enumerate(typos.words):
        match: dict[str, Any] = {"query": word, "fields": list(fields), "type": "best_fields", "operator": "and"}
        if word in typos.candidates:
            match["fuzziness"] = TYPO_EDITS
        elif n == last and not typos.last_complete and word not in typos.known:
            match = {"query": word, "fields": list(fields), "type": "phrase_prefix"}
        clauses.append({"multi_match": match})
    return {"bool": {"filter": clauses}}


def build_text_match(text: str, *, fuzzy: bool = False, fields: Sequence[str] = TEXT_FIELDS) -> dict[str, Any]:
    """`text` as a match knowing nothing of the index (the vocabulary's phrases kept together; as typos, every
    word of 4 letters or more): what `search` asks once it has asked which terms the index holds."""
    words = query_words(text)
    complete = last_word_complete(text)
    if fuzzy:
        typos = Typos(tuple(words), tuple(typo_candidates(words, set())), frozenset(), complete)
        return build_typo_match(typos, fields=fields)
    return build_chunks_match(plan(words, known=set(), last_pair_started=False, last_complete=complete), fields=fields)


def build_tier_score(
    text: str, *, fuzzy: bool = False, chunks: Sequence[Chunk] | None = None, typos: Typos | None = None
) -> dict[str, Any]:
    """A match's relevance tier as its score: `TIER_EXACT_NAME`, `TIER_NAME`, or (not matching this) 0.

    The second tier is asked as the match itself is (as written, or forgiving typos), on the
    name fields only, so it holds only products that match.
    """
    if typos is not None:
        by_name = build_typo_match(typos, fields=NAME_FIELDS)
    elif chunks is not None:
        by_name = build_chunks_match(chunks, fields=NAME_FIELDS)
    else:
        by_name = build_text_match(text, fuzzy=fuzzy, fields=NAME_FIELDS)
    return {
        "dis_max": {
            "queries": [
                {
                    "constant_score": {
                        "filter": {"term": {"folded_name": " ".join(folded_words(text))}},
                        "boost": TIER_EXACT_NAME,
                    }
                },
                {"constant_score": {"filter": by_name, "boost": TIER_NAME}},
            ]
        }
    }


def facet_filters(filters: SearchFilters) -> dict[Facet, dict[str, Any]]:
    """The filters that belong to a facet, each as a terms query."""
    chosen: dict[Facet, Sequence[int | str]] = {
        Facet.STARS: filters.stars,
        Facet.GROUP: filters.group_ids,
        Facet.COMMUNE: filters.communes,
        Facet.DISTRICT: filters.districts,
        Facet.PRODUCER_KIND: filters.producer_kinds,
        Facet.OUTLET: filters.outlet_ids,
    }
    return {facet: {"terms": {FILTER_FIELDS[facet]: list(values)}} for facet, values in chosen.items() if values}


def price_filters(filters: SearchFilters) -> list[dict[str, Any]]:
    """The price range (on the lowest variant price), which has no facet of its own."""
    price_range: dict[str, int] = {}
    if filters.price_min is not None:
        price_range["gte"] = filters.price_min
    if filters.price_max is not None:
        price_range["lte"] = filters.price_max
    return [{"range": {"price_min": price_range}}] if price_range else []


def build_sort(sort: SortField, *, descending: bool, text: bool = True) -> list[dict[str, Any]]:
    """Relevance is the tier (the score), stars (most first), the folded name, the id; without text, name and id.

    The other sorts follow `descending`, then relevance; newest breaks its ties on the id alone.
    """
    # `unmapped_type`: an index made before `folded_name` was mapped still answers until it is rebuilt.
    by_name = [{"folded_name": {"order": "asc", "unmapped_type": "keyword"}}, {"product_id": {"order": "asc"}}]
    ranked = [{"_score": {"order": "desc"}}, {"stars": {"order": "desc"}}] if text else []
    if sort == SortField.RELEVANCE:
        return [*ranked, *by_name]
    order = "desc" if descending else "asc"
    if sort == SortField.NEWEST:
        return [{"created_at": {"order": order}}, {"product_id": {"order": order}}]
    field = SORT_FIELDS[sort]
    return [
        {field: {"order": order, "missing": "_last"}},
        *(clause for clause in ranked if field not in clause),
        *by_name,
    ]


def build_known_terms_body(words: list[str]) -> dict[str, Any]:
    """The body of the request asking which of the query's words and pairs of words the index holds, and whether
    a term starts with its last pair (`search.matching.lookups`): no hits, two aggregations."""
    terms, last_pair = lookups(words)
    aggs: dict[str, Any] = {"known": {"terms": {"field": TERMS_FIELD, "include": terms, "size": len(terms)}}}
    if last_pair is not None:
        aggs["started"] = {"filter": {"prefix": {TERMS_FIELD: last_pair}}}
    return {"size": 0, "track_total_hits": False, "stats": [KNOWN_TERMS_STATS], "aggs": aggs}


def parse_known_terms(response: dict[str, Any]) -> set[str]:
    aggregations = response.get("aggregations", {})
    known = {str(bucket["key"]) for bucket in aggregations.get("known", {}).get("buckets", [])}
    if aggregations.get("started", {}).get("doc_count", 0) > 0:
        known.add(STARTED)
    return known


def build_search_body(
    query: SearchQuery, *, fuzzy: bool = False, chunks: Sequence[Chunk] | None = None, typos: Typos | None = None
) -> dict[str, Any]:
    """The body of `POST /<index>/_search` (as keyword arguments of `client.search`).

    The text and the price range are filters (they decide what matches, and score nothing); the
    relevance tier is the score, a `should` clause that no match needs. The facet filters go in
    `post_filter`, so they narrow the hits and the total but not the aggregations; each facet's
    aggregation applies every facet filter but its own.
    """
    text = " ".join(query.text.split())
    if not folded_words(text):
        text = ""  # nothing but punctuation: no text, as on PostgreSQL
    by_facet = facet_filters(query.filters)
    if typos is not None:
        matching = [build_typo_match(typos)]
    elif chunks is not None:
        matching = [build_chunks_match(chunks)]
    else:
        matching = [build_text_match(text, fuzzy=fuzzy)] if text else []
    query_body: dict[str, Any] = {"bool": {"filter": [*matching, *price_filters(query.filters)]}}
    if text:
        query_body["bool"]["should"] = [build_tier_score(text, fuzzy=fuzzy, chunks=chunks, typos=typos)]
    body: dict[str, Any] = {
        "query": query_body,
        "sort": build_sort(query.sort, descending=query.descending, text=bool(text)),
        "from_": max(query.offset, 0),
        "size": max(query.limit, 0),
        "track_total_hits": True,
        "source": False,
        "aggs": {
            facet.value: {
                "filter": {"bool": {"filter": [clause for other, clause in by_facet.items() if other != facet]}},
                "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}},
            }
            for facet, field in FACET_FIELDS.items()
        },
    }
    if not query.facets:
        del body["aggs"]
    if by_facet:
        body["post_filter"] = {"bool": {"filter": list(by_facet.values())}}
    if typos is not None and typos.candidates:  # the words it used, for `SearchResult.corrected_text`
        body["suggest"] = {
            f"w{n}": {
                "text": word,
                "term": {"field": TERMS_FIELD, "max_edits": TYPO_EDITS, "prefix_length": 0, "suggest_mode": "always"},
            }
            for n, word in enumerate(typos.candidates)
        }
    return body


def parse_suggestions(response: dict[str, Any], typos: Typos) -> str:
    """The query's words with each maybe-typo replaced by the suggester's best word (itself if none)."""
    suggest = response.get("suggest", {})
    best: dict[str, str] = {}
    for n, word in enumerate(typos.candidates):
        entries = suggest.get(f"w{n}", [])
        options = entries[0].get("options", []) if entries else []
        if options:
            best[word] = str(options[0]["text"])
    return " ".join(best.get(word, word) for word in typos.words)


def _facet_value(facet: Facet, bucket: dict[str, Any]) -> FacetValue:
    key = str(bucket.get("key_as_string", bucket["key"]))
    value, name = key, ""
    if facet in (Facet.GROUP, Facet.OUTLET):  # "<id>|<name>"
        value, _, name = key.partition(KEY_SEPARATOR)
    return FacetValue(value=value, label=facet_label(facet, value, name), count=bucket["doc_count"])


def _facet_values(facet: Facet, aggregation: dict[str, Any]) -> list[FacetValue]:
    buckets = aggregation.get("values", {}).get("buckets", [])
    values = [_facet_value(facet, bucket) for bucket in buckets if str(bucket["key"]) != ""]
    if facet == Facet.STARS:
        return sorted(values, key=lambda v: -int(v.value))
    return sorted(values, key=lambda v: (-v.count, v.label, v.value))


def parse_search_response(response: dict[str, Any]) -> SearchResult:
    hits = response["hits"]
    total = hits["total"]
    aggregations = response.get("aggregations", {})
    return SearchResult(
        product_ids=[int(hit["_id"]) for hit in hits["hits"]],
        total=total["value"] if isinstance(total, dict) else int(total),
        facets={facet: _facet_values(facet, aggregations.get(facet.value, {})) for facet in FACET_FIELDS},
    )


# --- The backend -----------------------------------------------------------------------------------


class ElasticsearchBackend:
    """`search.backends.base.SearchBackend` on one Elasticsearch 8 index."""

    def __init__(
        self,
        *,
        url: str,
        index_name: str,
        timeout: float = 10.0,
        max_retries: int = 2,
        refresh: bool = True,
        bulk_chunk_size: int = 500,
    ) -> None:
        """With `refresh`, index() and remove() end with one `_refresh`: their changes are searchable on return."""
        self.index_name = index_name
        self.refresh = refresh
        self.bulk_chunk_size = bulk_chunk_size
        self._index_exists = False  # known to exist with our mapping (checked once per backend)
        # The client retries refused connections and 429/502/503/504 itself, `max_retries` times.
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=max_retries)

    def search(self, query: SearchQuery) -> SearchResult:
        words = query_words(query.text)
        if not words:
            return parse_search_response(self._ask(build_search_body(query)))
        known = parse_known_terms(self._ask(build_known_terms_body(words)))
        complete = last_word_complete(query.text)
        chunks = plan(words, known=known, last_pair_started=STARTED in known, last_complete=complete)
        result = parse_search_response(self._ask(build_search_body(query, chunks=chunks)))
        candidates = typo_candidates(words, known)
        if result.total != 0 or not candidates:
            return result
        # Nothing has the words as written, and some may be typos: ask again forgiving them one edit.
        typos = Typos(tuple(words), tuple(candidates), frozenset(known), complete)
        response = self._ask(build_search_body(query, typos=typos))
        result = parse_search_response(response)
        if result.total == 0:
            return result
        return replace(result, corrected=True, corrected_text=parse_suggestions(response, typos))

    def terms_in_names(self, terms: Sequence[str]) -> set[str]:
        """One request: a `filters` aggregation of a phrase on `name_terms` per term."""
        wanted = [term for term in dict.fromkeys(" ".join(folded_words(term)) for term in terms) if term]
        if not wanted:
            return set()
        phrases = {
            term: {"multi_match": {"query": term, "type": "phrase", "fields": list(NAME_FIELDS)}} for term in wanted
        }
        body = {"size": 0, "track_total_hits": False, "aggs": {"terms": {"filters": {"filters": phrases}}}}
        buckets = self._ask(body).get("aggregations", {}).get("terms", {}).get("buckets", {})
        return {term for term, bucket in buckets.items() if bucket.get("doc_count", 0) > 0}

    def _ask(self, body: dict[str, Any]) -> dict[str, Any]:
        with _translated_errors("search"):
            response = self.client.search(index=self.index_name, **body)
        return dict(response.body)

    def index(self, documents: Sequence[ProductDocument]) -> None:
        if not documents:
            return
        self._ensure_index()
        operations = (
            line
            for document in documents
            for line in ({"index": {"_id": str(document.product_id)}}, document_source(document))
        )
        self._bulk(operations, lines_per_item=2)

    def remove(self, product_ids: Iterable[int]) -> None:
        ids = list(product_ids)
        if not ids:
            return
        self._ensure_index()
        self._bulk(({"delete": {"_id": str(product_id)}} for product_id in ids), lines_per_item=1)

    def reset(self) -> None:
        body = build_index_body(self.index_name)
        with _translated_errors("reset"):
            self.client.options(ignore_status=404).indices.delete(index=self.index_name)
            self.client.indices.create(index=self.index_name, settings=body["settings"], mappings=body["mappings"])
        self._index_exists = True

    def _ensure_index(self) -> None:
        """Create the index with its mapping if it is missing: a bulk write would create it without the analyzers."""
        if self._index_exists:
            return
        body = build_index_body(self.index_name)
        with _translated_errors("create index"):
            if not self.client.indices.exists(index=self.index_name):
                # 400 is "resource_already_exists_exception": another worker created it first.
                self.client.options(ignore_status=400).indices.create(
                    index=self.index_name, settings=body["settings"], mappings=body["mappings"]
                )
        self._index_exists = True

    def close(self) -> None:
        self.client.close()

    def _bulk(self, operations: Iterator[dict[str, Any]], *, lines_per_item: int) -> None:
        for chunk in _chunks(operations, self.bulk_chunk_size * lines_per_item):
            with _translated_errors("bulk"):
                response = self.client.bulk(index=self.index_name, operations=chunk)
            _raise_for_bulk_items(response.body)
        if self.refresh:
            with _translated_errors("refresh"):
                self.client.indices.refresh(index=self.index_name)


def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _raise_for_bulk_items(body: dict[str, Any]) -> None:
    """A bulk answer is 200 even when items fail; a delete of a missing document (404) is no failure."""
    if not body.get("errors"):
        return
    failures = []
    for item in body.get("items", []):
        ((action, result),) = item.items()
        status = result.get("status", 500)
        if 200 <= status < 300 or (action == "delete" and status == 404):
            continue
        failures.append((action, result.get("_id"), status, result.get("error")))
    if not failures:
        return
    statuses = {status for _, _, status, _ in failures}
    exception = SearchUnavailable if all(status == 429 or status >= 500 for status in statuses) else SearchError
    raise exception(f"{len(failures)} bulk item(s) failed, first: {failures[0]}")


@contextmanager
def _translated_errors(operation: str) -> Iterator[None]:
    """Turns the client's exceptions into ours, keeping the original as `__cause__`."""
    try:
        yield
    except UnsupportedProductError as exc:
        raise SearchError(f"Elasticsearch {operation}: the server does not say it is Elasticsearch") from exc
    except ApiError as exc:
        status = exc.meta.status
        if exc.message == "index_not_found_exception":
            # Between reset()'s delete and create, or before the first rebuild_search_index.
            raise SearchUnavailable(f"Elasticsearch {operation}: the index does not exist") from exc
        error_class = SearchUnavailable if status == 429 or status >= 500 else SearchError
        raise error_class(f"Elasticsearch {operation} failed with {status}: {exc.message}") from exc
    except TransportError as exc:
        raise SearchUnavailable(f"Elasticsearch {operation}: {exc}") from exc
