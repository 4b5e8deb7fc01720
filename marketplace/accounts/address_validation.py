"""Vietnamese postal addresses checked against today's administrative units (34 provinces, no districts).

The units come from the `vietnamadminunits` package's data, read once per process. An address keeps
Saleor's shape: the province is `country_area`, the commune (phường, xã or đặc khu) is `city`.
Provinces and communes are accepted by full name ("Tỉnh Đồng Nai", "Phường Trấn Biên"), short name
("Đồng Nai", "Trấn Biên"), without diacritics ("dong nai", "tran bien") or by code ("75", "26041");
they are stored under their full official names, with their codes.

Problems are reported per field, under the model's field names (`street_address_1`, `country_area`);
each delivery layer names them as its clients know them (the API as Saleor's `AddressInput` does).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from vietnamadminunits.database import get_data

from marketplace.core.text import clean_text, fold

COUNTRY_CODE = "VN"
COUNTRY_NAME = "Vietnam"

ProblemCode = Literal["REQUIRED", "INVALID"]


class Problem(NamedTuple):
    """One thing wrong with an address."""

    field: str  # the `Address` model's field: "street_address_1", "country_area", ...
    code: ProblemCode
    message: str


# Model field -> the longest value the model stores.
TEXT_FIELDS: dict[str, int] = {
    "first_name": 256,
    "last_name": 256,
    "company_name": 256,
    "street_address_1": 256,
    "street_address_2": 256,
    "city_area": 128,
}
# The fields of an address as it is given (the codes are derived from the province and commune).
INPUT_FIELDS = (*TEXT_FIELDS, "city", "postal_code", "country", "country_area", "phone")
_POSTAL_CODE = re.compile(r"^\d{5,6}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# The national number after the trunk 0 or +84: mobiles are 9 digits (3x, 5x, 7x, 8x, 9x),
# landlines 10 digits starting with their 2xx area code.
_NATIONAL_NUMBER = re.compile(r"^(?:[35789]\d{8}|2\d{9})$")
# How people write the kind of unit before its name; dropped before a short-name match.
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ")
_COMMUNE_PREFIXES = ("phuong ", "xa ", "dac khu ", "p. ", "p.", "x. ", "x.")


class AddressInvalid(Exception):
    """An address that cannot be stored; `problems` are (field, code, message), field as the model names it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(message for _, _, message in problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class Province:
    code: str  # "75"
    name: str  # "Tỉnh Đồng Nai"
    short_name: str  # "Đồng Nai"


@dataclasses.dataclass(frozen=True)
class Commune:
    code: str  # "26041"
    name: str  # "Phường Trấn Biên"
    short_name: str  # "Trấn Biên"
    kind: str  # "Phường", "Xã" or "Đặc khu"
    province_code: str


@dataclasses.dataclass(frozen=True)
class _Units:
    provinces: tuple[Province, ...]
    province_keys: dict[str, Province]  # every accepted spelling, folded -> province
    communes: dict[str, tuple[Commune, ...]]  # province code -> communes, sorted by name
    commune_keys: dict[str, dict[str, tuple[Commune, ...]]]  # province code -> spelling -> communes


def _key(value: str) -> str:
    return " ".join(fold(value).split())


def _without_prefix(key: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :].strip()
    return key


@lru_cache(maxsize=1)
def _units() -> _Units:
    """Today's provinces and communes, read from the package's data once per process."""
    columns = [
        "province",
        "provinceShort",
        "provinceCode",
        "provinceAlias",
        "ward",
        "wardShort",
        "wardType",
        "wardCode",
    ]
    rows = get_data(fields=columns)
    provinces: dict[str, Province] = {}
    province_keys: dict[str, Province] = {}
    communes: defaultdict[str, list[Commune]] = defaultdict(list)
    commune_keys: defaultdict[str, defaultdict[str, set[Commune]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        code = row["provinceCode"]
        province = provinces.get(code)
        if province is None:
            province = provinces[code] = Province(code, row["province"], row["provinceShort"])
            aliases = re.findall(r'"([^"]+)"', row["provinceAlias"] or "")
            for spelling in (code, province.name, province.short_name, *aliases):
                province_keys[_key(spelling)] = province
        commune = Commune(row["wardCode"], row["ward"], row["wardShort"], row["wardType"], code)
        communes[code].append(commune)
        for spelling in (commune.code, commune.name, commune.short_name):
            commune_keys[code][_key(spelling)].add(commune)
    return _Units(
        provinces=tuple(sorted(provinces.values(), key=lambda p: p.code)),
        province_keys=province_keys,
        communes={
            code: tuple(sorted(found, key=lambda c: (_key(c.short_name), c.short_name, c.name)))
            for code, found in communes.items()
        },
        commune_keys={
            code: {key: tuple(sorted(found, key=lambda c: c.code)) for key, found in spellings.items()}
            for code, spellings in commune_keys.items()
        },
    )


def province_choices() -> list[Province]:
    """Today's 34 provinces and centrally governed cities, in the order of their codes."""
    return list(_units().provinces)


def find_province(value: str | None) -> Province | None:
    """The province `value` names (full or short name, with or without diacritics, or code), if any."""
    text = clean_text(value)
    if not text:
        return None
    keys = _units().province_keys
    key = _key(text)
    return keys.get(key) or keys.get(_without_prefix(key, _PROVINCE_PREFIXES))


def commune_choices(province: str | Province | None) -> list[Commune]:
    """The communes of a province (named as `find_province` accepts); none for an unknown province."""
    found = province if isinstance(province, Province) else find_province(province)
    if found is None:
        return []
    return list(_units().communes.get(found.code, ()))


def find_communes(province: Province, value: str | None) -> list[Commune]:
    """The communes of `province` that `value` may name: one, none, or several when only diacritics tell
    them apart ("loc thanh" is both Xã Lộc Thạnh and Xã Lộc Thành). An exact spelling wins."""
    text = clean_text(value)
    if not text:
        return []
    spellings = _units().commune_keys.get(province.code, {})
    key = _key(text)
    candidates = spellings.get(key) or spellings.get(_without_prefix(key, _COMMUNE_PREFIXES)) or ()
    if len(candidates) > 1:
        wanted = text.casefold()
        exact = [c for c in candidates if wanted in (c.name.casefold(), c.short_name.casefold())]
        if exact:
            return exact
    return list(candidates)


def normalize_phone(value: str) -> str | None:
    """A Vietnamese mobile or landline number as +84…, or None when it is not one."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if national.startswith("0"):  # "+84 0912 …": the trunk 0 written after the country code
        national = national[1:]
    if not _NATIONAL_NUMBER.match(national):
        return None
    return f"+84{national}"


def _text(data: Mapping[str, Any], name: str) -> str:
    return clean_text(data.get(name)) or ""


@dataclasses.dataclass(frozen=True)
class ValidationRules:
    """How strictly an address is checked (Saleor's `CheckoutAddressValidationRules`); all on by default.

    - `check_required`: refuse an address that misses a required field. Off, a partial address is kept (a
      storefront saving the form as it is typed); it offers no home delivery until the province is known.
    - `check_format`: refuse a phone, postal code, province or commune that is not a Vietnamese one. Off, what
      cannot be recognised is kept as typed, without its unit codes (so no shipping method applies to it).
    - `normalize`: store the province and commune under their official names and the phone as +84…. Off, they
      are kept as typed (their codes are still filled when recognised).

    Text is always NFC-normalised and stripped of markup, lengths are always bounded, and the country is always
    Vietnam: those are not a matter of rules.
    """

    check_required: bool = True
    check_format: bool = True
    normalize: bool = True


STRICT = ValidationRules()


def validate_address(
    data: Mapping[str, Any], *, require_street: bool = True, rules: ValidationRules = STRICT
) -> dict[str, str]:
    """The values of an `Address` for `data` (keyed by the model's field names), or `AddressInvalid`.

    Required: first name, province (`country_area`), commune (`city`), phone, and the street unless
    `require_street` is false. The country defaults to VN, the only one accepted. Text is NFC-normalised,
    stripped of markup and extra white space; the province and commune are stored under their full
    official names with their codes; the phone as +84…. `rules` relax this (`ValidationRules`).
    """
    problems: list[Problem] = []
    limits: list[Problem] = []  # checked whatever the rules: what the model can store, and the country
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        values[name] = _text(data, name)
    if not values["first_name"]:
        problems.append(Problem("first_name", "REQUIRED", "This field is required."))
    if require_street and not values["street_address_1"]:
        problems.append(Problem("street_address_1", "REQUIRED", "This field is required."))

    country = (_text(data, "country") or COUNTRY_CODE).upper()
    if country != COUNTRY_CODE:
        limits.append(Problem("country", "INVALID", f"We deliver only within Vietnam (VN), not to {country}."))
    values["country"] = COUNTRY_CODE

    values["postal_code"] = _text(data, "postal_code").replace(" ", "")
    if values["postal_code"] and not _POSTAL_CODE.match(values["postal_code"]):
        problems.append(Problem("postal_code", "INVALID", "A Vietnamese postal code has 5 or 6 digits, e.g. 76000."))

    phone = _text(data, "phone")
    values["phone"] = phone
    if not phone:
        problems.append(Problem("phone", "REQUIRED", "This field is required."))
    else:
        normalized = normalize_phone(phone)
        if normalized is None:
            problems.append(
                Problem(
                    "phone",
                    "INVALID",
                    f"{phone} is not a Vietnamese phone number: write 0 and 9 digits (e.g. 0912 345 678) or +84….",
                )
            )
        elif rules.normalize:
            values["phone"] = normalized

    problems.extend(_check_units(data, values, normalize=rules.normalize))
    for name, max_length in MAX_LENGTHS.items():
        if len(values[name]) > max_length:
            limits.append(Problem(name, "INVALID", f"Ensure this value has at most {max_length} characters."))
    problems = limits + [
        problem
        for problem in problems
        if (rules.check_required or problem.code != "REQUIRED") and (rules.check_format or problem.code != "INVALID")
    ]
    if problems:
        raise AddressInvalid(problems)
    return values


# Model field -> the longest value the model stores, for every field an address is given.
MAX_LENGTHS: dict[str, int] = {**TEXT_FIELDS, "city": 256, "postal_code": 20, "country_area": 128, "phone": 32}


def _check_units(data: Mapping[str, Any], values: dict[str, str], *, normalize: bool = True) -> list[Problem]:
    """Fills the province and commune (names and codes) into `values`; the problems found on the way. Without
    `normalize` the names stay as typed; what is not recognised is kept as typed, without a code."""
    province_text = _text(data, "country_area")
    commune_text = _text(data, "city")
    values.update(country_area=province_text, province_code="", city=commune_text, commune_code="")
    problems: list[Problem] = []
    if not province_text:
        problems.append(Problem("country_area", "REQUIRED", "This field is required."))
    if not commune_text:
        problems.append(Problem("city", "REQUIRED", "This field is required."))
    if not province_text:
        return problems
    province = find_province(province_text)
    if province is None:
        problems.append(Problem("country_area", "INVALID", f"{province_text} is not one of Vietnam's 34 provinces."))
        return problems
    values.update(country_area=province.name if normalize else province_text, province_code=province.code)
    if not commune_text:
        return problems
    communes = find_communes(province, commune_text)
    if len(communes) == 1:
        values.update(city=communes[0].name if normalize else commune_text, commune_code=communes[0].code)
    elif communes:
        names = " or ".join(commune.name for commune in communes)
        problems.append(Problem("city", "INVALID", f"{commune_text} is ambiguous in {province.name}: {names}?"))
    else:
        elsewhere = _province_of_commune(commune_text)
        where = f" (it is in {elsewhere.name})" if elsewhere and elsewhere != province else ""
        problems.append(Problem("city", "INVALID", f"{commune_text} is not a commune of {province.name}{where}."))
    return problems


def _province_of_commune(value: str) -> Province | None:
    """The one province with a commune spelled `value`, to say where a misplaced commune is."""
    found = [province for province in _units().provinces if find_communes(province, value)]
    return found[0] if len(found) == 1 else None
