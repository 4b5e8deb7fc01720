from __future__ import annotations

import graphene

from marketplace.accounts.address_validation import (
    COUNTRY_CODE,
    commune_choices,
    find_province,
    province_choices,
)
from marketplace.accounts.models import User
from storefront_api.account.enums import CountryCodeEnum
from storefront_api.account.middleware import info_user
from storefront_api.account.types import AddressValidationData, ChoiceValue, UserType

# Google's address data for Vietnam ("%N%n%O%n%A%n%C%n%S %Z"), with the commune's hamlet or area (%D).
ADDRESS_FORMAT = "%N%n%O%n%A%n%D, %C%n%S %Z"
# The fields as Saleor names them: `AddressInput`'s names, "name" for the first and last names, and the street's
# second line wherever its first is allowed. Clients show the allowed fields and mark the required ones: those
# `validate_address` requires (the phone among them; a test holds the two together).
ALLOWED_FIELDS = [
    "name",
    "companyName",
    "streetAddress1",
    "streetAddress2",
    "cityArea",
    "city",
    "countryArea",
    "postalCode",
]
REQUIRED_FIELDS = ["name", "streetAddress1", "city", "countryArea", "phone"]


# For English-speaking visitors (Accept-Language: en): the unit's kind after its name, as maps write it.
_ENGLISH_KINDS = {"Tỉnh": "Province", "Thành phố": "City", "Phường": "Ward", "Xã": "Commune", "Đặc khu": "Special Zone"}


def _english(name: str, short_name: str) -> str:
    kind = name[: len(name) - len(short_name)].strip()
    return f"{short_name} {_ENGLISH_KINDS[kind]}" if kind in _ENGLISH_KINDS else short_name


def _validation_rules(country_code: str, country_area: str | None, *, english: bool) -> AddressValidationData:
    vietnam = country_code == COUNTRY_CODE
    province = find_province(country_area) if vietnam else None

    def choice(unit) -> ChoiceValue:
        return ChoiceValue(raw=unit.name, verbose=_english(unit.name, unit.short_name) if english else unit.short_name)

    return AddressValidationData(
        country_code=country_code,
        country_name="VIET NAM" if vietnam else country_code,
        address_format=ADDRESS_FORMAT if vietnam else "",
        address_latin_format=ADDRESS_FORMAT if vietnam else "",
        allowed_fields=ALLOWED_FIELDS if vietnam else [],
        required_fields=REQUIRED_FIELDS if vietnam else [],
        upper_fields=[],
        country_area_type="province",
        country_area_choices=[choice(unit) for unit in province_choices()] if vietnam else [],
        city_type="city",
        city_choices=[choice(unit) for unit in commune_choices(province)],
        city_area_type="suburb",
        city_area_choices=[],
        postal_code_type="postal",
        postal_code_matchers=[r"^\d{5,6}$"] if vietnam else [],
        postal_code_examples=["76000", "700000"] if vietnam else [],
        postal_code_prefix="",
    )


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(UserType, description="Return the currently authenticated user.")
    address_validation_rules = graphene.Field(
        AddressValidationData,
        description="Details about the address form of a country. For Vietnam (VN, the only country delivered "
        "to), `countryAreaChoices` are today's 34 provinces and `cityChoices` the communes of `countryArea`.",
        country_code=graphene.Argument(
            CountryCodeEnum, required=True, description="Two-letter ISO 3166-1 country code."
        ),
        country_area=graphene.String(description="Designation for geographical provinces or states."),
        city=graphene.String(description="City or a town name."),
        city_area=graphene.String(description="Sublocality like a district."),
    )

    @staticmethod
    def resolve_me(root: None, info: graphene.ResolveInfo) -> User | None:
        return info_user(info)

    @staticmethod
    def resolve_address_validation_rules(
        root: None,
        info: graphene.ResolveInfo,
        country_code: str,
        country_area: str | None = None,
        city: str | None = None,
        city_area: str | None = None,
    ) -> AddressValidationData:
        english = info.context.headers.get("Accept-Language", "").lower().startswith("en")
        return _validation_rules(getattr(country_code, "value", country_code), country_area, english=english)
