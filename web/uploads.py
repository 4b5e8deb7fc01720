"""Uploads are refused by their size before they are read.

The only files the pages take are a producer's photos (`web.portal`), of at most `OCOP_IMAGE_MAX_BYTES`. A
multipart request whose `Content-Length` says more than that (plus room for the form's other fields) is
answered 413 with a page that says so, before anything reads the body: this middleware runs before the CSRF
check, the first reader of a form. Django reads no more than `Content-Length` of a body (and nothing without
one), so the header is the size that counts. Other bodies are bounded by Django's
`DATA_UPLOAD_MAX_MEMORY_SIZE`; `/graphql/` answers its own 413 (storefront_api/core/views.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# The form's other fields (the photo's description, the CSRF token) and the multipart boundaries.
FORM_OVERHEAD_BYTES = 64 * 1024


def upload_limit_bytes() -> int:
    return settings.OCOP_IMAGE_MAX_BYTES + FORM_OVERHEAD_BYTES


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info != reverse("graphql")  # the API answers its own 413, in JSON
            and request.method in {"POST", "PUT", "PATCH"}
            and request.content_type == "multipart/form-data"
            and _declared_length(request) > upload_limit_bytes()
        ):
            return upload_too_large(request)
        return self.get_response(request)


def upload_too_large(request: HttpRequest) -> HttpResponse:
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    message = _("This file is %(size)s MB; a photo may be at most %(max)s MB.") % {
        "size": f"{_declared_length(request) / (1024 * 1024):.1f}",
        "max": settings.OCOP_IMAGE_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "web/upload_too_large.html", {"message": message, "back": back}, status=413)
