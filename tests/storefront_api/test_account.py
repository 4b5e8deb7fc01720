"""Accounts through /graphql/: registration, JWT sign-in, `me`, saved addresses, address rules."""

import json

import pytest
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.models import Address, Role, User
from marketplace.accounts.services import address_create, user_set_password
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.account import jwt
from storefront_api.account.types import address_input_to_values
from tests.factories import DEFAULT_PASSWORD, make_user

ISSUER = "http://testserver/graphql/"

REGISTER = """
mutation ($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { email firstName lastName languageCode }
    errors { field code message }
  }
}
"""
TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken csrfToken
    user { id email }
    errors { field code message }
  }
}
"""
TOKEN_REFRESH = """
mutation ($refreshToken: String) {
  tokenRefresh(refreshToken: $refreshToken) { token user { email } errors { field code message } }
}
"""
TOKEN_VERIFY = """
mutation ($token: String!) {
  tokenVerify(token: $token) { isValid payload user { email } errors { field code message } }
}
"""
ME = """
{
  me {
    id email firstName lastName isStaff isActive languageCode dateJoined
    addresses { id city countryArea isDefaultShippingAddress isDefaultBillingAddress }
    defaultShippingAddress { id }
    defaultBillingAddress { id }
  }
}
"""
ADDRESS_FIELDS = """
  id firstName lastName companyName streetAddress1 streetAddress2 city cityArea postalCode
  country { code country } countryArea phone isDefaultShippingAddress isDefaultBillingAddress
