"""The fullest address an outlet has, wherever a buyer reads it, and the back office's warning about the ones a
buyer cannot find (issue 16 §5: eight of thirteen demo outlets showed only "Tỉnh Đồng Nai")."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.accounts.models import Role
from marketplace.outlets.models import Outlet
from tests.factories import make_outlet, make_user


def test_the_street_with_todays_commune_and_province():
    outlet = Outlet(address_line="1 Đường Võ Thị Sáu", commune="Phường Trấn Biên", province="Tỉnh Đồng Nai")
    assert outlet.full_address == "1 Đường Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai"
    assert outlet.address_is_complete


def test_without_a_street_the_address_before_2025_with_todays_names_after_it():
    outlet = Outlet(
        address_before_2025="Khu du lịch Bửu Long, đường Huỳnh Văn Nghệ, phường Bửu Long, TP Biên Hòa",
        commune="Phường Trấn Biên",
        province="Tỉnh Đồng Nai",
    )
    assert outlet.full_address == (
        "Khu du lịch Bửu Long, đường Huỳnh Văn Nghệ, phường Bửu Long, TP Biên Hòa (Phường Trấn Biên, Tỉnh Đồng Nai)"
    )
    assert outlet.address_is_complete


def test_only_a_province_is_incomplete():
    outlet = Outlet(province="Tỉnh Đồng Nai")
    assert outlet.full_address == "Tỉnh Đồng Nai" and not outlet.address_is_complete


@pytest.mark.django_db
def test_the_back_office_asks_operators_to_complete_the_addresses():
    make_outlet(name="Showroom đầy đủ", address_line="1 Võ Thị Sáu", commune="Phường Trấn Biên", province="Đồng Nai")
    lacking = make_outlet(name="Gian hàng thiếu địa chỉ", address_line="", commune="", province="Tỉnh Đồng Nai")
    client = Client()
    client.force_login(make_user(Role.OPERATOR))

    listing = client.get("/admin/outlets/outlet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "have no street address, commune or province" in listing and "Gian hàng thiếu địa chỉ" in listing
    page = client.get(f"/admin/outlets/outlet/{lacking.pk}/change/").content.decode()
    assert "address is incomplete" in page
