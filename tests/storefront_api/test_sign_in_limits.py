"""Brute force through the API: tokenCreate and requestPasswordReset are limited per account and per client
address, the address being the one a trusted proxy reports; refusals are Saleor's LOGIN_ATTEMPT_DELAYED."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from marketplace.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, make_user

TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code message } }
}
"""
RESET = """
mutation ($email: String!) {
  requestPasswordReset(email: $email, redirectUrl: "http://localhost/accounts/reset/") { errors { field code message } }
}
"""


def _api(query: str, variables: dict, *, address: str = "198.51.100.10", forwarded: str | None = None) -> dict:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )
    assert response.status_code == 200, response.content
    return response.json()


def _sign_in(email: str, password: str, **kwargs) -> dict:
    return _api(TOKEN_CREATE, {"email": email, "password": password}, **kwargs)["data"]["tokenCreate"]


def _codes(result: dict) -> list[str]:
    return [error["code"] for error in result["errors"]]


@pytest.fixture
def shopper(db, channel):
    return make_user(Role.CONSUMER, email="lan@example.test")


def test_thirty_wrong_passwords_then_the_right_one_is_refused(shopper, settings):
    codes = [_codes(_sign_in("lan@example.test", f"wrong-{n}")) for n in range(30)]
    assert codes[: settings.LOGIN_MAX_FAILURES] == [["INVALID_CREDENTIALS"]] * settings.LOGIN_MAX_FAILURES
    assert set(map(tuple, codes[settings.LOGIN_MAX_FAILURES :])) == {("LOGIN_ATTEMPT_DELAYED",)}
    result = _sign_in("lan@example.test", DEFAULT_PASSWORD)
    assert result["token"] is None
    assert result["errors"][0]["field"] is None and result["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert "Too many failed sign-in attempts" in result["errors"][0]["message"]
    # From another address too: the account itself is locked.
    assert _codes(_sign_in("lan@example.test", DEFAULT_PASSWORD, address="198.51.100.99")) == ["LOGIN_ATTEMPT_DELAYED"]


def test_a_success_forgets_the_accounts_failures(shopper, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _sign_in("lan@example.test", "wrong")
    assert _sign_in("lan@example.test", DEFAULT_PASSWORD)["token"]
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert _codes(_sign_in("lan@example.test", "wrong")) == ["INVALID_CREDENTIALS"]
    assert _sign_in("lan@example.test", DEFAULT_PASSWORD)["token"]


def test_the_page_and_the_api_share_the_accounts_tries(shopper, settings):
    settings.LOGIN_MAX_FAILURES = 4
    page = Client()
    for _ in range(2):
        page.post("/accounts/login/", {"username": shopper.username, "password": "wrong"}, REMOTE_ADDR="198.51.100.20")
    for _ in range(2):
        assert _codes(_sign_in("lan@example.test", "wrong")) == ["INVALID_CREDENTIALS"]
    assert _codes(_sign_in("lan@example.test", DEFAULT_PASSWORD)) == ["LOGIN_ATTEMPT_DELAYED"]


def test_one_address_trying_many_accounts_is_stopped(db, channel, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    victim = make_user(Role.CONSUMER, email="victim@example.test")
    for n in range(6):
        assert _codes(_sign_in(f"guess-{n}@example.test", "123456")) == ["INVALID_CREDENTIALS"]
    assert _codes(_sign_in(victim.email, DEFAULT_PASSWORD)) == ["LOGIN_ATTEMPT_DELAYED"]
    assert _sign_in(victim.email, DEFAULT_PASSWORD, address="198.51.100.11")["token"]


def test_an_unconfirmed_account_with_the_right_password_is_no_guess(db, channel, settings):
    settings.LOGIN_MAX_FAILURES = 2
    make_user(Role.CONSUMER, email="new@example.test", is_confirmed=False)
    for _ in range(5):
        assert _codes(_sign_in("new@example.test", DEFAULT_PASSWORD)) == ["ACCOUNT_NOT_CONFIRMED"]


# --- Behind a proxy --------------------------------------------------------------------------------------------


def test_behind_a_trusted_proxy_each_client_has_its_own_count(db, channel, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    user = make_user(Role.CONSUMER, email="an@example.test")
    proxy = {"address": "10.9.0.1"}
    for n in range(3):
        _sign_in(f"x{n}@example.test", "wrong", forwarded="203.0.113.5", **proxy)
    assert _codes(_sign_in(user.email, DEFAULT_PASSWORD, forwarded="203.0.113.5", **proxy)) == ["LOGIN_ATTEMPT_DELAYED"]
    # The proxy's other clients are not locked out with the one that guessed...
    assert _sign_in(user.email, DEFAULT_PASSWORD, forwarded="203.0.113.6", **proxy)["token"]
    # ...and a client cannot escape its count by writing its own header in front of the proxy's.
    assert _codes(_sign_in(user.email, DEFAULT_PASSWORD, forwarded="192.0.2.1, 203.0.113.5", **proxy)) == [
        "LOGIN_ATTEMPT_DELAYED"
    ]


def test_a_spoofed_header_from_an_untrusted_address_changes_nothing(db, channel, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    user = make_user(Role.CONSUMER, email="an@example.test")
    for n in range(3):
        _sign_in(f"x{n}@example.test", "wrong", address="198.51.100.30", forwarded=f"203.0.113.{n}")
    assert _codes(_sign_in(user.email, DEFAULT_PASSWORD, address="198.51.100.30", forwarded="203.0.113.77")) == [
        "LOGIN_ATTEMPT_DELAYED"
    ]


# --- requestPasswordReset ----------------------------------------------------------------------------------------


def test_password_reset_requests_are_limited_per_address(db, channel, settings):
    settings.PASSWORD_RESET_MAX_REQUESTS = 3
    settings.RESET_PASSWORD_LOCK_SECONDS = 0
    make_user(Role.CONSUMER, email="lan@example.test")
    for n in range(3):
        assert _api(RESET, {"email": f"person{n}@example.test"})["data"]["requestPasswordReset"]["errors"] == []
    refused = _api(RESET, {"email": "lan@example.test"})["data"]["requestPasswordReset"]["errors"]
    assert [(e["field"], e["code"]) for e in refused] == [("email", "LOGIN_ATTEMPT_DELAYED")]
    assert not mail.outbox
    assert (
        _api(RESET, {"email": "lan@example.test"}, address="198.51.100.12")["data"]["requestPasswordReset"]["errors"]
        == []
    )


def test_password_reset_requests_are_limited_per_email_address(db, channel, settings):
    settings.PASSWORD_RESET_MAX_REQUESTS = 2
    for n in range(2):
        _api(RESET, {"email": "Lan@Example.test"}, address=f"198.51.100.{40 + n}")
    refused = _api(RESET, {"email": "lan@example.test"}, address="198.51.100.50")["data"]["requestPasswordReset"]
    assert _codes(refused) == ["LOGIN_ATTEMPT_DELAYED"]


# --- Redis away --------------------------------------------------------------------------------------------------


def test_without_redis_signing_in_still_works(shopper, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    assert _sign_in("lan@example.test", DEFAULT_PASSWORD)["token"]
    assert "throttling unavailable for sign-in" in caplog.text
