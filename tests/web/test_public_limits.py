"""Brute force on the pages: the consoles' sign-in, looking up certificate numbers, misuse reports; each limited
per client address (and sign-in per account) with the shared counters, each refusal said in Vietnamese or English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from marketplace.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, make_certification, make_user


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _login(client: Client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Too many failed sign-in attempts. Wait 15 minutes and try again."),
        ("vi", "Đăng nhập sai quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."),
    ],
)
def test_sign_in_locks_after_the_limit_with_a_clear_message(db, language, message):
    user = make_user(Role.OUTLET_STAFF)
    client = _client(language)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert _login(client, user.username, "wrong", REMOTE_ADDR="198.51.100.60").status_code == 200
    refused = _login(client, user.username, DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.60")
    assert refused.status_code == 200 and message in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_behind_a_trusted_proxy_counts_the_client_not_the_proxy(db, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.0/24"]
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        _login(Client(), f"nobody{n}", "wrong", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    user = make_user(Role.TRADE_STAFF)
    refused = _login(
        _client("en"), user.username, DEFAULT_PASSWORD, REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert "Too many failed sign-in attempts" in refused.content.decode()
    other = _login(
        Client(), user.username, DEFAULT_PASSWORD, REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert other.status_code == 302


def test_looking_up_made_up_certificate_numbers_is_limited(db, settings):
    settings.OCOP_VERIFY_MAX_MISSES = 3
    real = make_certification(certificate_id="DN-2025-0101")
    client = _client("en")
    for _ in range(10):  # numbers that exist never count
        assert client.get(f"/verify/{real.certificate_id}/", REMOTE_ADDR="198.51.100.70").status_code == 200
    for n in range(3):
        assert client.get(f"/verify/DN-2025-9{n:03}/", REMOTE_ADDR="198.51.100.70").status_code == 200
    refused = client.get("/verify/DN-2025-9999/", REMOTE_ADDR="198.51.100.70")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many certificate numbers that do not exist" in refused.content.decode()
    assert client.get(f"/verify/{real.certificate_id}/", REMOTE_ADDR="198.51.100.70").status_code == 429
    assert client.get(f"/verify/{real.certificate_id}/", REMOTE_ADDR="198.51.100.71").status_code == 200
    vi = _client("vi").get("/verify/DN-2025-9999/", REMOTE_ADDR="198.51.100.70")
    assert vi.status_code == 429 and "quá nhiều lần tra cứu số chứng nhận không tồn tại" in vi.content.decode()


def test_misuse_reports_from_one_address_are_limited(db, settings):
    settings.OCOP_MISUSE_REPORTS_PER_WINDOW = 2
    client = _client("vi")
    data = {"place": "Chợ Biên Hòa", "description": "Nhãn OCOP giả."}
    for _ in range(2):
        assert client.post("/verify/FAKE-1/", data, REMOTE_ADDR="198.51.100.80").status_code == 302
    refused = client.post("/verify/FAKE-1/", data, REMOTE_ADDR="198.51.100.80")
    assert refused.status_code == 429 and "Có quá nhiều báo cáo từ kết nối của bạn" in refused.content.decode()
