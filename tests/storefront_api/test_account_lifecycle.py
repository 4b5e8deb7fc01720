"""An account's life through /graphql/, as Saleor's storefront drives it: registering and confirming the e-mail
address, resetting and changing the password, updating the profile, and deleting the account.

Every request runs its on-commit callbacks (the e-mail tasks are queued on commit and run eagerly here), so
`mailoutbox` holds what the user would receive. Links are read from the e-mails, as the user would follow them.
"""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from marketplace.accounts.models import Address, Role, User
from marketplace.accounts.services import address_create
from marketplace.accounts.tokens import account_confirmation_tokens, account_deletion_tokens, password_reset_tokens
from marketplace.channel.models import Channel
from marketplace.orders.models import Order
from storefront_api.account import jwt
from storefront_api.core.ids import global_id
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.order_factories import make_order

ISSUER = "http://testserver/graphql/"
STOREFRONT = "http://localhost:3000"
NEW_PASSWORD = "Một-mật-khẩu-mới-2025"

REGISTER = """
mutation ($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { id email firstName lastName isConfirmed }
    errors { field code message }
  }
}
"""
CONFIRM = """
mutation ($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) {
    user { id email isConfirmed isActive }
    errors { field code message }
  }
}
"""
TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { field code message } }
}
"""
REQUEST_RESET = """
mutation ($email: String!, $channel: String, $redirectUrl: String!) {
  requestPasswordReset(email: $email, channel: $channel, redirectUrl: $redirectUrl) {
    errors { field code message }
  }
}
"""
SET_PASSWORD = """
mutation ($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    token refreshToken csrfToken
    user { email isConfirmed }
    errors { field code message }
  }
}
"""
PASSWORD_CHANGE = """
mutation ($newPassword: String!, $oldPassword: String) {
  passwordChange(newPassword: $newPassword, oldPassword: $oldPassword) {
    user { email }
    errors { field code message }
  }
}
"""
ACCOUNT_UPDATE = """
mutation ($input: AccountInput!, $customerId: ID) {
  accountUpdate(input: $input, customerId: $customerId) {
    user {
      firstName lastName languageCode
      metadata { key value }
      metafield(key: "favourite")
      metafields(keys: ["favourite"])
      defaultShippingAddress { city countryArea streetAddress1 }
      defaultBillingAddress { city countryArea streetAddress1 }
      addresses { id }
    }
    errors { field code message addressType }
  }
}
"""
REQUEST_DELETION = """
mutation ($redirectUrl: String!, $channel: String) {
  accountRequestDeletion(redirectUrl: $redirectUrl, channel: $channel) { errors { field code message } }
}
"""
DELETE = """
mutation ($token: String!) {
  accountDelete(token: $token) { user { id email } errors { field code message } }
}
"""
# The storefront's own documents (src/graphql/UserDetailsFragment.graphql, CurrentUser.graphql), written out here.
CURRENT_USER = """
query CurrentUser { me { ...UserDetails } }
fragment UserDetails on User { id email firstName lastName avatar { url alt } }
"""
ADDRESS = {
    "firstName": "Lan",
    "lastName": "Nguyễn",
    "streetAddress1": "12 Đường Võ Thị Sáu",
    "city": "Trấn Biên",
    "countryArea": "Đồng Nai",
    "country": "VN",
    "phone": "0912 345 678",
}


@pytest.fixture
def api(db, channel, django_capture_on_commit_callbacks):
    """POST to /graphql/ (with `token` as a bearer token, `language` as Accept-Language); the decoded JSON.
    The request's on-commit callbacks run, so its e-mails are sent."""
    client = Client()

    def send(query: str, variables: dict | None = None, *, token: str | None = None, language: str = "") -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if language:
            headers["HTTP_ACCEPT_LANGUAGE"] = language
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/graphql/",
                json.dumps({"query": query, "variables": variables or {}}),
                content_type="application/json",
                **headers,
            )
        assert response.status_code == 200, response.content
        return response.json()

    return send


@pytest.fixture
def shopper(db) -> User:
    return make_user(email="lan@example.test", first_name="Lan", last_name="Nguyễn")


def token_for(user: User) -> str:
    return jwt.create_access_token(user, issuer=ISSUER)


