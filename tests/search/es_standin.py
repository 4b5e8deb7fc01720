"""An Elasticsearch 8 stand-in: a small HTTP server that answers like a cluster, at the network edge.

It understands what `search.backends.elasticsearch` sends: cluster info (`GET /`), index
create/exists/delete, `_bulk` (NDJSON), `_search` and `_refresh`. Every request is recorded
(method, path, query string, headers, parsed body) so tests can check what the backend sent.

Searches are answered from a queue of canned responses (`answer_search`); with none queued,
the stand-in evaluates the query over the stored documents: the clauses the backend sends
(`bool`, `constant_score`, `dis_max`, `term`, `terms`, `prefix`, `range`, `match_all`,
`multi_match` of type `best_fields`, `bool_prefix`, `phrase` or `phrase_prefix`, with
`fuzziness` AUTO, AUTO:low,high or a number of edits), scored as Elasticsearch scores them in
filter context and with constant scores, then `post_filter`, `sort` and `from`/`size`; `filter`,
`filters` and `terms` aggregations (with `include`, a list or a pattern) over the query's matches; and the
`term` suggester. The backend's lookup of the terms its index holds (`stats: ["ocop-known-terms"]`)
is never answered from the queue: it is evaluated, or, with answers queued and no index (a canned
test), answered "nothing known". It has no BM25; text fields are analysed
like `vi_folded` (folded, split on non-word characters; each value of a list apart, as the
position gap keeps phrases apart), keyword fields compared as stored, and an unknown clause is
answered 400, as a cluster answers an unknown query. Faults on cue: `fail_with(503, times=…)`
answers the next requests with an error status, `rejected_ids` fails single bulk items,
`delay_seconds` holds every answer back, and `product_header = False` drops the
`X-Elastic-Product` header that the official client insists on.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from marketplace.core.text import fold

VERSION = "8.15.0"


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: Any  # parsed JSON, a list of parsed NDJSON lines for _bulk, or None

    @property
    def target(self) -> tuple[str, str]:
        return self.method, self.path


@dataclass
class StoredIndex:
    body: dict[str, Any]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def hit(product_id: int, score: float = 1.0) -> dict[str, Any]:
    return {"_index": "", "_id": str(product_id), "_score": score}


def terms_buckets(*pairs: tuple[str | int, int]) -> dict[str, Any]:
    """A terms aggregation answer from (key, doc_count) pairs."""
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": key, "doc_count": count} for key, count in pairs],
    }


def filtered_terms(*pairs: tuple[str | int, int]) -> dict[str, Any]:
    """A `filter` aggregation answer holding a terms aggregation named "values"."""
    return {"doc_count": sum(count for _, count in pairs), "values": terms_buckets(*pairs)}


def search_response(
    product_ids: list[int], *, total: int | None = None, aggregations: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A `_search` answer in Elasticsearch 8's shape."""
    response: dict[str, Any] = {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": len(product_ids) if total is None else total, "relation": "eq"},
            "max_score": 1.0 if product_ids else None,
            "hits": [
                hit(product_id, score=float(len(product_ids) - rank)) for rank, product_id in enumerate(product_ids)
            ],
        },
    }
    if aggregations is not None:
        response["aggregations"] = aggregations
    return response


def _error(status: int, error_type: str, reason: str) -> dict[str, Any]:
    cause = {"type": error_type, "reason": reason}
    return {"error": {"root_cause": [cause], **cause}, "status": status}


