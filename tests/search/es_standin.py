"""An Elasticsearch 8 stand-in: a small HTTP server that answers like a cluster, at the network edge.

It understands what `search.backends.elasticsearch` sends: cluster info (`GET /`), index
create/exists/delete, `_bulk` (NDJSON), `_search` and `_refresh`. Every request is recorded
(method, path, query string, headers, parsed body) so tests can check what the backend sent.

Searches are answered from a queue of canned responses (`answer_search`); with none queued,
the stored documents come back in id order, `from`/`size` applied, with no aggregations: a
simple answer, not an evaluation of the query. Faults on cue: `fail_with(503, times=…)`
answers the next requests with an error status, `rejected_ids` fails single bulk items,
`delay_seconds` holds every answer back, and `product_header = False` drops the
`X-Elastic-Product` header that the official client insists on.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
        if self.search_answers:
            return 200, self.search_answers.pop(0)
        if name not in self.indices:
            return 404, _error(404, "index_not_found_exception", f"no such index [{name}]")
        ids = sorted(int(document_id) for document_id in self.indices[name].documents)
        start = int(body.get("from", 0))
        page = ids[start : start + int(body.get("size", 10))]
        return 200, search_response(page, total=len(ids))


def _parse_body(path: str, raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8")
    if path.endswith("/_bulk"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)
