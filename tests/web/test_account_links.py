"""Our own pages behind the account e-mails' links: confirming an address and choosing a new password.

Opening a link changes nothing (mail scanners open links too); the POST does it, with the same refusals as the
storefront API."""

import pytest
from django.test import Client

from marketplace.accounts.tokens import account_confirmation_tokens, password_reset_tokens
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Một-mật-khẩu-mới-2025"


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies["ocop_language"] = "vi"
    return client


def test_confirming_an_address_takes_a_click(client):
    user = make_user(email="lan@example.test", is_confirmed=False)
    link = {"email": user.email, "token": account_confirmation_tokens.make_token(user)}
    page = client.get("/accounts/confirm/", link)
    assert page.status_code == 200
    assert "Xác nhận lan@example.test là địa chỉ e-mail của bạn." in page.content.decode()
    user.refresh_from_db()
    assert not user.is_confirmed
    done = client.post("/accounts/confirm/", link)
    assert "địa chỉ e-mail đã được xác nhận" in done.content.decode()
    user.refresh_from_db()
    assert user.is_confirmed
    again = client.post("/accounts/confirm/", link)
    assert "Liên kết này không dùng được" in again.content.decode()


@pytest.mark.parametrize("query", [{}, {"email": "lan@example.test"}, {"email": "lan@example.test", "token": "x-y"}])
def test_a_broken_confirmation_link_says_so(client, query):
    make_user(email="lan@example.test", is_confirmed=False)
    response = client.post("/accounts/confirm/", query) if "token" in query else client.get("/accounts/confirm/", query)
    assert "Liên kết này không dùng được" in response.content.decode()


def test_choosing_a_new_password_in_english(client):
    client.cookies["ocop_language"] = "en"
    user = make_user(email="emma@example.test")
    link = {"email": user.email, "token": password_reset_tokens.make_token(user)}
    page = client.get("/accounts/reset/", link)
    assert 'type="password"' in page.content.decode() and "Choose a new password" in page.content.decode()
    differ = client.post("/accounts/reset/", {**link, "password": NEW_PASSWORD, "password_again": "other"})
    assert "The two passwords differ." in differ.content.decode()
    weak = client.post("/accounts/reset/", {**link, "password": "12345678", "password_again": "12345678"})
    assert "This password is too common." in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    done = client.post("/accounts/reset/", {**link, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert "Your new password is set." in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    used = client.post(
        "/accounts/reset/", {**link, "password": "Lại-mới-nữa-2026", "password_again": "Lại-mới-nữa-2026"}
    )
    assert "it was used already" in used.content.decode()


def test_a_broken_reset_link_asks_for_a_new_one(client):
    response = client.get("/accounts/reset/", {"email": "nobody@example.test"})
    assert "Hãy yêu cầu liên kết mới trong cửa hàng." in response.content.decode()
    assert 'type="password"' not in response.content.decode()