"""
ADDRESS_CREATE = f"""
mutation ($input: AddressInput!, $type: AddressTypeEnum) {{
  accountAddressCreate(input: $input, type: $type) {{
    address {{ {ADDRESS_FIELDS} }}
    user {{ defaultShippingAddress {{ id }} defaultBillingAddress {{ id }} }}
    errors {{ field code message addressType }}
  }}
}}
"""
ADDRESS_UPDATE = f"""
mutation ($id: ID!, $input: AddressInput!) {{
  accountAddressUpdate(id: $id, input: $input) {{ address {{ {ADDRESS_FIELDS} }} errors {{ field code message }} }}
}}
"""
ADDRESS_DELETE = """
mutation ($id: ID!) {
  accountAddressDelete(id: $id) {
    address { id }
    user { addresses { id } defaultShippingAddress { id } }
    errors { field code message }
  }
}
"""
SET_DEFAULT = """
mutation ($id: ID!, $type: AddressTypeEnum!) {
  accountSetDefaultAddress(id: $id, type: $type) {
    user { defaultShippingAddress { id } defaultBillingAddress { id } }
    errors { field code message }
  }
}
"""
RULES = """
query ($countryCode: CountryCode!, $countryArea: String) {
  addressValidationRules(countryCode: $countryCode, countryArea: $countryArea) {
    countryCode countryName requiredFields allowedFields countryAreaType cityType
    countryAreaChoices { raw verbose }
    cityChoices { raw verbose }
  }
}
"""
ADDRESS_INPUT = {
    "firstName": "Emma",
    "lastName": "Smith",
    "streetAddress1": "  12 Đường Võ Thị Sáu ",
    "city": "tran bien",
    "countryArea": "Đồng Nai",
    "country": "VN",
    "phone": "0912 345 678",
}


@pytest.fixture
def api(db):
    """POST to /graphql/, with `token` as a bearer token if given; the decoded JSON (status 200 checked)."""
    client = Client()

    def send(query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
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
    return make_user(email="emma@example.test", first_name="Emma")


def access_token(user: User, *, ttl: int | None = None, settings=None) -> str:
    if ttl is not None:
        settings.JWT_ACCESS_TTL_SECONDS = ttl
    return jwt.create_access_token(user, issuer=ISSUER)


def sign_in(api, email: str = "emma@example.test", password: str = DEFAULT_PASSWORD) -> dict:
    return api(TOKEN_CREATE, {"email": email, "password": password})["data"]["tokenCreate"]


def error_code(response: dict) -> str:
    return response["errors"][0]["extensions"]["exception"]["code"]


# --- accountRegister ----------------------------------------------------------------------------------


def test_register_without_confirmation_creates_an_active_consumer_who_can_sign_in(api, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    variables = {
        "input": {
            "email": " Emma@Example.TEST ",
            "password": "Mật-khẩu-dài-2025",
            "firstName": "Emma",
            "lastName": "Smith",
            "languageCode": "EN",
        }
    }
    result = api(REGISTER, variables)["data"]["accountRegister"]
    assert result == {
        "requiresConfirmation": False,
        "user": {"email": "emma@example.test", "firstName": "Emma", "lastName": "Smith", "languageCode": "EN"},
        "errors": [],
    }
    user = User.objects.get(email="emma@example.test")
    assert (user.role, user.is_staff, user.is_active, user.is_confirmed, user.language_code) == (
        Role.CONSUMER,
        False,
        True,
        True,
        "en",
    )
    assert sign_in(api, "emma@example.test", "Mật-khẩu-dài-2025")["errors"] == []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("short", ["PASSWORD_TOO_SHORT"]),
        ("password123", ["PASSWORD_TOO_COMMON"]),
        ("73918264501", ["PASSWORD_ENTIRELY_NUMERIC"]),
        ("12345", ["PASSWORD_TOO_SHORT", "PASSWORD_TOO_COMMON", "PASSWORD_ENTIRELY_NUMERIC"]),
        ("newshopper@example", ["PASSWORD_TOO_SIMILAR"]),
    ],
)
def test_register_checks_the_password_with_djangos_validators(api, password, codes):
    variables = {
        "input": {"email": "newshopper@example.test", "password": password, "redirectUrl": "http://localhost:3000/"}
    }
    errors = api(REGISTER, variables)["data"]["accountRegister"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("password", code) for code in codes]
    assert not User.objects.filter(email="newshopper@example.test").exists()


def test_register_refuses_a_malformed_email(api):
    given = {"email": "not-an-email", "password": "Mật-khẩu-dài-2025", "redirectUrl": "http://localhost:3000/"}
    errors = api(REGISTER, {"input": given})["data"]["accountRegister"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("email", "INVALID")]


# --- tokenCreate, me ----------------------------------------------------------------------------------


def test_token_create_signs_in_and_me_reads_the_user(api, shopper):
    result = sign_in(api, "Emma@example.test")
    assert result["errors"] == []
    assert result["user"] == {"id": to_global_id("User", shopper.pk), "email": "emma@example.test"}
    assert result["csrfToken"]
    me = api(ME, token=result["token"])
    assert "errors" not in me
    assert me["data"]["me"]["id"] == to_global_id("User", shopper.pk)
    assert me["data"]["me"]["email"] == "emma@example.test"
    assert me["data"]["me"]["languageCode"] == "VI"
    assert me["data"]["me"]["addresses"] == []
    shopper.refresh_from_db()
    assert shopper.last_login is not None


def test_tokens_carry_saleors_claims(api, shopper):
    result = sign_in(api)
    access = api(TOKEN_VERIFY, {"token": result["token"]})["data"]["tokenVerify"]
    assert access["isValid"] is True
    assert access["user"] == {"email": "emma@example.test"}
    payload = access["payload"]
    assert payload["type"] == "access"
    assert payload["email"] == "emma@example.test"
    assert payload["user_id"] == to_global_id("User", shopper.pk)
    assert payload["token"] == shopper.jwt_token_key
    assert payload["iss"] == ISSUER
    assert payload["exp"] - payload["iat"] == 5 * 60
    refresh = jwt.decode(result["refreshToken"])
    assert refresh["type"] == "refresh"
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 60 * 60
    assert refresh["csrfToken"] == result["csrfToken"]


@pytest.mark.parametrize(("email", "password"), [("emma@example.test", "wrong"), ("nobody@example.test", "x")])
def test_token_create_refuses_wrong_credentials_alike(api, shopper, email, password):
    result = api(TOKEN_CREATE, {"email": email, "password": password})["data"]["tokenCreate"]
    assert result["token"] is None
    assert result["errors"] == [
        {"field": "email", "code": "INVALID_CREDENTIALS", "message": "Please, enter valid credentials"}
    ]


def test_token_create_refuses_an_inactive_account(api, shopper):
    shopper.is_active = False
    shopper.save()
    result = sign_in(api)
    assert result["token"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("email", "INACTIVE")]


def test_me_is_null_when_anonymous(api):
    assert api(ME) == {"data": {"me": None}}


def test_an_admin_session_does_not_sign_in_to_the_storefront_api(db, shopper):
    client = Client()
    client.force_login(shopper)
    response = client.post("/graphql/", json.dumps({"query": "{ me { email } }"}), content_type="application/json")
    assert response.json() == {"data": {"me": None}}


def test_an_expired_access_token_is_a_graphql_error_as_in_saleor(api, shopper, settings):
    token = access_token(shopper, ttl=-1, settings=settings)
    response = api(ME, token=token)
    assert response["data"] == {"me": None}
    assert response["errors"][0]["message"] == "Signature has expired"
    assert error_code(response) == "ExpiredSignatureError"


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_a_garbled_token_is_an_invalid_token_error(api, token):
    response = api(ME, token=token)
    assert response["data"] == {"me": None}
    assert error_code(response) == "InvalidTokenError"


def test_a_refresh_token_does_not_authenticate_requests(api, shopper):
    response = api(ME, token=sign_in(api)["refreshToken"])
    assert error_code(response) == "InvalidTokenError"


def test_a_token_signed_with_another_key_is_invalid(api, shopper, settings):
    token = access_token(shopper)
    settings.JWT_SECRET = "another-key-entirely-of-thirty-two-bytes"
    assert error_code(api(ME, token=token)) == "InvalidTokenError"


def test_queries_that_do_not_need_the_user_work_with_a_bad_token(api, channel):
    response = api("{ shop { name } }", token="garbage")
    assert "errors" not in response


def test_a_new_password_revokes_earlier_tokens(api, shopper):
    tokens = sign_in(api)
    user_set_password(user=shopper, password="Một-mật-khẩu-mới-2025")
    assert error_code(api(ME, token=tokens["token"])) == "InvalidTokenError"
    refreshed = api(TOKEN_REFRESH, {"refreshToken": tokens["refreshToken"]})["data"]["tokenRefresh"]
    assert [(e["field"], e["code"]) for e in refreshed["errors"]] == [("refreshToken", "JWT_INVALID_TOKEN")]
    assert sign_in(api, password="Một-mật-khẩu-mới-2025")["errors"] == []


def test_a_deactivated_user_is_signed_out(api, shopper):
    token = sign_in(api)["token"]
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    assert error_code(api(ME, token=token)) == "InvalidTokenError"


# --- tokenRefresh, tokenVerify ------------------------------------------------------------------------


def test_token_refresh_gives_a_working_access_token(api, shopper):
    result = api(TOKEN_REFRESH, {"refreshToken": sign_in(api)["refreshToken"]})["data"]["tokenRefresh"]
    assert result["errors"] == []
    assert result["user"] == {"email": "emma@example.test"}
    assert api(ME, token=result["token"])["data"]["me"]["email"] == "emma@example.test"


def test_token_refresh_refusals(api, shopper, settings):
    settings.JWT_REFRESH_TTL_SECONDS = -1
    expired = jwt.create_refresh_token(shopper, issuer=ISSUER, csrf_token="x")
    cases = [
        (expired, "JWT_SIGNATURE_EXPIRED", "Signature has expired"),
        (access_token(shopper), "JWT_INVALID_TOKEN", "Invalid token"),
        ("garbage", "JWT_INVALID_TOKEN", "Invalid token"),
        (None, "JWT_MISSING_TOKEN", "Missing refreshToken"),
    ]
    for token, code, message in cases:
        result = api(TOKEN_REFRESH, {"refreshToken": token})["data"]["tokenRefresh"]
        assert result["token"] is None
        assert result["errors"] == [{"field": "refreshToken", "code": code, "message": message}]


def test_token_verify_refusals(api, shopper, settings):
    expired = access_token(shopper, ttl=-1, settings=settings)
    cases = [
        (expired, "JWT_SIGNATURE_EXPIRED"),
        ("garbage", "JWT_DECODE_ERROR"),
        (jwt.create_refresh_token(shopper, issuer=ISSUER, csrf_token="x"), "JWT_INVALID_TOKEN"),
    ]
    for token, code in cases:
        result = api(TOKEN_VERIFY, {"token": token})["data"]["tokenVerify"]
        assert (result["isValid"], result["payload"], result["user"]) == (False, None, None)
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("token", code)]


# --- addressValidationRules ---------------------------------------------------------------------------


def test_address_validation_rules_list_provinces_and_the_communes_of_one(api):
    rules = api(RULES, {"countryCode": "VN", "countryArea": "dong nai"})["data"]["addressValidationRules"]
    assert rules["countryCode"] == "VN"
    assert rules["countryAreaType"] == "province"
    assert rules["requiredFields"] == ["name", "streetAddress1", "city", "countryArea", "phone"]
    assert len(rules["countryAreaChoices"]) == 34
    assert {"raw": "Tỉnh Đồng Nai", "verbose": "Đồng Nai"} in rules["countryAreaChoices"]
    assert len(rules["cityChoices"]) == 95
    assert {"raw": "Phường Trấn Biên", "verbose": "Trấn Biên"} in rules["cityChoices"]


def test_address_validation_rules_label_units_in_english_for_visitors(db):
    response = Client().post(
        "/graphql/",
        json.dumps({"query": RULES, "variables": {"countryCode": "VN", "countryArea": "Đồng Nai"}}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )
    rules = response.json()["data"]["addressValidationRules"]
    assert {"raw": "Tỉnh Đồng Nai", "verbose": "Đồng Nai Province"} in rules["countryAreaChoices"]
    assert {"raw": "Thành phố Hồ Chí Minh", "verbose": "Hồ Chí Minh City"} in rules["countryAreaChoices"]
    assert {"raw": "Phường Trấn Biên", "verbose": "Trấn Biên Ward"} in rules["cityChoices"]


def test_address_validation_rules_without_a_province_or_outside_vietnam(api):
    rules = api(RULES, {"countryCode": "VN"})["data"]["addressValidationRules"]
    assert (len(rules["countryAreaChoices"]), rules["cityChoices"]) == (34, [])
    other = api(RULES, {"countryCode": "US", "countryArea": "CA"})["data"]["addressValidationRules"]
    assert (other["countryAreaChoices"], other["cityChoices"], other["requiredFields"]) == ([], [], [])


# --- saved addresses ----------------------------------------------------------------------------------


def test_address_create_validates_normalises_and_sets_the_default(api, shopper):
    token = sign_in(api)["token"]
    result = api(ADDRESS_CREATE, {"input": ADDRESS_INPUT, "type": "SHIPPING"}, token=token)["data"][
        "accountAddressCreate"
    ]
    assert result["errors"] == []
    address = result["address"]
    assert address == {
        "id": address["id"],
        "firstName": "Emma",
        "lastName": "Smith",
        "companyName": "",
        "streetAddress1": "12 Đường Võ Thị Sáu",
        "streetAddress2": "",
        "city": "Phường Trấn Biên",
        "cityArea": "",
        "postalCode": "",
        "country": {"code": "VN", "country": "Vietnam"},
        "countryArea": "Tỉnh Đồng Nai",
        "phone": "+84912345678",
        "isDefaultShippingAddress": True,
        "isDefaultBillingAddress": False,
    }
    assert result["user"] == {"defaultShippingAddress": {"id": address["id"]}, "defaultBillingAddress": None}
    stored = shopper.addresses.get()
    assert (stored.province_code, stored.commune_code) == ("75", "26041")


def test_address_create_answers_each_problem_on_its_field(api, shopper):
    token = sign_in(api)["token"]
    given = {**ADDRESS_INPUT, "city": "Phường Sài Gòn", "phone": "12345", "firstName": " "}
    result = api(ADDRESS_CREATE, {"input": given, "type": "BILLING"}, token=token)["data"]["accountAddressCreate"]
    assert result["address"] is None
    assert [(e["field"], e["code"], e["addressType"]) for e in result["errors"]] == [
        ("firstName", "REQUIRED", "BILLING"),
        ("phone", "INVALID", "BILLING"),
        ("city", "INVALID", "BILLING"),
    ]
    assert result["errors"][2]["message"] == (
        "Phường Sài Gòn is not a commune of Tỉnh Đồng Nai (it is in Thành phố Hồ Chí Minh)."
    )
    assert not Address.objects.exists()


def test_address_problems_are_named_as_saleor_names_the_input_fields(api, shopper):
    """The domain names problems as the model does; the API answers with `AddressInput`'s camelCase names."""
    token = sign_in(api)["token"]
    given = {**ADDRESS_INPUT, "streetAddress1": "", "countryArea": "", "postalCode": "7600", "cityArea": "x" * 129}
    result = api(ADDRESS_CREATE, {"input": given}, token=token)["data"]["accountAddressCreate"]
    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("cityArea", "INVALID"),
        ("countryArea", "REQUIRED"),
        ("postalCode", "INVALID"),
        ("streetAddress1", "REQUIRED"),
    ]