class ElasticsearchStandIn:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.indices: dict[str, StoredIndex] = {}
        self.search_answers: list[dict[str, Any]] = []
        self.product_header = True
        self.rejected_ids: dict[str, int] = {}  # bulk items for these ids fail with this status
        self.delay_seconds = 0.0  # to make the client time out
        self._failures: list[int] = []
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                stand_in._serve(self)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- What tests set and read ---

    def answer_search(self, response: dict[str, Any]) -> None:
        """Queue a canned answer for the next `_search`."""
        self.search_answers.append(response)

    def fail_with(self, status: int, *, times: int = 1) -> None:
        """Answer the next `times` requests with this status and an Elasticsearch error body."""
        self._failures.extend([status] * times)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.target == (method, path)]

    # --- Serving ---

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=handler.command,
            path=url.path,
            params={key: values[-1] for key, values in parse_qs(url.query).items()},
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=_parse_body(url.path, raw),
        )
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        with self._lock:
            self.requests.append(request)
            failure = self._failures.pop(0) if self._failures else None
            if failure is not None:
                status, body = failure, _error(failure, "unavailable_shards_exception", "the stand-in was told to fail")
            else:
                status, body = self._route(request)
        self._send(handler, status, body)

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any] | None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        handler.send_response(status)
        if self.product_header:
            handler.send_header("X-Elastic-Product", "Elasticsearch")
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                handler.wfile.write(payload)

    def _route(self, request: RecordedRequest) -> tuple[int, dict[str, Any] | None]:
        parts = [part for part in request.path.split("/") if part]
        method = request.method
        if not parts and method in ("GET", "HEAD"):
            return 200, self._cluster_info()
        if parts == ["_bulk"] and method in ("POST", "PUT"):
            return self._bulk(request.body, default_index=None)
        if len(parts) == 1 and not parts[0].startswith("_"):
            return self._index_admin(method, parts[0], request.body)
        if len(parts) == 2 and method in ("POST", "PUT") and parts[1] == "_bulk":
            return self._bulk(request.body, default_index=parts[0])
        if len(parts) == 2 and method in ("POST", "GET") and parts[1] == "_search":
            return self._search(parts[0], request.body or {})
        if len(parts) == 2 and method in ("POST", "GET") and parts[1] == "_refresh":
            if parts[0] not in self.indices:
                return 404, _error(404, "index_not_found_exception", f"no such index [{parts[0]}]")
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        return 400, _error(400, "illegal_argument_exception", f"the stand-in does not know {method} {request.path}")

    def _cluster_info(self) -> dict[str, Any]:
        return {
            "name": "es-standin",
            "cluster_name": "ocop-test",
            "cluster_uuid": "standin",
            "version": {"number": VERSION, "build_flavor": "default", "lucene_version": "9.11.1"},
            "tagline": "You Know, for Search",
        }

    def _index_admin(self, method: str, name: str, body: Any) -> tuple[int, dict[str, Any] | None]:
        exists = name in self.indices
        missing = 404, _error(404, "index_not_found_exception", f"no such index [{name}]")
        if method == "HEAD":
            return (200 if exists else 404), None
        if method == "PUT":
            if exists:
                return 400, _error(400, "resource_already_exists_exception", f"index [{name}] already exists")
            self.indices[name] = StoredIndex(body=body or {})
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        if method == "DELETE":
            if not exists:
                return missing
            del self.indices[name]
            return 200, {"acknowledged": True}
        if method == "GET":
            return (200, {name: self.indices[name].body}) if exists else missing
        return 405, _error(405, "method_not_allowed", method)

    def _bulk(self, lines: list[Any], *, default_index: str | None) -> tuple[int, dict[str, Any]]:
        items: list[dict[str, Any]] = []
        errors = False
        position = 0
        while position < len(lines):
            ((action, meta),) = lines[position].items()
            position += 1
            index_name = meta.get("_index", default_index)
            document_id = str(meta["_id"])
            stored = self.indices.setdefault(index_name, StoredIndex(body={}))
            result: dict[str, Any] = {"_index": index_name, "_id": document_id}
            if document_id in self.rejected_ids:
                position += 1 if action in ("index", "create") else 0
                status = self.rejected_ids[document_id]
                errors = True
                result.update(status=status, error={"type": "rejected_by_stand_in", "reason": f"status {status}"})
            elif action in ("index", "create"):
                source = lines[position]
                position += 1
                created = document_id not in stored.documents
                stored.documents[document_id] = source
                result.update(status=201 if created else 200, result="created" if created else "updated")
            elif action == "delete":
                found = stored.documents.pop(document_id, None) is not None
                result.update(status=200 if found else 404, result="deleted" if found else "not_found")
            else:
                errors = True
                result.update(status=400, error={"type": "illegal_argument_exception", "reason": action})
            items.append({action: result})
        return 200, {"took": 1, "errors": errors, "items": items}

    def _search(self, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        known_terms = KNOWN_TERMS_STATS in body.get("stats", [])
        if self.search_answers and not known_terms:
            return 200, self.search_answers.pop(0)
        if self.search_answers and name not in self.indices:  # a canned test's lookup: nothing is known
            return 200, search_response([], aggregations={"known": terms_buckets(), "started": {"doc_count": 0}})
        if name not in self.indices:
            return 404, _error(404, "index_not_found_exception", f"no such index [{name}]")
        documents = self.indices[name].documents
        try:
            matched = [
                (int(document_id), score)
                for document_id, source in documents.items()
                if (score := _score(body.get("query", {"match_all": {}}), source)) is not None
            ]
            scored = [
                (product_id, score)
                for product_id, score in matched
                if "post_filter" not in body or _score(body["post_filter"], documents[str(product_id)]) is not None
            ]
            aggregations = _aggregate(body.get("aggs", {}), [documents[str(pid)] for pid, _ in matched])
            suggestions = _suggest(body.get("suggest", {}), list(documents.values()))
        except UnknownClause as exc:
            return 400, _error(400, "parsing_exception", f"the stand-in does not evaluate [{exc}]")
        sort = body.get("sort") or [{"_score": {"order": "desc"}}]
        ranked = sorted(scored, key=functools.cmp_to_key(lambda a, b: _compare(sort, a, b, documents)), reverse=False)
        start = int(body.get("from", 0))
        page = ranked[start : start + int(body.get("size", 10))]
        response = search_response([product_id for product_id, _ in page], total=len(ranked))
        for hit_, (_, score) in zip(response["hits"]["hits"], page, strict=True):
            hit_["_score"] = score
        if aggregations:
            response["aggregations"] = aggregations
        if suggestions:
            response["suggest"] = suggestions
        return 200, response


# --- Evaluating a query over stored sources ---------------------------------------------------------

_WORD = re.compile(r"\w+")


class UnknownClause(Exception):
    """A query clause the stand-in does not evaluate (the cluster would; the test should know)."""


def _words(value: Any) -> list[str]:
    """A text field's terms as `vi_folded` makes them: folded, split on non-word characters."""
    values = value if isinstance(value, list) else [value]
    return [word for item in values if item is not None for word in _WORD.findall(fold(str(item)))]


def _source_value(source: dict[str, Any], field_name: str) -> Any:
    """A field's value; a sub-field ("commune.keyword") reads its parent's."""
    return source.get(field_name.split(".")[0])


def _values(value: Any) -> list[Any]:
    return [item for item in (value if isinstance(value, list) else [value]) if item is not None]


KNOWN_TERMS_STATS = "ocop-known-terms"


def _fuzzy_edits(word: str, fuzziness: Any = "AUTO") -> int:
    """`fuzziness: AUTO` (AUTO:3,6): exact up to 2 characters, one edit up to 5, two beyond; AUTO:low,high; or a
    number of edits."""
    if isinstance(fuzziness, int) or str(fuzziness).isdigit():
        return int(fuzziness)
    low, high = 3, 6
    if ":" in str(fuzziness):
        low, high = (int(part) for part in str(fuzziness).split(":")[1].split(","))
    return 0 if len(word) < low else 1 if len(word) < high else 2


def _edit_distance(a: str, b: str) -> int:
    """Damerau (optimal string alignment), as Lucene's fuzzy query with transpositions."""
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


def _multi_match(spec: dict[str, Any], source: dict[str, Any]) -> bool:
    kind = spec.get("type", "best_fields")
    if kind in ("phrase", "phrase_prefix"):
        return _phrase_match(spec, source, prefix=kind == "phrase_prefix")
    if spec.get("operator", "or") != "and" or kind not in ("best_fields", "bool_prefix"):
        raise UnknownClause(f"multi_match {spec}")
    terms = _words(spec["query"])
    if not terms:
        return False
    fuzziness = spec.get("fuzziness")
    prefix_last = kind == "bool_prefix"
    for field_name in spec["fields"]:
        held = _words(_source_value(source, field_name.split("^")[0]))

        def has(term: str, *, prefix: bool, held: list[str] = held) -> bool:
            if prefix:
                return any(word.startswith(term) for word in held)
            if fuzziness is not None:
                return any(_edit_distance(term, word) <= _fuzzy_edits(term, fuzziness) for word in held)
            return term in held

        if all(has(term, prefix=prefix_last and n == len(terms) - 1) for n, term in enumerate(terms)):
            return True
    return False


def _phrase_match(spec: dict[str, Any], source: dict[str, Any], *, prefix: bool) -> bool:
    """The query's words consecutive in one value of one of the fields (the last one a prefix for
    `phrase_prefix`)."""
    terms = _words(spec["query"])
    if not terms:
        return False
    for field_name in spec["fields"]:
        for value in _values(_source_value(source, field_name.split("^")[0])):
            held = _words(value)
            for start in range(len(held) - len(terms) + 1):
                window = held[start : start + len(terms)]
                if window[:-1] == terms[:-1] and (
                    window[-1].startswith(terms[-1]) if prefix else window[-1] == terms[-1]
                ):
                    return True
    return False


def _score(query: dict[str, Any], source: dict[str, Any]) -> float | None:
    """The score of `source` under `query`, or None when it does not match."""
    ((kind, spec),) = query.items()
    if kind == "match_all":
        return float(spec.get("boost", 1.0))
    if kind == "bool":
        return _bool_score(spec, source)
    if kind == "constant_score":
        return float(spec.get("boost", 1.0)) if _score(spec["filter"], source) is not None else None
    if kind == "dis_max":
        scores = sorted((s for q in spec["queries"] if (s := _score(q, source)) is not None), reverse=True)
        return scores[0] + float(spec.get("tie_breaker", 0.0)) * sum(scores[1:]) if scores else None
    if kind == "term":
        ((field_name, value),) = spec.items()
        expected = value["value"] if isinstance(value, dict) else value
        return 1.0 if expected in _values(_source_value(source, field_name)) else None
    if kind == "terms":
        ((field_name, expected),) = spec.items()
        return 1.0 if set(expected) & set(_values(_source_value(source, field_name))) else None
    if kind == "range":
        ((field_name, bounds),) = spec.items()
        held = _values(_source_value(source, field_name))
        checks = {"gte": lambda v, b: v >= b, "lte": lambda v, b: v <= b, "gt": lambda v, b: v > b}
        checks["lt"] = lambda v, b: v < b
        matched = any(all(checks[op](v, bound) for op, bound in bounds.items()) for v in held)
        return 1.0 if matched else None
    if kind == "multi_match":
        return 1.0 if _multi_match(spec, source) else None
    if kind == "prefix":
        ((field_name, value),) = spec.items()
        start = value["value"] if isinstance(value, dict) else value
        return 1.0 if any(str(v).startswith(start) for v in _values(_source_value(source, field_name))) else None
    raise UnknownClause(kind)


def _aggregate(aggs: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    """`filter` aggregations (with sub-aggregations), keyed `filters` aggregations and `terms` aggregations
    (`include`: a list or a pattern) over these sources, in Elasticsearch 8's shape."""
    answers: dict[str, Any] = {}
    for name, spec in aggs.items():
        if "filter" in spec:
            inside = [source for source in sources if _score(spec["filter"], source) is not None]
            answers[name] = {"doc_count": len(inside), **_aggregate(spec.get("aggs", {}), inside)}
        elif "filters" in spec:
            answers[name] = {
                "buckets": {
                    key: {"doc_count": sum(1 for source in sources if _score(query, source) is not None)}
                    for key, query in spec["filters"]["filters"].items()
                }
            }
        elif "terms" in spec:
            terms = spec["terms"]
            include = terms.get("include")
            counts: dict[Any, int] = {}
            for source in sources:
                for value in set(map(_hashable, _values(_source_value(source, terms["field"])))):
                    if include is None or (
                        value in include if isinstance(include, list) else re.fullmatch(include, str(value))
                    ):
                        counts[value] = counts.get(value, 0) + 1
            ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[: terms.get("size", 10)]
            answers[name] = terms_buckets(*ranked)
        else:
            raise UnknownClause(f"aggregation {spec}")
    return answers


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _suggest(suggest: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The `term` suggester: the field's values within `max_edits` of the text, closest and most frequent first."""
    answers: dict[str, Any] = {}
    for name, spec in suggest.items():
        term = spec["term"]
        text = fold(spec["text"])
        frequency: dict[str, int] = {}
        for source in sources:
            for value in set(map(str, _values(_source_value(source, term["field"])))):
                frequency[value] = frequency.get(value, 0) + 1
        options = [
            (distance, -count, value)
            for value, count in frequency.items()
            if value != text and (distance := _edit_distance(text, value)) <= term.get("max_edits", 2)
        ]
        answers[name] = [
            {
                "text": text,
                "offset": 0,
                "length": len(text),
                "options": [
                    {"text": value, "score": 1.0 / (1 + distance), "freq": -count}
                    for distance, count, value in sorted(options)[: term.get("size", 5)]
                ],
            }
        ]
    return answers


def _bool_score(spec: dict[str, Any], source: dict[str, Any]) -> float | None:
    must = [_score(q, source) for q in spec.get("must", [])]
    filters = [_score(q, source) for q in spec.get("filter", [])]
    if any(s is None for s in [*must, *filters]):
        return None
    if any(_score(q, source) is not None for q in spec.get("must_not", [])):
        return None
    should = [s for q in spec.get("should", []) if (s := _score(q, source)) is not None]
    needed = spec.get("minimum_should_match", 0 if spec.get("must") or spec.get("filter") else 1)
    if spec.get("should") and len(should) < int(needed):
        return None
    if not spec.get("must") and not spec.get("should"):
        return 0.0 if spec.get("filter") else 1.0  # only filters score nothing; an empty bool is match_all
    return sum(must) + sum(should)  # type: ignore[arg-type]


def _compare(sort: list[Any], a: tuple[int, float], b: tuple[int, float], documents: dict[str, dict[str, Any]]) -> int:
    """Elasticsearch's order of two scored hits under `sort` (missing values last, whatever the order)."""
    for clause in sort:
        ((field_name, spec),) = (clause if isinstance(clause, dict) else {clause: {}}).items()
        descending = spec.get("order", "desc" if field_name == "_score" else "asc") == "desc"
        if field_name == "_score":
            left, right = a[1], b[1]
        else:
            left_values = _values(_source_value(documents[str(a[0])], field_name))
            right_values = _values(_source_value(documents[str(b[0])], field_name))
            pick = max if descending else min
            left = pick(left_values) if left_values else None
            right = pick(right_values) if right_values else None
            if left is None or right is None:
                if left is None and right is None:
                    continue
                return 1 if left is None else -1  # `missing: _last`
        if left != right:
            return (-1 if left > right else 1) if descending else (-1 if left < right else 1)
    return 0


def _parse_body(path: str, raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8")
    if path.endswith("/_bulk"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)
