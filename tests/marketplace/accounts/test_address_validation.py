"""Vietnamese addresses against today's units: 34 provinces, communes without districts."""

import unicodedata

import pytest

from marketplace.accounts import address_validation
from marketplace.accounts.address_validation import (
    AddressInvalid,
    commune_choices,
    normalize_phone,
    province_choices,
    validate_address,
)


def address(**overrides):
    data = {
        "first_name": "An",
        "last_name": "Nguyễn",
        "street_address_1": "12 Đường Võ Thị Sáu",
        "country_area": "Tỉnh Đồng Nai",
        "city": "Phường Trấn Biên",
        "phone": "0912 345 678",
    }
    data.update(overrides)
    return data


def problems(**overrides):
    with pytest.raises(AddressInvalid) as caught:
        validate_address(address(**overrides))
    return caught.value.problems


@pytest.mark.parametrize("province", ["Tỉnh Đồng Nai", "Đồng Nai", "dong nai", "DONG NAI", "75", " tỉnh  đồng nai "])
@pytest.mark.parametrize("commune", ["Phường Trấn Biên", "Trấn Biên", "tran bien", "phuong tran bien", "26041"])
def test_province_and_commune_in_any_spelling_are_stored_under_their_official_names(province, commune):
    values = validate_address(address(country_area=province, city=commune))
    assert values["country_area"] == "Tỉnh Đồng Nai"
    assert values["province_code"] == "75"
    assert values["city"] == "Phường Trấn Biên"
    assert values["commune_code"] == "26041"
    assert values["country"] == "VN"


@pytest.mark.parametrize("province", ["Thành phố Hồ Chí Minh", "Hồ Chí Minh", "TP. Hồ Chí Minh", "TP HCM", "hcm"])
def test_cities_by_their_usual_names(province):
    values = validate_address(address(country_area=province, city="Sài Gòn"))
    assert (values["country_area"], values["city"]) == ("Thành phố Hồ Chí Minh", "Phường Sài Gòn")


def test_a_commune_of_another_province_is_refused_and_placed():
    assert problems(city="Phường Sài Gòn") == [
        (
            "city",
            "INVALID",
            "Phường Sài Gòn is not a commune of Tỉnh Đồng Nai (it is in Thành phố Hồ Chí Minh).",
        )
    ]


def test_a_commune_that_no_longer_exists_is_refused():
    # Biên Hòa was a city with wards; since July 2025 its centre is Phường Trấn Biên.
    assert problems(city="Thành phố Biên Hòa") == [
        ("city", "INVALID", "Thành phố Biên Hòa is not a commune of Tỉnh Đồng Nai.")
    ]


def test_an_unknown_province_is_refused():
    assert problems(country_area="Bình Dương", city="Thủ Dầu Một") == [
        ("country_area", "INVALID", "Bình Dương is not one of Vietnam's 34 provinces.")
    ]


def test_communes_told_apart_only_by_diacritics_need_them():
    assert problems(city="loc thanh") == [
        ("city", "INVALID", "loc thanh is ambiguous in Tỉnh Đồng Nai: Xã Lộc Thạnh or Xã Lộc Thành?")
    ]
    assert validate_address(address(city="Lộc Thạnh"))["city"] == "Xã Lộc Thạnh"
    assert validate_address(address(city="xã lộc thành"))["city"] == "Xã Lộc Thành"


def test_text_is_nfc_and_tidied():
    decomposed = unicodedata.normalize("NFD", "  12   Đường  Võ Thị Sáu <b>\u200b</b> ")
    values = validate_address(address(street_address_1=decomposed, city=unicodedata.normalize("NFD", "Trấn Biên")))
    assert values["street_address_1"] == "12 Đường Võ Thị Sáu"
    assert unicodedata.is_normalized("NFC", values["street_address_1"])
    assert values["city"] == "Phường Trấn Biên"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912-345-678", "+84912345678"),
        ("+84 0912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0388 123 456", "+84388123456"),
        ("0251 3822 222", "+842513822222"),  # a Đồng Nai landline
        ("(028) 3829 5555", "+842838295555"),  # a Hồ Chí Minh City landline
    ],
)
def test_vietnamese_phone_numbers_are_stored_as_plus_84(given, stored):
    assert normalize_phone(given) == stored
    assert validate_address(address(phone=given))["phone"] == stored


@pytest.mark.parametrize("given", ["912345678", "091234567", "09123456789", "0112345678", "+1 415 555 0100", "phone"])
def test_other_phone_numbers_are_refused(given):
    assert normalize_phone(given) is None
    assert [(field, code) for field, code, _ in problems(phone=given)] == [("phone", "INVALID")]


def test_required_fields_are_named_as_the_model_names_them():
    with pytest.raises(AddressInvalid) as caught:
        validate_address({})
    assert [(field, code) for field, code, _ in caught.value.problems] == [
        ("first_name", "REQUIRED"),
        ("street_address_1", "REQUIRED"),
        ("phone", "REQUIRED"),
        ("country_area", "REQUIRED"),
        ("city", "REQUIRED"),
    ]


def test_street_may_be_left_out_when_not_required():
    values = validate_address(address(street_address_1=""), require_street=False)
    assert values["street_address_1"] == ""


def test_only_vietnam():
    assert problems(country="US") == [("country", "INVALID", "We deliver only within Vietnam (VN), not to US.")]
    assert validate_address(address(country="vn"))["country"] == "VN"


def test_postal_codes_and_lengths():
    assert validate_address(address(postal_code="76000"))["postal_code"] == "76000"
    assert [(f, c) for f, c, _ in problems(postal_code="7600")] == [("postal_code", "INVALID")]
    assert [(f, c) for f, c, _ in problems(city_area="x" * 129)] == [("city_area", "INVALID")]


def test_the_values_are_exactly_the_address_fields():
    values = validate_address(address(company_name="HTX Bưởi", city_area="Khu phố 3", postal_code="76000"))
    assert set(values) == {
        "first_name",
        "last_name",
        "company_name",
        "street_address_1",
        "street_address_2",
        "city",
        "city_area",
        "postal_code",
        "country",
        "country_area",
        "phone",
        "province_code",
        "commune_code",
    }


def test_choices():
    provinces = province_choices()
    assert len(provinces) == 34
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    dong_nai = commune_choices("dong nai")
    assert len(dong_nai) == 95
    assert {c.province_code for c in dong_nai} == {"75"}
    assert "Phường Trấn Biên" in {c.name for c in dong_nai}
    assert commune_choices("Atlantis") == []
    assert commune_choices(None) == []


def test_the_units_are_read_once():
    address_validation._units.cache_clear()
    validate_address(address())
    validate_address(address(city="tran bien"))
    province_choices()
    info = address_validation._units.cache_info()
    assert (info.misses, info.currsize) == (1, 1)
