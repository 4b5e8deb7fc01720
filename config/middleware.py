"""While PostgreSQL is away (a restart, a failover, a full connection table), requests get a clean 503.

A view, a page's template or a storefront API operation that meets `OperationalError` or `InterfaceError`
answers 503 with `Retry-After`, never a traceback or Django's bare 500:

- pages: a small bilingual page (Vietnamese and English) rendered without the database: no menus, no user,
  no context processors, since all of them would query the database again;
- `/graphql/`: `{"errors": [{"message": …, "extensions": {"exception": {"code": "DATABASE_UNAVAILABLE"}}}]}`.
  The storefront API's view re-raises such an error from a resolver (storefront_api/core/views.py), since
  graphql-core would otherwise put it in the answer's `errors` with status 200.

Nothing is half-written: every write of an order, a payment or stock runs in `transaction.atomic`, which
rolls back when the error is raised inside it. Connections are persistent (`CONN_MAX_AGE`) with
`CONN_HEALTH_CHECKS`, so the first request after PostgreSQL is back replaces the stale connection instead of
failing on it.

`server_error` (config.urls' `handler500`) answers the same 503 when the error was raised outside a view
(e.g. by a middleware saving the session); any other error keeps Django's 500 page.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
CODE = "DATABASE_UNAVAILABLE"
MESSAGE = "The shop's database is unavailable for a moment. Please try again in a few seconds."
MESSAGE_VI = "Cơ sở dữ liệu của cửa hàng tạm thời không phản hồi. Vui lòng thử lại sau vài giây."
API_PREFIX = "/graphql/"


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503: JSON errors for the storefront API, the bilingual page for everything else."""
    if request.path.startswith(API_PREFIX):
        body = {"errors": [{"message": MESSAGE, "extensions": {"exception": {"code": CODE}, "messageVi": MESSAGE_VI}}]}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), status=503, content_type="application/json")
    else:
        response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage met by a view into a 503 (see the module's docstring). Last in MIDDLEWARE, so
    its `process_exception` is asked first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning("Database unavailable: %s %s answered 503 (%s)", request.method, request.path, exception)
        return database_unavailable_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 when the uncaught error is the database's, else Django's own 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response(request)
    return django_server_error(request, template_name=template_name)