def test_address_create_refuses_other_countries(api, shopper):
    token = sign_in(api)["token"]
    result = api(ADDRESS_CREATE, {"input": {**ADDRESS_INPUT, "country": "FR"}}, token=token)["data"]
    errors = result["accountAddressCreate"]["errors"]
    assert [(e["field"], e["code"], e["addressType"]) for e in errors] == [("country", "INVALID", None)]


def test_address_mutations_need_a_signed_in_user(api, shopper):
    address = address_create(user=shopper, values=saved_values(), address_type=None)
    address_id = to_global_id("Address", address.pk)
    for query, variables in [
        (ADDRESS_CREATE, {"input": ADDRESS_INPUT}),
        (ADDRESS_UPDATE, {"id": address_id, "input": {"phone": "0988 000 111"}}),
        (ADDRESS_DELETE, {"id": address_id}),
        (SET_DEFAULT, {"id": address_id, "type": "SHIPPING"}),
    ]:
        response = api(query, variables)
        assert error_code(response) == "PERMISSION_DENIED", response
    assert Address.objects.count() == 1


def saved_values(**overrides) -> dict:
    return address_input_to_values(
        {
            "first_name": "Emma",
            "street_address_1": "1 Đường Đồng Khởi",
            "city": "Trấn Biên",
            "country_area": "Đồng Nai",
            "phone": "0912345678",
            **overrides,
        }
    )


