"""One id per request, in every log line it causes, here and in the Celery tasks it queues.

The id comes from the request's `X-Request-ID` header when that is a sane token (a proxy or a client may set
one to follow a request through several systems), else it is a new UUID. The response carries it back in
`X-Request-ID`. A task queued while it is set gets it in a message header (`request_id`); the worker sets it
again while the task runs, so the task's log lines carry the id of the request that queued it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# Letters, digits and a few separators, 8 to 128 of them: enough for UUIDs and the ids proxies make
# (nginx's $request_id, AWS's Root=1-...), never a place to smuggle a line break or markup into the logs.
_VALID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:=+/-]{7,127}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)
# The Celery task running in this context, if any: (name, id).
_task: ContextVar[tuple[str, str] | None] = ContextVar("celery_task", default=None)


def current_request_id() -> str | None:
    return _current.get()


def current_task() -> tuple[str, str] | None:
    return _task.get()


def valid_request_id(value: str | None) -> str | None:
    """`value` when it may be used as a request id as it is, else None."""
    if value and _VALID.match(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind(value: str | None) -> Token[str | None]:
    return _current.set(value)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE: the id is set before anything logs and echoed on every response, errors included.

    It stays bound until the response is closed (`request_finished`): Django logs a 4xx or 5xx response after the
    middlewares have returned it, and that line carries the id too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = valid_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = value  # type: ignore[attr-defined]
        bind(value)
        response = self.get_response(request)
        response[HEADER] = value
        return response


def _unbind_after_response(**_: Any) -> None:
    bind(None)


request_finished.connect(_unbind_after_response, dispatch_uid="ops.request_id.finished")


# Celery: the publisher adds the header, the worker binds it while the task runs.


def _add_request_id_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    value = current_request_id()
    if value and headers is not None:
        headers.setdefault(TASK_HEADER, value)


def _request_id_of(task: Any) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return valid_request_id(value if isinstance(value, str) else None)


_task_tokens: dict[str, tuple[Token[str | None], Token[tuple[str, str] | None]]] = {}


def _bind_task(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if not task_id:
        return
    # Run eagerly (tests, `task.apply()`) a task has no header, and the caller's id, already bound in this
    # thread, stays. In a worker nothing is bound between tasks: a task queued outside a request logs none.
    value = _request_id_of(task) or current_request_id()
    _task_tokens[task_id] = (bind(value), _task.set((getattr(task, "name", "") or "", task_id)))


def _unbind_task(task_id: str | None = None, **_: Any) -> None:
    tokens = _task_tokens.pop(task_id or "", None)
    if tokens is None:
        return
    try:
        _task.reset(tokens[1])
        unbind(tokens[0])
    except ValueError:  # bound in another context (a thread pool): clear what this context holds
        _task.set(None)
        bind(None)


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_add_request_id_header, dispatch_uid="ops.request_id.publish")
    signals.task_prerun.connect(_bind_task, dispatch_uid="ops.request_id.prerun")
    signals.task_postrun.connect(_unbind_task, dispatch_uid="ops.request_id.postrun")