def link_in(message) -> tuple[str, dict[str, str]]:
    """The one link of an account e-mail (the same in its text and HTML parts): its base and its parameters."""
    [link] = set(re.findall(r"https?://\S+", message.body))
    html = message.alternatives[0][0]
    assert link.replace("&", "&amp;") in html
    parts = urlsplit(link)
    params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return f"{parts.scheme}://{parts.netloc}{parts.path}", params


def codes(errors: list[dict]) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in errors]


def error_code(response: dict) -> str:
    return response["errors"][0]["extensions"]["exception"]["code"]


def expired(generator, user: User) -> str:
    """A token of `generator` for `user`, made one second longer ago than the generator accepts."""
    then = generator._num_seconds(generator._now()) - generator.timeout_seconds - 1
    return generator._make_token_with_timestamp(user, then, generator.secret)


# --- accountRegister, confirmAccount, tokenCreate -------------------------------------------------------


def register(api, email="lan@example.test", *, language: str = "", **given) -> dict:
    variables = {
        "email": email,
        "password": "Mật-khẩu-dài-2025",
        "firstName": "Lan",
        "lastName": "Nguyễn",
        "redirectUrl": f"{STOREFRONT}/default-channel/confirm-email?from=register",
        "channel": "default-channel",
        **given,
    }
    return api(REGISTER, {"input": variables}, language=language)["data"]["accountRegister"]


def test_register_needs_the_address_confirmed_before_signing_in(api, mailoutbox):
    result = register(api, languageCode="VI")
    assert result == {
        "requiresConfirmation": True,
        "user": {"id": "", "email": "lan@example.test", "firstName": "Lan", "lastName": "Nguyễn", "isConfirmed": False},
        "errors": [],
    }
    user = User.objects.get(email="lan@example.test")
    assert (user.role, user.is_active, user.is_confirmed) == (Role.CONSUMER, True, False)

    refused = api(TOKEN_CREATE, {"email": "lan@example.test", "password": "Mật-khẩu-dài-2025"})["data"]
    assert refused["tokenCreate"]["token"] is None
    assert refused["tokenCreate"]["errors"] == [
        {"field": "email", "code": "ACCOUNT_NOT_CONFIRMED", "message": "Account needs to be confirmed via email."}
    ]

    [message] = mailoutbox
    assert message.to == ["lan@example.test"]
    assert message.subject == "OCOP Đồng Nai: xác nhận địa chỉ e-mail của bạn"
    base, params = link_in(message)
    assert base == f"{STOREFRONT}/default-channel/confirm-email"
    assert params["from"] == "register" and params["email"] == "lan@example.test"

    confirmed = api(CONFIRM, {"email": "lan@example.test", "token": params["token"]})["data"]["confirmAccount"]
    assert confirmed == {
        "user": {"id": global_id("User", user.pk), "email": "lan@example.test", "isConfirmed": True, "isActive": True},
        "errors": [],
    }
    signed_in = api(TOKEN_CREATE, {"email": "lan@example.test", "password": "Mật-khẩu-dài-2025"})["data"]
    assert signed_in["tokenCreate"]["errors"] == [] and signed_in["tokenCreate"]["token"]

    again = api(CONFIRM, {"email": "lan@example.test", "token": params["token"]})["data"]["confirmAccount"]
    assert again["errors"] == [{"field": "token", "code": "INVALID", "message": "Invalid or expired token."}]


def test_the_confirmation_is_in_english_for_english_speakers(api, mailoutbox):
    register(api, email="emma@example.test", languageCode="EN_US")
    register(api, email="tom@example.test", language="en-GB,en;q=0.8")  # no languageCode: the request's language
    register(api, email="minh@example.test")
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        ("emma@example.test", "OCOP Đồng Nai: confirm your e-mail address"),
        ("tom@example.test", "OCOP Đồng Nai: confirm your e-mail address"),
        ("minh@example.test", "OCOP Đồng Nai: xác nhận địa chỉ e-mail của bạn"),
    ]
    assert "Thank you for creating an account" in mailoutbox[0].body
    assert '<html lang="en">' in mailoutbox[0].alternatives[0][0]
    assert User.objects.get(email="tom@example.test").language_code == "en"