def test_address_update_changes_only_the_fields_given(api, shopper):
    address = address_create(user=shopper, values=saved_values(), address_type=AddressType.SHIPPING)
    token = sign_in(api)["token"]
    variables = {"id": to_global_id("Address", address.pk), "input": {"phone": "+84 988 000 111", "city": "Long Hưng"}}
    result = api(ADDRESS_UPDATE, variables, token=token)["data"]["accountAddressUpdate"]
    assert result["errors"] == []
    assert result["address"]["phone"] == "+84988000111"
    assert result["address"]["city"] == "Phường Long Hưng"
    assert result["address"]["streetAddress1"] == "1 Đường Đồng Khởi"
    assert result["address"]["isDefaultShippingAddress"] is True
    bad = {"id": variables["id"], "input": {"countryArea": "Hồ Chí Minh"}}
    errors = api(ADDRESS_UPDATE, bad, token=token)["data"]["accountAddressUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("city", "INVALID")]
    address.refresh_from_db()
    assert (address.country_area, address.city) == ("Tỉnh Đồng Nai", "Phường Long Hưng")


def test_another_users_address_cannot_be_changed_or_deleted(api, shopper):
    other = make_user()
    address = address_create(user=other, values=saved_values(), address_type=None)
    address_id = to_global_id("Address", address.pk)
    token = sign_in(api)["token"]
    update = api(ADDRESS_UPDATE, {"id": address_id, "input": {"phone": "0988000111"}}, token=token)
    assert error_code(update) == "PERMISSION_DENIED"
    assert error_code(api(ADDRESS_DELETE, {"id": address_id}, token=token)) == "PERMISSION_DENIED"
    errors = api(SET_DEFAULT, {"id": address_id, "type": "BILLING"}, token=token)["data"]["accountSetDefaultAddress"][
        "errors"
    ]
    assert errors == [{"field": "id", "code": "INVALID", "message": "The address doesn't belong to that user."}]
    address.refresh_from_db()
    assert address.phone == "+84912345678"
    shopper.refresh_from_db()
    assert shopper.default_billing_address_id is None


def test_address_delete_clears_the_default(api, shopper):
    address = address_create(user=shopper, values=saved_values(), address_type=AddressType.SHIPPING)
    address_id = to_global_id("Address", address.pk)
    token = sign_in(api)["token"]
    result = api(ADDRESS_DELETE, {"id": address_id}, token=token)["data"]["accountAddressDelete"]
    assert result == {
        "address": {"id": address_id},
        "user": {"addresses": [], "defaultShippingAddress": None},
        "errors": [],
    }
    assert not Address.objects.exists()


def test_set_default_address(api, shopper):
    first = address_create(user=shopper, values=saved_values(), address_type=AddressType.SHIPPING)
    second = address_create(user=shopper, values=saved_values(city="Long Hưng"), address_type=None)
    token = sign_in(api)["token"]
    variables = {"id": to_global_id("Address", second.pk), "type": "BILLING"}
    result = api(SET_DEFAULT, variables, token=token)["data"]["accountSetDefaultAddress"]
    assert result == {
        "user": {
            "defaultShippingAddress": {"id": to_global_id("Address", first.pk)},
            "defaultBillingAddress": {"id": to_global_id("Address", second.pk)},
        },
        "errors": [],
    }


def test_address_ids_are_checked(api, shopper):
    token = sign_in(api)["token"]
    cases = [
        (to_global_id("Address", 999_999), "NOT_FOUND"),
        (to_global_id("User", shopper.pk), "GRAPHQL_ERROR"),
        ("nonsense", "GRAPHQL_ERROR"),
    ]
    for address_id, code in cases:
        errors = api(SET_DEFAULT, {"id": address_id, "type": "SHIPPING"}, token=token)["data"][
            "accountSetDefaultAddress"
        ]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("id", code)]


