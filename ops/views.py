"""`/health/ready/` and `/metrics`. `/health/` (liveness: the process answers) stays in config/urls.py."""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.metrics import metrics_view
from ops.readiness import readiness

__all__ = ["metrics_view", "ready"]

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, else 503; the body names each check with what it found.

    {"status": "ok" | "unavailable", "checks": {"database": {"ok": true, "detail": "...", "ms": 1.2}, ...}}
    """
    results = readiness()
    healthy = all(result.ok for result in results)
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {result.name: result.as_dict() for result in results},
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    if not healthy:
        # One warning naming what failed, instead of Django's "Service Unavailable" error for every probe.
        failing = ", ".join(f"{result.name} ({result.detail})" for result in results if not result.ok)
        logger.warning("not ready: %s", failing)
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response
