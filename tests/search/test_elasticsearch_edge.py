"""The Elasticsearch backend at its HTTP edge: what it sends to a cluster, and what it makes of the answers.

No cluster runs here; `ElasticsearchStandIn` answers like one over real HTTP, and the official
client talks to it unchanged. No database is needed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from marketplace.producers.models import ProducerKind
from search.backends.base import Facet, FacetValue, ProductDocument, SearchFilters, SearchQuery, SortField
from search.backends.elasticsearch import ElasticsearchBackend, SearchError, SearchUnavailable
from tests.search.es_standin import ElasticsearchStandIn, StoredIndex, filtered_terms, search_response

INDEX = "ocop-products-test"


@pytest.fixture
def standin() -> Iterator[ElasticsearchStandIn]:
    server = ElasticsearchStandIn()
    yield server
    server.stop()


@pytest.fixture
def backend(standin: ElasticsearchStandIn) -> Iterator[ElasticsearchBackend]:
    es_backend = ElasticsearchBackend(url=standin.url, index_name=INDEX, timeout=2.0)
    yield es_backend
    es_backend.close()


def make_document(product_id: int = 1, **overrides: Any) -> ProductDocument:
    values: dict[str, Any] = {
        "product_id": product_id,
        "name": "Hạt điều rang muối",
        "name_en": "Roasted salted cashews",
        "slug": f"hat-dieu-rang-muoi-{product_id}",
        "description": "Hạt điều Bình Phước rang củi, vỏ lụa.",
        "producer_name": "Hợp tác xã Điều Đồng Nai",
        "producer_kind": "cooperative",
        "commune": "Xã Tân Bình",
        "district": "Huyện Vĩnh Cửu",
        "province": "Tỉnh Đồng Nai",
        "group_id": 7,
        "group_name": "Thực phẩm",
        "category_name": "Hạt",
        "stars": 4,
        "price_min": 120_000,
        "price_max": 250_000,
        "outlet_ids": (11, 12),
        "outlet_names": ("Điểm bán Biên Hòa", "Điểm bán Long Khánh"),
        "created_at": "2025-08-01T02:00:00+00:00",
    }
    values.update(overrides)
    return ProductDocument(**values)


def only(requests: list[Any]) -> Any:
    assert len(requests) == 1, requests
    return requests[0]


# --- reset(): the index and its mapping ----------------------------------------------------------


def test_reset_creates_the_index_with_the_folding_analyzer_and_the_folded_name_keyword(standin, backend):
    backend.reset()

    created = only(standin.requests_to("PUT", f"/{INDEX}"))
    analysis = created.body["settings"]["analysis"]
    vi_folded = analysis["analyzer"]["vi_folded"]
    assert vi_folded["type"] == "custom"
    assert vi_folded["tokenizer"] == "standard"
    assert vi_folded["filter"] == ["lowercase", "asciifolding"]
    [char_filter_name] = vi_folded["char_filter"]
    assert analysis["char_filter"][char_filter_name] == {"type": "mapping", "mappings": ["đ=>d", "Đ=>D"]}

    properties = created.body["mappings"]["properties"]
    assert properties["name"] == {"type": "text", "analyzer": "vi_folded"}
    assert properties["folded_name"] == {"type": "keyword"}  # folded at indexing: the exact tier, and the sort

    for text_field in ("name_en", "description", "producer_name", "commune", "district", "province"):
        assert properties[text_field]["analyzer"] == "vi_folded", text_field
    for text_field in ("group_name", "category_name", "name_terms", "other_terms"):
        assert properties[text_field]["analyzer"] == "vi_folded", text_field
    assert properties["commune"]["fields"]["keyword"] == {"type": "keyword"}
    assert properties["district"]["fields"]["keyword"] == {"type": "keyword"}
    assert {field: properties[field]["type"] for field in properties if "analyzer" not in properties[field]} == {
        "product_id": "integer",
        "folded_name": "keyword",
        "slug": "keyword",
        "producer_kind": "keyword",
        "group_id": "integer",
        "group_key": "keyword",
        "stars": "byte",
        "price_min": "long",
        "price_max": "long",
        "outlet_ids": "integer",
        "outlet_keys": "keyword",
        "created_at": "date",
        "terms": "keyword",
    }
    assert created.body["mappings"]["dynamic"] == "strict"


def test_reset_drops_an_existing_index_first_and_tolerates_a_missing_one(standin, backend):
    backend.reset()  # no index yet: the DELETE answers 404, which is fine
    backend.index([make_document(1)])
    backend.reset()

    deletes = standin.requests_to("DELETE", f"/{INDEX}")
    assert len(deletes) == 2
    assert len(standin.requests_to("PUT", f"/{INDEX}")) == 2
    assert standin.indices[INDEX].documents == {}
    methods = [request.method for request in standin.requests if request.path == f"/{INDEX}"]
    assert methods == ["DELETE", "PUT", "DELETE", "PUT"]


# --- index() and remove(): bulk bodies -----------------------------------------------------------


def test_index_sends_one_action_and_one_document_per_product_keyed_by_product_id(standin, backend):
    backend.reset()
    backend.index([make_document(1), make_document(2, name="Bưởi Tân Triều", group_id=None, group_name="")])

    bulk = only(standin.requests_to("PUT", f"/{INDEX}/_bulk") + standin.requests_to("POST", f"/{INDEX}/_bulk"))
    assert bulk.headers["content-type"].startswith("application/vnd.elasticsearch+x-ndjson")
    assert standin.requests[-1].target == ("POST", f"/{INDEX}/_refresh")  # searchable on return
    action_1, source_1, action_2, source_2 = bulk.body
    assert action_1 == {"index": {"_id": "1"}}
    assert action_2 == {"index": {"_id": "2"}}
    assert source_1 == {
        "product_id": 1,
        "name": "Hạt điều rang muối",
        "folded_name": "hat dieu rang muoi",
        "name_en": "Roasted salted cashews",
        "slug": "hat-dieu-rang-muoi-1",
        "description": "Hạt điều Bình Phước rang củi, vỏ lụa.",
        "producer_name": "Hợp tác xã Điều Đồng Nai",
        "producer_kind": "cooperative",
        "commune": "Xã Tân Bình",
        "district": "Huyện Vĩnh Cửu",
        "province": "Tỉnh Đồng Nai",
        "group_id": 7,
        "group_key": "7|Thực phẩm",
        "group_name": "Thực phẩm",
        "category_name": "Hạt",
        "stars": 4,
        "price_min": 120_000,
        "price_max": 250_000,
        "outlet_ids": [11, 12],
        "outlet_names": ["Điểm bán Biên Hòa", "Điểm bán Long Khánh"],
        "outlet_keys": ["11|Điểm bán Biên Hòa", "12|Điểm bán Long Khánh"],
        "created_at": "2025-08-01T02:00:00+00:00",
        "name_terms": [
            "Hạt điều rang muối",
            "Roasted salted cashews",
            *source_1["name_terms"][2:-2],  # the vocabulary's kinds found in the names (search.vocabulary)
            "roasted salted cashew",  # plurals made singular
            "cashew nut",
        ],
        "other_terms": [  # not the description, nor "Hạt" (a product set is the category's name here)
            "Hợp tác xã Điều Đồng Nai",
            "hat dieu",  # the producer's kinds
            "dieu",
            "cashews",
            "cashew",
            "cashew nuts",
            "Xã Tân Bình",
            "Huyện Vĩnh Cửu",
            "Tỉnh Đồng Nai",
            "Thực phẩm",
            "Hạt",
            "cashew nut",
        ],
        "terms": source_1["terms"],
    }
    assert {"hat dieu", "cashew", "cashews", "salted"} <= set(source_1["name_terms"])
    assert {"hat dieu", "dieu rang", "cashew", "roasted salted", "tan binh", "dong nai"} <= set(source_1["terms"])
    assert "vo lua" not in source_1["terms"]  # the description
    assert source_2["name"] == "Bưởi Tân Triều"
    assert source_2["folded_name"] == "buoi tan trieu"
    assert source_2["group_id"] is None
    assert source_2["group_key"] is None
    assert set(standin.indices[INDEX].documents) == {"1", "2"}


def test_index_sends_large_batches_in_chunks_and_nothing_for_no_documents(standin):
    backend = ElasticsearchBackend(url=standin.url, index_name=INDEX, bulk_chunk_size=2)
    backend.index([])
    assert standin.requests == []

    backend.index([make_document(product_id) for product_id in range(1, 6)])

    bulks = [request for request in standin.requests if request.path == f"/{INDEX}/_bulk"]
    assert [len(request.body) for request in bulks] == [4, 4, 2]
    assert [request.path for request in standin.requests].count(f"/{INDEX}/_refresh") == 1  # once, at the end
    assert set(standin.indices[INDEX].documents) == {"1", "2", "3", "4", "5"}
    backend.close()


def test_remove_sends_bulk_deletes_and_ignores_products_not_in_the_index(standin, backend):
    backend.reset()
    backend.index([make_document(1), make_document(2)])

    backend.remove([2, 99])

    bulk, refresh = standin.requests[-2:]
    assert bulk.path == f"/{INDEX}/_bulk"
    assert bulk.body == [{"delete": {"_id": "2"}}, {"delete": {"_id": "99"}}]
    assert refresh.target == ("POST", f"/{INDEX}/_refresh")
    assert set(standin.indices[INDEX].documents) == {"1"}


def test_remove_of_nothing_sends_nothing(standin, backend):
    backend.remove(iter(()))
    assert standin.requests == []


@pytest.mark.parametrize(("status", "error"), [(400, SearchError), (429, SearchUnavailable)])
def test_a_failed_bulk_item_raises(standin, backend, status, error):
    standin.rejected_ids = {"2": status}

    with pytest.raises(error) as raised:
        backend.index([make_document(1), make_document(2)])

    assert "1 bulk item(s) failed" in str(raised.value)
    assert status != 400 or not isinstance(raised.value, SearchUnavailable)


# --- search(): the query body --------------------------------------------------------------------


def searches(standin: ElasticsearchStandIn) -> list[Any]:
    """The `_search` requests for matches, without the lookups of the terms the index holds."""
    return [r for r in standin.requests_to("POST", f"/{INDEX}/_search") if "stats" not in (r.body or {})]


def lookups(standin: ElasticsearchStandIn) -> list[Any]:
    return [r for r in standin.requests_to("POST", f"/{INDEX}/_search") if "stats" in (r.body or {})]


def search_request(standin: ElasticsearchStandIn) -> Any:
    return only(searches(standin))


FILTERS = SearchFilters(
    stars=(4, 5),
    group_ids=(7,),
    communes=("Xã Tân Bình",),
    districts=("Huyện Vĩnh Cửu",),
    producer_kinds=("cooperative",),
    outlet_ids=(11,),
    price_min=50_000,
    price_max=300_000,
)
FACET_FILTERS = {
    "stars": {"terms": {"stars": [4, 5]}},
    "group": {"terms": {"group_id": [7]}},
    "commune": {"terms": {"commune.keyword": ["Xã Tân Bình"]}},
    "district": {"terms": {"district.keyword": ["Huyện Vĩnh Cửu"]}},
    "producer_kind": {"terms": {"producer_kind": ["cooperative"]}},
    "outlet": {"terms": {"outlet_ids": [11]}},
}
TEXT_FIELDS = {"name_terms", "other_terms"}  # not the description


def phrase_match(words: Any, text: str, fields: set[str]) -> None:
    """`words` asks for `text` as one phrase (a phrase of the vocabulary) in one of `fields`."""
    [clause] = words["bool"]["filter"]
    assert clause == {"multi_match": {"query": text, "type": "phrase", "fields": sorted(fields)}}
    assert set(clause["multi_match"]["fields"]) == fields


def test_search_filters_on_every_word_scores_the_tier_and_sends_filters_sort_page_and_facets(standin, backend):
    standin.answer_search(search_response([1]))
    backend.search(
        SearchQuery(text="  Hạt   điều ", filters=FILTERS, sort=SortField.PRICE, descending=False, offset=20, limit=10)
    )

    body = search_request(standin).body  # one request for matches: it found something
    lookup = only(lookups(standin)).body  # after asking which of the words and pairs the index holds
    assert lookup["size"] == 0 and lookup["stats"] == ["ocop-known-terms"]
    assert lookup["aggs"]["known"] == {"terms": {"field": "terms", "include": ["dieu", "hat", "hat dieu"], "size": 3}}
    assert lookup["aggs"]["started"] == {"filter": {"prefix": {"terms": "hat dieu"}}}
    query = body["query"]["bool"]
    assert set(query) == {"filter", "should"}  # no `must`: matching scores nothing, only the tier does
    words, price = query["filter"]
    phrase_match(words, "hat dieu", TEXT_FIELDS)
    assert price == {"range": {"price_min": {"gte": 50_000, "lte": 300_000}}}

    [tier] = query["should"]
    exact_name, by_name = tier["dis_max"]["queries"]
    assert tier["dis_max"].get("tie_breaker", 0) == 0  # the score is the best tier, not a sum
    assert exact_name["constant_score"]["filter"] == {"term": {"folded_name": "hat dieu"}}  # folded like the index
    phrase_match(by_name["constant_score"]["filter"], "hat dieu", {"name_terms"})
    assert "suggest" not in body
    assert exact_name["constant_score"]["boost"] > by_name["constant_score"]["boost"] > 0

    assert body["post_filter"] == {"bool": {"filter": list(FACET_FILTERS.values())}}
    assert body["sort"] == [
        {"price_min": {"order": "asc", "missing": "_last"}},
        {"_score": {"order": "desc"}},
        {"stars": {"order": "desc"}},
        {"folded_name": {"order": "asc", "unmapped_type": "keyword"}},
        {"product_id": {"order": "asc"}},
    ]
    assert body["from"] == 20
    assert body["size"] == 10
    assert body["track_total_hits"] is True
    assert body["_source"] is False  # the ids are all we read

    facet_fields = {
        "stars": "stars",
        "group": "group_key",
        "commune": "commune.keyword",
        "district": "district.keyword",
        "producer_kind": "producer_kind",
        "outlet": "outlet_keys",
    }
    assert set(body["aggs"]) == set(facet_fields)
    for name, field in facet_fields.items():
        aggregation = body["aggs"][name]
        assert aggregation["aggs"] == {"values": {"terms": {"field": field, "size": 100}}}
        others = [clause for facet, clause in FACET_FILTERS.items() if facet != name]
        assert aggregation["filter"] == {"bool": {"filter": others}}, f"{name} counts ignore only its own filter"


def test_when_nothing_matches_as_written_it_asks_again_forgiving_typos_in_the_match_and_the_tier(standin, backend):
    standin.answer_search(search_response([], total=0))
    answer = search_response([5], aggregations={"stars": filtered_terms((4, 1))})
    answer["suggest"] = {
        "w0": [{"text": "deiu", "offset": 0, "length": 4, "options": [{"text": "dieu", "score": 0.5}]}]
    }
    standin.answer_search(answer)

    result = backend.search(SearchQuery(text="hat deiu", filters=FILTERS))

    first, second = searches(standin)
    assert "fuzziness" not in str(first.body)
    # Nothing known of the index (a canned test): "hat" and "deiu" are two chunks, each a whole word or a prefix.
    assert [c["multi_match"]["query"] for c in first.body["query"]["bool"]["filter"][0]["bool"]["filter"]] == [
        "hat",
        "deiu",
    ]
    words, _price = second.body["query"]["bool"]["filter"]
    [tier] = second.body["query"]["bool"]["should"]
    exact_name, by_name = tier["dis_max"]["queries"]
    for match, fields in ((words, TEXT_FIELDS), (by_name["constant_score"]["filter"], {"name_terms"})):
        hat, deiu = (clause["multi_match"] for clause in match["bool"]["filter"])
        assert hat == {
            "query": "hat",
            "fields": sorted(fields),
            "type": "best_fields",
            "operator": "and",
        }
        assert deiu["query"] == "deiu" and deiu["fuzziness"] == 1  # one edit, as on PostgreSQL ("hat": too short)
        assert set(deiu["fields"]) == fields
    assert exact_name["constant_score"]["filter"] == {"term": {"folded_name": "hat deiu"}}  # as typed, as on PostgreSQL
    assert second.body["suggest"] == {
        "w0": {"text": "deiu", "term": {"field": "terms", "max_edits": 1, "prefix_length": 0, "suggest_mode": "always"}}
    }
    assert second.body["sort"] == first.body["sort"]
    assert second.body["post_filter"] == first.body["post_filter"]
    assert second.body["aggs"] == first.body["aggs"]
    assert result.product_ids == [5]
    assert result.corrected and result.corrected_text == "hat dieu"
    assert result.facets[Facet.STARS] == [FacetValue("4", "4★", 1)]


def test_short_words_and_words_of_the_vocabulary_are_never_asked_as_typos(standin, backend):
    backend.reset()
    backend.index([make_document(1, name="Hạt điều muối hồng", name_en="")])

    for text in ("buoi", "honey", "tre", "ca phe"):
        assert backend.search(SearchQuery(text=text)).product_ids == []

    assert len(searches(standin)) == 4  # as written only: no second request forgiving typos
    assert "fuzziness" not in str([request.body for request in searches(standin)])


@pytest.mark.parametrize("text", ["  ", " !? - "])
def test_a_search_without_words_is_asked_once_in_name_order(standin, backend, text):
    standin.answer_search(search_response([]))

    result = backend.search(SearchQuery(text=text, filters=SearchFilters(price_max=100_000)))

    body = search_request(standin).body
    assert result.total == 0
    assert body["query"] == {"bool": {"filter": [{"range": {"price_min": {"lte": 100_000}}}]}}
    assert body["sort"] == [
        {"folded_name": {"order": "asc", "unmapped_type": "keyword"}},
        {"product_id": {"order": "asc"}},
    ]
    assert "post_filter" not in body
    assert body["aggs"]["stars"]["filter"] == {"bool": {"filter": []}}


def test_a_search_without_facets_asks_for_no_aggregations(standin, backend):
    standin.answer_search(search_response([7]))

    result = backend.search(SearchQuery(text="mat ong", facets=False))

    assert "aggs" not in search_request(standin).body
    assert result.product_ids == [7]
    assert all(values == [] for values in result.facets.values())


def test_the_exact_name_term_folds_đ_and_punctuation_like_the_index(standin, backend):
    standin.answer_search(search_response([1]))
    backend.search(SearchQuery(text="ĐẶC SẢN - Đồng Nai!"))

    [tier] = search_request(standin).body["query"]["bool"]["should"]
    exact_name = tier["dis_max"]["queries"][0]["constant_score"]["filter"]
    assert exact_name == {"term": {"folded_name": "dac san dong nai"}}


BY_NAME = [{"folded_name": {"order": "asc", "unmapped_type": "keyword"}}, {"product_id": {"order": "asc"}}]
TIERS = [{"_score": {"order": "desc"}}, {"stars": {"order": "desc"}}, *BY_NAME]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (SortField.RELEVANCE, True, TIERS),
        (SortField.RELEVANCE, False, TIERS),
        (SortField.PRICE, True, [{"price_min": {"order": "desc", "missing": "_last"}}, *TIERS]),
        (
            SortField.STARS,
            False,
            [{"stars": {"order": "asc", "missing": "_last"}}, {"_score": {"order": "desc"}}, *BY_NAME],
        ),
        (SortField.NEWEST, True, [{"created_at": {"order": "desc"}}, {"product_id": {"order": "desc"}}]),
        (SortField.NEWEST, False, [{"created_at": {"order": "asc"}}, {"product_id": {"order": "asc"}}]),
    ],
)
def test_search_sorts(standin, backend, sort, descending, expected):
    standin.answer_search(search_response([1]))
    backend.search(SearchQuery(text="ca phe", sort=sort, descending=descending))

    assert search_request(standin).body["sort"] == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (SortField.RELEVANCE, BY_NAME),
        (SortField.PRICE, [{"price_min": {"order": "desc", "missing": "_last"}}, *BY_NAME]),
        (SortField.STARS, [{"stars": {"order": "desc", "missing": "_last"}}, *BY_NAME]),
    ],
)
def test_without_text_the_sorts_end_in_name_order_with_no_score(standin, backend, sort, expected):
    standin.answer_search(search_response([1]))
    backend.search(SearchQuery(sort=sort))

    assert search_request(standin).body["sort"] == expected


# --- search(): the tiered order, evaluated by the stand-in ---------------------------------------

# "mat ong": the exact name, then the names holding both words (by stars, then name, then id),
# then the products matching only through their producer, description, place or group.
RANKED = [
    make_document(1, name="Mật ong", stars=3, name_en="Honey"),
    make_document(2, name="Kẹo mật ong gừng", stars=5, name_en=""),
    make_document(3, name="Mật ong rừng", stars=3, name_en=""),
    make_document(4, name="Bánh mật ong", stars=3, name_en=""),
    make_document(5, name="Mật ong rừng", stars=3, name_en=""),  # same name and stars as 3: by id
    make_document(6, name="Wild forest honey", stars=4, name_en="Mat ong rung"),  # the English name
    make_document(7, name="Phấn hoa", stars=5, name_en="", producer_name="HTX Mật Ong Đồng Nai"),
    make_document(8, name="Nến thơm", stars=4, name_en="", description="Sáp ong, mật ong rừng"),
    make_document(9, name="Ấm trà", stars=4, name_en="", description="Gốm Biên Hòa, mật ong"),
    make_document(10, name="Rượu đào", stars=5, name_en="", description="Đào Đồng Nai"),  # no match
]
EXPECTED_TIERS = [1, 2, 6, 4, 3, 5, 7]  # 8 and 9: "mật ong" in the description only


def test_search_ranks_in_tiers_then_stars_then_folded_name_then_id(standin, backend):
    backend.reset()
    backend.index(list(reversed(RANKED)))  # stored out of order: the order is the query's

    result = backend.search(SearchQuery(text="Mật Ong", facets=False))

    assert len(searches(standin)) == 1
    assert result.product_ids == EXPECTED_TIERS
    assert result.total == 7


def test_the_typo_pass_ranks_in_the_same_tiers(standin, backend):
    backend.reset()
    backend.index(RANKED)

    result = backend.search(SearchQuery(text="mat ongg", facets=False))  # no word starts "ongg"

    assert len(searches(standin)) == 2
    assert result.product_ids == [2, 6, 4, 1, 3, 5, 7]  # "mat ongg" is no name: "Mật ong" joins tier 2
    assert result.total == 7
    assert result.corrected and result.corrected_text == "mat ong"


def test_a_tiered_page_is_a_slice_of_the_whole_order(standin, backend):
    backend.reset()
    backend.index(RANKED)

    pages = [backend.search(SearchQuery(text="mat ong", offset=offset, limit=4)) for offset in (0, 4, 8)]

    assert [pk for page in pages for pk in page.product_ids] == EXPECTED_TIERS
    assert {page.total for page in pages} == {7}


# --- search(): the answer ------------------------------------------------------------------------


def test_search_turns_the_answer_into_ids_in_hit_order_total_and_labelled_facets(standin, backend):
    standin.answer_search(
        search_response(
            [5, 3, 9],
            total=42,
            aggregations={
                "stars": filtered_terms((4, 30), (5, 12)),
                "group": filtered_terms(("7|Thực phẩm", 40), ("9|Đồ uống", 2)),
                "commune": filtered_terms(("Xã Tân Bình", 42), ("", 3)),
                "district": filtered_terms(("Thành phố Biên Hòa", 1), ("Huyện Vĩnh Cửu", 41)),
                "producer_kind": filtered_terms(("cooperative", 40), ("household", 2)),
                "outlet": filtered_terms(("11|Điểm bán Biên Hòa", 20), ("12|Điểm bán Long Khánh", 3)),
            },
        )
    )

    result = backend.search(SearchQuery(text="hat dieu"))

    assert result.product_ids == [5, 3, 9]
    assert result.total == 42
    assert result.facets == {
        Facet.STARS: [FacetValue("5", "5★", 12), FacetValue("4", "4★", 30)],  # by stars, as on PostgreSQL
        Facet.GROUP: [FacetValue("7", "Thực phẩm", 40), FacetValue("9", "Đồ uống", 2)],
        Facet.COMMUNE: [FacetValue("Xã Tân Bình", "Xã Tân Bình", 42)],  # no empty commune
        Facet.DISTRICT: [
            FacetValue("Huyện Vĩnh Cửu", "Huyện Vĩnh Cửu", 41),
            FacetValue("Thành phố Biên Hòa", "Thành phố Biên Hòa", 1),
        ],
        Facet.PRODUCER_KIND: [
            FacetValue("cooperative", str(ProducerKind.COOPERATIVE.label), 40),
            FacetValue("household", str(ProducerKind.HOUSEHOLD.label), 2),
        ],
        Facet.OUTLET: [FacetValue("11", "Điểm bán Biên Hòa", 20), FacetValue("12", "Điểm bán Long Khánh", 3)],
    }


def test_search_with_no_hits_and_no_aggregations_gives_empty_facets(standin, backend):
    standin.answer_search(search_response([], total=0))
    standin.answer_search(search_response([], total=0))

    result = backend.search(SearchQuery(text="không có"))

    assert result.product_ids == []
    assert result.total == 0
    assert result.facets == {facet: [] for facet in Facet}
    assert len(searches(standin)) == 2  # as written, then forgiving typos ("khong": maybe one)


def test_index_then_search_round_trip_over_http(standin, backend):
    """No canned answer: the stand-in evaluates the query over what it holds, the whole HTTP path."""
    backend.reset()
    backend.index([make_document(3, name="Bưởi"), make_document(1, name="Cam"), make_document(2, name="An")])
    backend.remove([2])

    result = backend.search(SearchQuery(limit=10))

    assert result.product_ids == [3, 1]  # without text: by folded name
    assert result.total == 2


# --- Speaking HTTP to something that says it is Elasticsearch ------------------------------------


def test_the_official_client_really_talks_http_to_the_stand_in(standin, backend):
    standin.answer_search(search_response([1]))
    backend.search(SearchQuery(text="bưởi"))

    request = search_request(standin)
    assert request.headers["accept"] == "application/vnd.elasticsearch+json; compatible-with=8"
    assert request.headers["content-type"] == "application/vnd.elasticsearch+json; compatible-with=8"
    assert request.headers["x-elastic-client-meta"].startswith("es=8.")


def test_the_stand_in_introduces_itself_as_an_elasticsearch_8_cluster(standin, backend):
    info = backend.client.info()

    assert info["version"]["number"] == "8.15.0"
    assert only(standin.requests_to("GET", "/")).headers["accept"].endswith("compatible-with=8")


def test_a_server_that_does_not_say_it_is_elasticsearch_is_refused(standin, backend):
    standin.product_header = False
    standin.answer_search(search_response([1]))

    with pytest.raises(SearchError) as raised:
        backend.search(SearchQuery(text="bưởi"))

    assert not isinstance(raised.value, SearchUnavailable)
    assert len(standin.requests) == 1  # the request was made; the answer was refused


# --- Failures ------------------------------------------------------------------------------------


def test_a_cluster_answering_503_is_unavailable_after_the_client_retries(standin):
    backend = ElasticsearchBackend(url=standin.url, index_name=INDEX, max_retries=2)
    standin.fail_with(503, times=3)

    with pytest.raises(SearchUnavailable) as raised:
        backend.search(SearchQuery(text="ca phe"))

    assert "503" in str(raised.value)
    assert len(standin.requests_to("POST", f"/{INDEX}/_search")) == 3
    backend.close()


def test_a_503_that_clears_on_retry_is_no_failure(standin, backend):
    standin.fail_with(503, times=1)
    standin.answer_search(search_response([4]))

    assert backend.search(SearchQuery(text="ca phe")).product_ids == [4]
    assert len(standin.requests_to("POST", f"/{INDEX}/_search")) == 3  # the lookup twice, then the search


@pytest.mark.parametrize("operation", ["reset", "index", "remove"])
def test_writes_against_a_failing_cluster_are_unavailable(standin, backend, operation):
    standin.fail_with(503, times=10)
    calls = {
        "reset": backend.reset,
        "index": lambda: backend.index([make_document(1)]),
        "remove": lambda: backend.remove([1]),
    }

    with pytest.raises(SearchUnavailable):
        calls[operation]()


def test_a_bad_request_is_a_search_error_not_unavailability(standin, backend):
    standin.fail_with(400)

    with pytest.raises(SearchError) as raised:
        backend.search(SearchQuery(text="ca phe"))

    assert not isinstance(raised.value, SearchUnavailable)
    assert len(standin.requests) == 1  # a 400 is not retried


def test_a_closed_port_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = ElasticsearchBackend(url=f"http://127.0.0.1:{port}", index_name=INDEX, timeout=1.0, max_retries=0)

    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="ca phe"))
    backend.close()


def test_a_cluster_slower_than_the_timeout_is_unavailable(standin):
    backend = ElasticsearchBackend(url=standin.url, index_name=INDEX, timeout=0.2, max_retries=0)
    standin.delay_seconds = 1.0

    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="ca phe"))
    backend.close()


def test_writes_can_leave_refreshing_to_the_cluster(standin):
    backend = ElasticsearchBackend(url=standin.url, index_name=INDEX, refresh=False)
    backend.reset()
    standin.requests.clear()

    backend.index([make_document(1)])
    backend.remove([1])

    assert [request.path for request in standin.requests] == [f"/{INDEX}/_bulk", f"/{INDEX}/_bulk"]
    backend.close()


def test_searching_before_the_index_exists_is_unavailable(standin, backend):
    with pytest.raises(SearchUnavailable, match="index does not exist"):
        backend.search(SearchQuery(text="ca phe"))


def test_the_first_write_creates_a_missing_index_with_its_mapping_not_a_dynamic_one(standin, backend):
    backend.index([make_document(1)])
    backend.index([make_document(2)])

    first_calls = [request.target for request in standin.requests[:3]]
    assert first_calls == [("HEAD", f"/{INDEX}"), ("PUT", f"/{INDEX}"), ("PUT", f"/{INDEX}/_bulk")]
    assert standin.indices[INDEX].body["mappings"]["properties"]["name"]["analyzer"] == "vi_folded"
    assert len(standin.requests_to("HEAD", f"/{INDEX}")) == 1  # checked once per backend


def test_an_existing_index_is_left_as_it_is_by_writes(standin, backend):
    standin.indices[INDEX] = StoredIndex(body={"existing": True})

    backend.index([make_document(1)])

    assert standin.requests_to("PUT", f"/{INDEX}") == []
    assert standin.indices[INDEX].body == {"existing": True}