def test_me_with_addresses_takes_two_queries_however_many_addresses(api, shopper, django_assert_num_queries):
    token = access_token(shopper)
    for commune in ("Trấn Biên", "Long Hưng", "Biên Hòa"):
        address_create(user=shopper, values=saved_values(city=commune), address_type=AddressType.BILLING)
    with django_assert_num_queries(2):  # the user with its default addresses, then its addresses
        me = api(ME, token=token)["data"]["me"]
    assert len(me["addresses"]) == 3
    assert [a["isDefaultBillingAddress"] for a in me["addresses"]] == [False, False, True]
    assert me["defaultBillingAddress"] == {"id": me["addresses"][2]["id"]}


# --- the helper other mutations reuse -----------------------------------------------------------------


def test_address_input_to_values_speaks_the_callers_error_codes():
    with pytest.raises(DomainError) as caught:
        address_input_to_values(
            {"city": "tran bien", "country_area": "dong nai"},
            code_enum=CheckoutErrorCode,
            address_type=AddressType.SHIPPING,
            require_street=False,
        )
    details = caught.value.details
    assert [(d.field, d.code, d.extra) for d in details] == [
        ("firstName", CheckoutErrorCode.REQUIRED, {"address_type": "shipping"}),
        ("phone", CheckoutErrorCode.REQUIRED, {"address_type": "shipping"}),
    ]
