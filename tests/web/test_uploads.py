"""Uploads over their limit are refused by their Content-Length before anything reads them, with a clear page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from marketplace.accounts.models import Role
from marketplace.catalogue.models import ProductMedia
from tests.factories import make_product, make_user
from web.uploads import UploadSizeLimitMiddleware


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def test_the_size_is_judged_before_the_body_is_read(db, settings):
    settings.OCOP_IMAGE_MAX_BYTES = 1024 * 1024
    request = RequestFactory().post("/portal/products/1/photos/", {"alt": "x"})
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()  # type: ignore[attr-defined]
    request.user = make_user(Role.PRODUCER_STAFF)
    request.session = {}  # type: ignore[assignment]

    def view(request):
        request.POST  # noqa: B018  (a view reads the form)
        raise AssertionError("the view was reached")

    response = UploadSizeLimitMiddleware(view)(request)
    assert response.status_code == 413
    assert "50.0 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This file is 3.0 MB; a photo may be at most 1 MB."),
        ("vi", "Nothing was saved."),
    ],
)
def test_an_oversized_photo_gets_413_and_a_clear_page_even_before_the_csrf_check(db, settings, language, message):
    settings.OCOP_IMAGE_MAX_BYTES = 1024 * 1024
    user = make_user(Role.PRODUCER_STAFF)
    product = make_product(producer=user.producer)
    client = Client(enforce_csrf_checks=True)  # the form is refused for its size, not for a missing CSRF token
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    upload = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024), content_type="image/png")
    response = client.post(
        f"/portal/products/{product.pk}/photos/",
        {"photo": upload},
        HTTP_REFERER=f"http://testserver/portal/products/{product.pk}/",
    )
    assert response.status_code == 413
    body = response.content.decode()
    if language == "en":
        assert message in body and f'href="http://testserver/portal/products/{product.pk}/"' in body
    else:
        assert "Tệp quá lớn" in body and "Không có gì được lưu." in body
    assert not ProductMedia.objects.exists()


def test_a_body_without_files_is_bounded_by_djangos_limit(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client(raise_request_exception=False).post("/accounts/login/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 400