def test_register_answers_a_taken_email_as_a_free_one_and_changes_nothing(api, shopper, mailoutbox):
    """No account enumeration: the same answer, nothing saved, nothing sent (Saleor does the same)."""
    taken = register(api, email="LAN@example.test", password="Khác-hẳn-mật-khẩu-2025")
    free = register(api, email="someone.else@example.test")
    assert taken == {**free, "user": {**free["user"], "email": "lan@example.test"}}
    assert User.objects.filter(email__iexact="lan@example.test").count() == 1
    assert User.objects.get(email="lan@example.test").check_password(DEFAULT_PASSWORD)
    assert [message.to for message in mailoutbox] == [["someone.else@example.test"]]


def test_register_refuses_links_it_may_not_send_and_unknown_channels(api, mailoutbox):
    assert codes(register(api, redirectUrl=None)["errors"]) == [("redirectUrl", "REQUIRED")]
    for url in ("https://evil.example/confirm", "javascript:alert(1)", "not a url", "ftp://localhost/x"):
        assert codes(register(api, redirectUrl=url)["errors"]) == [("redirectUrl", "INVALID")], url
    assert register(api, redirectUrl="https://evil.example/")["errors"][0]["message"] == (
        "evil.example is not allowed. Please check `ALLOWED_CLIENT_HOSTS` configuration."
    )
    assert codes(register(api, channel="no-such-channel")["errors"]) == [("channel", "NOT_FOUND")]
    Channel.objects.create(slug="closed", name="Closed", currency_code="VND", default_country="VN", is_active=False)
    assert codes(register(api, channel="closed")["errors"]) == [("channel", "CHANNEL_INACTIVE")]
    assert not User.objects.exists() and mailoutbox == []


def test_allowed_client_hosts_take_ports_and_subdomain_patterns(api, settings, mailoutbox):
    settings.ALLOWED_CLIENT_HOSTS = [".ocop-dongnai.vn"]
    assert register(api, email="a@example.test", redirectUrl="https://shop.ocop-dongnai.vn:8443/c")["errors"] == []
    assert codes(register(api, email="b@example.test", redirectUrl=f"{STOREFRONT}/c")["errors"]) == [
        ("redirectUrl", "INVALID")
    ]


def test_register_without_confirmation_needs_no_link(api, settings, mailoutbox):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    result = register(api, redirectUrl=None, channel=None)
    assert (result["requiresConfirmation"], result["errors"]) == (False, [])
    assert User.objects.get(email="lan@example.test").is_confirmed
    assert mailoutbox == []


def test_confirm_account_refusals_are_alike(api, mailoutbox):
    register(api)
    user = User.objects.get(email="lan@example.test")
    good = link_in(mailoutbox[0])[1]["token"]
    attempts = {
        "wrong token": ("lan@example.test", good[:-2] + "zz"),
        "garbled token": ("lan@example.test", "nonsense"),
        "unknown e-mail": ("nobody@example.test", good),
        "expired token": ("lan@example.test", expired(account_confirmation_tokens, user)),
        "token of another purpose": ("lan@example.test", password_reset_tokens.make_token(user)),
    }
    for name, (email, token) in attempts.items():
        result = api(CONFIRM, {"email": email, "token": token})["data"]["confirmAccount"]
        assert result == {
            "user": None,
            "errors": [{"field": "token", "code": "INVALID", "message": "Invalid or expired token."}],
        }, name
    user.refresh_from_db()
    assert not user.is_confirmed


def test_an_inactive_account_is_not_confirmed(api, mailoutbox):
    register(api)
    User.objects.filter(email="lan@example.test").update(is_active=False)
    token = link_in(mailoutbox[0])[1]["token"]
    assert codes(api(CONFIRM, {"email": "lan@example.test", "token": token})["data"]["confirmAccount"]["errors"]) == [
        ("token", "INVALID")
    ]


# --- requestPasswordReset, setPassword ----------------------------------------------------------------


def request_reset(api, email="lan@example.test", **given) -> dict:
    variables = {"email": email, "channel": "default-channel", "redirectUrl": f"{STOREFRONT}/reset", **given}
    return api(REQUEST_RESET, variables)["data"]["requestPasswordReset"]


