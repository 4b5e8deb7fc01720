"""Saleor's account types: `User`, `Address`, `AddressInput`, `AccountError`, `AddressValidationData`."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Unpack

import graphene
from graphene.utils.str_converters import to_camel_case

from marketplace.accounts.address_validation import STRICT, AddressInvalid, ValidationRules, validate_address
from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.accounts.error_codes import AddressType as DefaultAddressType
from marketplace.accounts.models import Address, User
from marketplace.accounts.selectors import user_addresses
from marketplace.core.errors import DomainError, ErrorDetail
from storefront_api.account.enums import AccountErrorCodeEnum, AddressTypeEnum, CountryCodeEnum
from storefront_api.account.middleware import info_user
from storefront_api.channel.types import country_display
from storefront_api.core.connection import CountableConnection, PageArgs
from storefront_api.core.ids import global_id
from storefront_api.core.metadata import metadata_field, metafield_field, metafields_field
from storefront_api.core.mutations import error_type
from storefront_api.core.types import CountryDisplay, Image, LanguageCodeEnum, ThumbnailFormat, ThumbnailFormatEnum

AccountError = error_type(
    "AccountError",
    AccountErrorCodeEnum,
    extra={"address_type": graphene.Field(AddressTypeEnum, description="A type of address that causes the error.")},
)


class AddressType(graphene.ObjectType):
    """A postal address in Vietnam: `countryArea` is the province, `city` the commune (no districts since 2025)."""

    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    city = graphene.String(required=True, description="The commune (phường, xã or đặc khu), its full name.")
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True, description="Shop's default country.")
    country_area = graphene.String(required=True, description="The province, its full name.")
    phone = graphene.String(description="The phone number, as +84….")
    is_default_shipping_address = graphene.Boolean(
        description="Address is user's default shipping address (null when nobody is signed in)."
    )
    is_default_billing_address = graphene.Boolean(
        description="Address is user's default billing address (null when nobody is signed in)."
    )

    class Meta:
        name = "Address"
        description = "Represents user address data."
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_country(root: Address, info: graphene.ResolveInfo) -> CountryDisplay:
        return country_display(root.country)

    @staticmethod
    def resolve_phone(root: Address, info: graphene.ResolveInfo) -> str | None:
        return root.phone or None

    @staticmethod
    def resolve_is_default_shipping_address(root: Address, info: graphene.ResolveInfo) -> bool | None:
        user = info_user(info)
        return None if user is None else user.default_shipping_address_id == root.pk

    @staticmethod
    def resolve_is_default_billing_address(root: Address, info: graphene.ResolveInfo) -> bool | None:
        user = info_user(info)
        return None if user is None else user.default_billing_address_id == root.pk


class UserType(graphene.ObjectType):
    """A shopper's account, as the shopper sees it (a subset of Saleor's `User`)."""

    id = graphene.ID(required=True, description="The ID of the user (empty for one that `accountRegister` built).")
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    is_confirmed = graphene.Boolean(
        required=True, description="Determines if user has confirmed their e-mail address (or needs not)."
    )
    avatar = graphene.Field(
        Image,
        size=graphene.Int(description="Size of the avatar."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value=ThumbnailFormat.ORIGINAL.value),
        description="The avatar of the user: none here (shoppers have no pictures).",
    )
    addresses = graphene.List(graphene.NonNull(AddressType), required=True, description="List of all user's addresses.")
    language_code = graphene.Field(LanguageCodeEnum, required=True, description="User language code.")
    default_shipping_address = graphene.Field(AddressType)
    default_billing_address = graphene.Field(AddressType)
    last_login = graphene.DateTime()
    date_joined = graphene.DateTime(required=True)
    orders = graphene.Field(
        "storefront_api.order.types.OrderCountableConnection",
        before=graphene.String(),
        after=graphene.String(),
        first=graphene.Int(),
        last=graphene.Int(),
        description="The user's own orders, newest first.",
    )

    metadata = metadata_field()
    metafield = metafield_field()
    metafields = metafields_field()

    class Meta:
        name = "User"
        description = "Represents user data."
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_id(root: User, info: graphene.ResolveInfo) -> str:
        return global_id("User", root.pk) if root.pk is not None else ""

    @staticmethod
    def resolve_avatar(root: User, info: graphene.ResolveInfo, **kwargs: object) -> None:
        return None

    @staticmethod
    def resolve_addresses(root: User, info: graphene.ResolveInfo) -> list[Address]:
        return list(user_addresses(root)) if root.pk is not None else []

    @staticmethod
    def resolve_language_code(root: User, info: graphene.ResolveInfo) -> str:
        return root.language_code if root.language_code in ("vi", "en") else "vi"

    @staticmethod
    def resolve_orders(root: User, info: graphene.ResolveInfo, **page: Unpack[PageArgs]) -> CountableConnection:
        from storefront_api.order.resolvers import resolve_user_orders

        return resolve_user_orders(root, **page)


class AddressInput(graphene.InputObjectType):
    """An address in Vietnam. `countryArea` is the province and `city` the commune, each by its full name
    ("Tỉnh Đồng Nai", "Phường Trấn Biên"), short name ("Đồng Nai"), without diacritics ("dong nai") or code."""

    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    company_name = graphene.String(description="Company or organization.")
    street_address_1 = graphene.String(description="Address.")
    street_address_2 = graphene.String(description="Address.")
    city = graphene.String(description="The commune (phường, xã or đặc khu).")
    city_area = graphene.String(description="Hamlet, quarter or area.")
    postal_code = graphene.String(description="Postal code.")
    country = CountryCodeEnum(description="Country: VN, the only one delivered to (the default).")
    country_area = graphene.String(description="The province or centrally governed city.")
    phone = graphene.String(description="Phone number: a Vietnamese number, 0… or +84….")


def address_input_to_values(
    data: Mapping[str, Any],
    *,
    code_enum: type[enum.StrEnum] = AccountErrorCode,
    address_type: DefaultAddressType | None = None,
    require_street: bool = True,
    rules: ValidationRules = STRICT,
) -> dict[str, str]:
    """The `Address` field values of an `AddressInput`, validated (as strictly as `rules` say); a `DomainError`
    otherwise.

    Each problem becomes an `ErrorDetail` on the input's field (`countryArea`, `city`, ...) with the code
    `code_enum.REQUIRED` or `code_enum.INVALID`, and `address_type` (as Saleor's errors carry it) when given.
    """
    raw = {key: getattr(value, "value", value) for key, value in dict(data).items() if value is not None}
    try:
        return validate_address(raw, require_street=require_street, rules=rules)
    except AddressInvalid as invalid:
        extra = {"address_type": address_type.value} if address_type is not None else {}
        details = [
            ErrorDetail(problem.message, code_enum[problem.code], address_input_field(problem.field), extra=extra)
            for problem in invalid.problems
        ]
        raise DomainError(details=details) from None


def address_input_field(model_field: str) -> str:
    """The `AddressInput` field a client knows an `Address` field by: Saleor's camelCase, as the schema
    spells it (`street_address_1` -> `streetAddress1`, `country_area` -> `countryArea`)."""
    return to_camel_case(model_field)


class ChoiceValue(graphene.ObjectType):
    raw = graphene.String()
    verbose = graphene.String()


class AddressValidationData(graphene.ObjectType):
    """How to fill in an address: for Vietnam, the 34 provinces and the communes of the one given."""

    country_code = graphene.String(required=True)
    country_name = graphene.String(required=True)
    address_format = graphene.String(required=True)
    address_latin_format = graphene.String(required=True)
    allowed_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    required_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    upper_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    country_area_type = graphene.String(required=True)
    country_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_type = graphene.String(required=True)
    city_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_area_type = graphene.String(required=True)
    city_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    postal_code_type = graphene.String(required=True)
    postal_code_matchers = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_examples = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_prefix = graphene.String(required=True)
