"""JWTs an attacker might send: expired, unsigned (`alg: none`), signed with another key, from before a password
change, of a deactivated user, garbled. Every query and mutation that looks at the user refuses them cleanly
(status 200, a GraphQL error or the mutation's errors, never a 500 or a traceback) and acts as nobody."""

from __future__ import annotations

import base64
import json
import time

import jwt as pyjwt
import pytest
from django.conf import settings
from django.test import Client

from marketplace.accounts.models import Role, User
from marketplace.accounts.services import user_set_password
from storefront_api.account import jwt
from tests.factories import make_user

ISSUER = "http://testserver/graphql/"
REFUSED = {"ExpiredSignatureError", "InvalidTokenError"}

OPERATIONS = {
    "me": ("{ me { email firstName orders(first: 5) { edges { node { id } } } } }", "me"),
    "accountUpdate": (
        'mutation { accountUpdate(input: {firstName: "Hacked"}) { user { email } errors { field code } } }',
        "accountUpdate",
    ),
    "accountAddressCreate": (
        'mutation { accountAddressCreate(input: {firstName: "A", lastName: "B", streetAddress1: "1 Lê Lợi", '
        'city: "Trấn Biên", countryArea: "Đồng Nai", country: VN, phone: "0912345678"}) '
        "{ address { id } errors { field code } } }",
        "accountAddressCreate",
    ),
    "passwordChange": (
        'mutation { passwordChange(oldPassword: "x", newPassword: "Một-mật-khẩu-mới-2026") { errors { field code } } }',
        "passwordChange",
    ),
    "accountRequestDeletion": (
        'mutation { accountRequestDeletion(redirectUrl: "http://localhost/x/") { errors { field code } } }',
        "accountRequestDeletion",
    ),
}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _payload(user: User, **changes) -> dict:
    now = int(time.time())
    payload = {
        "iat": now,
        "exp": now + 300,
        "iss": ISSUER,
        "owner": "ocop",
        "token": user.jwt_token_key,
        "email": user.email,
        "type": "access",
        "user_id": base64.b64encode(f"User:{user.pk}".encode()).decode(),
        "is_staff": user.is_staff,
    }
    return {**payload, **changes}


def _tokens(user: User) -> dict[str, str]:
    """Each hostile token for `user` (built before the user is changed where the case needs it)."""
    secret = settings.JWT_SECRET or settings.SECRET_KEY
    now = int(time.time())
    return {
        "expired": pyjwt.encode(_payload(user, iat=now - 600, exp=now - 300), secret, algorithm="HS256"),
        "alg-none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_payload(user))}.",
        "alg-none-staff": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_payload(user, is_staff=True))}.",
        "another-key": pyjwt.encode(_payload(user), "another-key-entirely-of-thirty-two-bytes!", algorithm="HS256"),
        "hs512-same-key": pyjwt.encode(_payload(user), secret, algorithm="HS512"),
        "garbled": "eyJhbGciOiJIUzI1NiJ9.not-json.sig",
    }


def _send(query: str, token: str) -> tuple[int, dict]:
    response = Client(raise_request_exception=False).post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return response.status_code, response.json()


def _assert_refused(status: int, body: dict, field: str) -> None:
    assert status == 200, body
    data = (body.get("data") or {}).get(field)
    codes = {error.get("extensions", {}).get("exception", {}).get("code") for error in body.get("errors", [])}
    if field == "me":
        assert data is None and codes & REFUSED, body
        return
    # A mutation: refused by a GraphQL error (bad token) or by its own errors; never done.
    assert codes & REFUSED or (data and data.get("errors")), body
    assert "Internal Server Error" not in json.dumps(body)


@pytest.fixture
def shopper(db, channel) -> User:
    return make_user(Role.CONSUMER, email="lan@example.test", first_name="Lan")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("case", ["expired", "alg-none", "alg-none-staff", "another-key", "hs512-same-key", "garbled"])
def test_forged_or_stale_tokens_are_refused(shopper, operation, case):
    query, field = OPERATIONS[operation]
    status, body = _send(query, _tokens(shopper)[case])
    _assert_refused(status, body, field)
    shopper.refresh_from_db()
    assert shopper.first_name == "Lan" and not shopper.addresses.exists()


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_token_from_before_a_password_change_is_refused(shopper, operation):
    token = jwt.create_access_token(shopper, issuer=ISSUER)
    user_set_password(user=shopper, password="Một-mật-khẩu-mới-2026")
    query, field = OPERATIONS[operation]
    _assert_refused(*_send(query, token), field)
    shopper.refresh_from_db()
    assert shopper.first_name == "Lan" and not shopper.addresses.exists()


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_token_of_a_deactivated_user_is_refused(shopper, operation):
    token = jwt.create_access_token(shopper, issuer=ISSUER)
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    query, field = OPERATIONS[operation]
    _assert_refused(*_send(query, token), field)
    shopper.refresh_from_db()
    assert shopper.first_name == "Lan" and not shopper.addresses.exists()


def test_the_same_operations_work_with_a_good_token(shopper):
    """The control: the cases above fail because of their tokens, not because the operations are wrong."""
    token = jwt.create_access_token(shopper, issuer=ISSUER)
    status, body = _send(OPERATIONS["me"][0], token)
    assert status == 200 and body["data"]["me"]["email"] == "lan@example.test"
    # The hand-built payload of the hostile cases is a valid one when signed right.
    forged_right = pyjwt.encode(_payload(shopper), settings.JWT_SECRET or settings.SECRET_KEY, algorithm="HS256")
    assert _send(OPERATIONS["me"][0], forged_right)[1]["data"]["me"]["email"] == "lan@example.test"
    status, body = _send(OPERATIONS["accountUpdate"][0], token)
    assert body["data"]["accountUpdate"]["errors"] == []
    status, body = _send(OPERATIONS["accountAddressCreate"][0], token)
    assert body["data"]["accountAddressCreate"]["errors"] == [], body