def test_password_reset_by_e_mail_signs_in_with_the_new_password(api, shopper, mailoutbox):
    old_token = token_for(shopper)
    assert request_reset(api, email=" LAN@example.test ") == {"errors": []}
    [message] = mailoutbox
    assert (message.to, message.subject) == (["lan@example.test"], "OCOP Đồng Nai: đặt lại mật khẩu")
    base, params = link_in(message)
    assert base == f"{STOREFRONT}/reset" and params["email"] == "lan@example.test"

    result = api(SET_PASSWORD, {"email": "lan@example.test", "token": params["token"], "password": NEW_PASSWORD})
    payload = result["data"]["setPassword"]
    assert payload["errors"] == [] and payload["user"] == {"email": "lan@example.test", "isConfirmed": True}
    assert api(CURRENT_USER, token=payload["token"])["data"]["me"]["email"] == "lan@example.test"
    assert api(CURRENT_USER, token=old_token)["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"
    assert api(TOKEN_CREATE, {"email": "lan@example.test", "password": NEW_PASSWORD})["data"]["tokenCreate"]["token"]

    reused = api(SET_PASSWORD, {"email": "lan@example.test", "token": params["token"], "password": "Lại-mới-nữa-2026"})
    assert reused["data"]["setPassword"]["errors"] == [
        {"field": "token", "code": "INVALID", "message": "Invalid or expired token."}
    ]
    assert reused["data"]["setPassword"]["token"] is None


def test_password_reset_answers_alike_whoever_asks(api, shopper, mailoutbox):
    """No account enumeration: unknown, inactive and just-asked addresses get the same answer, and no e-mail."""
    inactive = make_user(email="gone@example.test", is_active=False)
    answers = [request_reset(api, email=email) for email in ("nobody@example.test", inactive.email)]
    assert answers == [{"errors": []}, {"errors": []}] and mailoutbox == []
    assert request_reset(api) == {"errors": []}
    assert request_reset(api) == {"errors": []}  # within RESET_PASSWORD_LOCK_SECONDS: nothing more sent
    assert request_reset(api, channel="no-such-channel") == {"errors": []}
    assert len(mailoutbox) == 1


def test_password_reset_can_be_asked_again_after_the_lock_time(api, shopper, settings, mailoutbox):
    settings.RESET_PASSWORD_LOCK_SECONDS = 0
    request_reset(api)
    request_reset(api)
    assert len(mailoutbox) == 2


def test_password_reset_refuses_a_foreign_link_for_anyone(api, shopper, mailoutbox):
    for email in ("lan@example.test", "nobody@example.test"):
        assert codes(request_reset(api, email=email, redirectUrl="https://evil.example/reset")["errors"]) == [
            ("redirectUrl", "INVALID")
        ]
    assert mailoutbox == []


def test_set_password_refusals(api, shopper, settings):
    good = password_reset_tokens.make_token(shopper)
    refusals = {
        "expired": ("lan@example.test", expired(password_reset_tokens, shopper)),
        "another purpose": ("lan@example.test", account_deletion_tokens.make_token(shopper)),
        "unknown e-mail": ("nobody@example.test", good),
        "garbled": ("lan@example.test", "x-y-z"),
    }
    for name, (email, token) in refusals.items():
        payload = api(SET_PASSWORD, {"email": email, "token": token, "password": NEW_PASSWORD})["data"]["setPassword"]
        assert codes(payload["errors"]) == [("token", "INVALID")], name
    weak = api(SET_PASSWORD, {"email": "lan@example.test", "token": good, "password": "12345678"})["data"]
    assert codes(weak["setPassword"]["errors"]) == [
        ("password", "PASSWORD_TOO_COMMON"),
        ("password", "PASSWORD_ENTIRELY_NUMERIC"),
    ]
    shopper.refresh_from_db()
    assert shopper.check_password(DEFAULT_PASSWORD)


def test_setting_a_password_by_e_mail_confirms_the_account(api, mailoutbox):
    register(api)
    user = User.objects.get(email="lan@example.test")
    token = password_reset_tokens.make_token(user)
    payload = api(SET_PASSWORD, {"email": "lan@example.test", "token": token, "password": NEW_PASSWORD})["data"]
    assert payload["setPassword"]["user"]["isConfirmed"] is True


# --- passwordChange ----------------------------------------------------------------------------------


def test_password_change(api, shopper):
    token = token_for(shopper)
    changed = api(PASSWORD_CHANGE, {"oldPassword": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD}, token=token)
    assert changed["data"]["passwordChange"] == {"user": {"email": "lan@example.test"}, "errors": []}
    shopper.refresh_from_db()
    assert shopper.check_password(NEW_PASSWORD)
    assert error_code(api(CURRENT_USER, token=token)) == "InvalidTokenError"  # signed in again with the new one


def test_password_change_refusals(api, shopper):
    token = token_for(shopper)
    wrong = api(PASSWORD_CHANGE, {"oldPassword": "not it", "newPassword": NEW_PASSWORD}, token=token)
    assert wrong["data"]["passwordChange"]["errors"] == [
        {"field": "oldPassword", "code": "INVALID_CREDENTIALS", "message": "Old password isn't valid."}
    ]
    missing = api(PASSWORD_CHANGE, {"newPassword": NEW_PASSWORD}, token=token)
    assert codes(missing["data"]["passwordChange"]["errors"]) == [("oldPassword", "INVALID_CREDENTIALS")]
    weak = api(PASSWORD_CHANGE, {"oldPassword": DEFAULT_PASSWORD, "newPassword": "lan@example"}, token=token)
    assert codes(weak["data"]["passwordChange"]["errors"]) == [("newPassword", "PASSWORD_TOO_SIMILAR")]
    anonymous = api(PASSWORD_CHANGE, {"oldPassword": DEFAULT_PASSWORD, "newPassword": NEW_PASSWORD})
    assert anonymous["data"]["passwordChange"] is None and error_code(anonymous) == "PERMISSION_DENIED"
    shopper.refresh_from_db()
    assert shopper.check_password(DEFAULT_PASSWORD)


# --- accountUpdate, User.avatar -----------------------------------------------------------------------


def test_account_update_changes_what_is_given(api, shopper):
    shopper.metadata = {"kept": "yes", "favourite": "old"}
    shopper.save()
    variables = {
        "input": {
            "firstName": "  Thị Lan ",
            "languageCode": "EN",
            "metadata": [{"key": "favourite", "value": "bưởi"}, {"key": "newsletter", "value": "no"}],
            "defaultShippingAddress": ADDRESS,
            "defaultBillingAddress": {**ADDRESS, "streetAddress1": "99 Phạm Văn Thuận"},
        }
    }
    user = api(ACCOUNT_UPDATE, variables, token=token_for(shopper))["data"]["accountUpdate"]
    assert user["errors"] == []
    user = user["user"]
    assert (user["firstName"], user["lastName"], user["languageCode"]) == ("Thị Lan", "Nguyễn", "EN")
    assert user["metadata"] == [
        {"key": "favourite", "value": "bưởi"},
        {"key": "kept", "value": "yes"},
        {"key": "newsletter", "value": "no"},
    ]
    assert (user["metafield"], user["metafields"]) == ("bưởi", {"favourite": "bưởi"})
    assert user["defaultShippingAddress"] == {
        "city": "Phường Trấn Biên",
        "countryArea": "Tỉnh Đồng Nai",
        "streetAddress1": "12 Đường Võ Thị Sáu",
    }
    assert user["defaultBillingAddress"]["streetAddress1"] == "99 Phạm Văn Thuận"
    assert len(user["addresses"]) == 2

    unchanged = api(ACCOUNT_UPDATE, {"input": {}}, token=token_for(shopper))["data"]["accountUpdate"]["user"]
    assert unchanged["firstName"] == "Thị Lan" and len(unchanged["addresses"]) == 2


def test_account_update_refusals(api, shopper):
    token = token_for(shopper)
    bad_address = {"input": {"defaultShippingAddress": {**ADDRESS, "city": "Nowhere"}}}
    errors = api(ACCOUNT_UPDATE, bad_address, token=token)["data"]["accountUpdate"]["errors"]
    assert [(e["field"], e["code"], e["addressType"]) for e in errors] == [("city", "INVALID", "SHIPPING")]
    blank_key = {"input": {"firstName": "X", "metadata": [{"key": " ", "value": "v"}]}}
    assert codes(api(ACCOUNT_UPDATE, blank_key, token=token)["data"]["accountUpdate"]["errors"]) == [
        ("metadata", "REQUIRED")
    ]
    shopper.refresh_from_db()
    assert shopper.first_name == "Lan" and not shopper.addresses.exists()

    other = make_user(email="other@example.test")
    as_other = api(
        ACCOUNT_UPDATE, {"input": {"firstName": "X"}, "customerId": global_id("User", other.pk)}, token=token
    )
    assert error_code(as_other) == "PERMISSION_DENIED"
    own = api(ACCOUNT_UPDATE, {"input": {"firstName": "Y"}, "customerId": global_id("User", shopper.pk)}, token=token)
    assert own["data"]["accountUpdate"]["user"]["firstName"] == "Y"
    assert error_code(api(ACCOUNT_UPDATE, {"input": {"firstName": "Z"}})) == "PERMISSION_DENIED"


def test_current_user_has_no_avatar(api, shopper):
    me = api(CURRENT_USER, token=token_for(shopper))["data"]["me"]
    assert me == {
        "id": global_id("User", shopper.pk),
        "email": "lan@example.test",
        "firstName": "Lan",
        "lastName": "Nguyễn",
        "avatar": None,
    }


# --- accountRequestDeletion, accountDelete ----------------------------------------------------------


def request_deletion(api, user: User, **given) -> dict:
    variables = {"redirectUrl": f"{STOREFRONT}/account/delete", "channel": "default-channel", **given}
    return api(REQUEST_DELETION, variables, token=token_for(user))["data"]["accountRequestDeletion"]


def test_deleting_an_account_keeps_its_orders_with_their_copied_names_and_addresses(api, shopper, mailoutbox):
    saved = address_create(
        user=shopper, values={"first_name": "Lan", "last_name": "Nguyễn", "city": "Phường Trấn Biên"}
    )
    order_address = saved.copy()
    order_address.save()
    order = make_order(user=shopper, user_email=shopper.email, billing_address=order_address)

    assert request_deletion(api, shopper) == {"errors": []}
    [message] = mailoutbox
    assert (message.to, message.subject) == (["lan@example.test"], "OCOP Đồng Nai: xác nhận xóa tài khoản")
    base, params = link_in(message)
    assert base == f"{STOREFRONT}/account/delete" and set(params) == {"token"}

    result = api(DELETE, {"token": params["token"]}, token=token_for(shopper))["data"]["accountDelete"]
    assert result == {"user": {"id": global_id("User", shopper.pk), "email": "lan@example.test"}, "errors": []}
    assert not User.objects.filter(pk=shopper.pk).exists()
    assert not Address.objects.filter(pk=saved.pk).exists()
    order = Order.objects.select_related("billing_address").get(pk=order.pk)
    assert order.user is None and order.user_email == "lan@example.test"
    assert order.billing_address.full_name == "Nguyễn Lan"
    assert order.lines.count() == 1


def test_account_delete_refusals(api, shopper, mailoutbox):
    other = make_user(email="other@example.test")
    token = token_for(shopper)
    attempts = {
        "expired": expired(account_deletion_tokens, shopper),
        "another user's": account_deletion_tokens.make_token(other),
        "another purpose": password_reset_tokens.make_token(shopper),
        "garbled": "nonsense",
    }
    for name, attempt in attempts.items():
        result = api(DELETE, {"token": attempt}, token=token)["data"]["accountDelete"]
        assert result["errors"] == [{"field": "token", "code": "INVALID", "message": "Invalid or expired token."}], name
    anonymous = api(DELETE, {"token": account_deletion_tokens.make_token(shopper)})
    assert error_code(anonymous) == "PERMISSION_DENIED"
    assert User.objects.filter(pk=shopper.pk).exists()


def test_staff_accounts_are_not_deleted_from_the_storefront(api, mailoutbox):
    staff = make_user(Role.OUTLET_STAFF, email="counter@example.test")
    assert codes(request_deletion(api, staff)["errors"]) == [(None, "DELETE_STAFF_ACCOUNT")]
    result = api(DELETE, {"token": account_deletion_tokens.make_token(staff)}, token=token_for(staff))
    assert codes(result["data"]["accountDelete"]["errors"]) == [(None, "DELETE_STAFF_ACCOUNT")]
    assert User.objects.filter(pk=staff.pk).exists() and mailoutbox == []


def test_account_deletion_request_refusals(api, shopper, mailoutbox):
    assert codes(request_deletion(api, shopper, redirectUrl="https://evil.example/")["errors"]) == [
        ("redirectUrl", "INVALID")
    ]
    assert codes(request_deletion(api, shopper, channel="no-such-channel")["errors"]) == [("channel", "NOT_FOUND")]
    anonymous = api(REQUEST_DELETION, {"redirectUrl": f"{STOREFRONT}/account/delete"})
    assert error_code(anonymous) == "PERMISSION_DENIED"
    assert mailoutbox == []
