"""Menus and pages in the back office: operators only; a page's content is written as text."""

import pytest
from django.test import Client

from marketplace.accounts.models import Role
from marketplace.content.models import Menu, Page
from marketplace.content.services import menu_ensure, page_type_ensure
from tests.factories import make_user

URLS = (
    "/admin/content/menu/",
    "/admin/content/menu/add/",
    "/admin/content/page/",
    "/admin/content/page/add/",
    "/admin/content/pagetype/",
    "/admin/content/pageattribute/",
)


def _client(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


@pytest.mark.parametrize("role", [Role.PRODUCER_STAFF, Role.OUTLET_STAFF, Role.TRADE_STAFF])
def test_other_roles_never_see_menus_or_pages(db, role):
    client = _client(role)
    for url in URLS:
        assert client.get(url).status_code == 403, url


def test_an_operator_writes_a_page_as_text_and_edits_a_menu(db):
    client = _client(Role.OPERATOR)
    page_type = page_type_ensure(slug="thong-tin", name="Thông tin")
    menu, _ = menu_ensure(slug="navbar", name="Thanh điều hướng")
    for url in URLS:
        assert client.get(url).status_code == 200, url

    response = client.post(
        "/admin/content/page/add/",
        {
            "page_type": page_type.pk,
            "title": "Giới thiệu",
            "slug": "gioi-thieu",
            "content_text": "## Về chúng tôi\n\nHợp tác xã OCOP.",
            "title_en": "About",
            "slug_en": "about",
            "content_en_text": "OCOP cooperatives.",
            "is_published": "on",
            "attribute_values-TOTAL_FORMS": "0",
            "attribute_values-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    page = Page.objects.get(slug="gioi-thieu")
    assert page.content == {
        "blocks": [
            {"type": "header", "data": {"text": "Về chúng tôi", "level": 2}},
            {"type": "paragraph", "data": {"text": "Hợp tác xã OCOP."}},
        ]
    }
    assert page.content_en == {"blocks": [{"type": "paragraph", "data": {"text": "OCOP cooperatives."}}]}
    assert "## Về chúng tôi" in client.get(f"/admin/content/page/{page.pk}/change/").content.decode()

    response = client.post(
        f"/admin/content/menu/{menu.pk}/change/",
        {
            "name": "Thanh điều hướng",
            "slug": "navbar",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-name": "Hai đích",
            "items-0-sort_order": "0",
            "items-0-page": page.pk,
            "items-0-url": "https://ocop.example/",
        },
    )
    assert response.status_code == 200  # refused: an item links to one thing
    assert not Menu.objects.get(pk=menu.pk).items.exists()
