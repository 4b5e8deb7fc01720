import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.catalogue.models import Category, Collection
from marketplace.content.editorjs import blocks_from_text, text_from_blocks
from marketplace.content.models import MenuItem, PageAttributeKind
from marketplace.content.selectors import visible_pages
from marketplace.content.services import (
    menu_ensure,
    menu_item_add,
    page_attribute_ensure,
    page_attribute_value_set,
    page_create,
    page_type_ensure,
)


def _group() -> Category:
    return Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code="1", name="Thực phẩm", slug="thuc-pham"
    )


def test_editorjs_text_round_trip():
    text = "## Nhận hàng\n\nĐặt   hàng trực tuyến,\nnhận tại điểm.\n\n- Mang mã nhận hàng\n- Thanh toán <b>tại quầy</b>"

    blocks = blocks_from_text(text)

    assert blocks == {
        "blocks": [
            {"type": "header", "data": {"text": "Nhận hàng", "level": 2}},
            {"type": "paragraph", "data": {"text": "Đặt hàng trực tuyến, nhận tại điểm."}},
            {"type": "list", "data": {"style": "unordered", "items": ["Mang mã nhận hàng", "Thanh toán tại quầy"]}},
        ]
    }
    assert blocks_from_text(text_from_blocks(blocks)) == blocks
    assert blocks_from_text(" \n\n ") is None


def test_menu_items_nest_and_link_to_one_thing_at_most(db):
    menu, created = menu_ensure(slug="navbar", name="Main")
    again, created_again = menu_ensure(slug="navbar", name="Other")
    group = _group()
    heading = menu_item_add(menu=menu, name="Sản phẩm")
    child = menu_item_add(menu=menu, name="Thực phẩm", parent=heading, category=group)
    grandchild = menu_item_add(menu=menu, name="Trang", parent=child, url="https://ocop.example/")

    assert created and not created_again and again == menu
    assert [heading.level, child.level, grandchild.level] == [0, 1, 2]
    assert menu_item_add(menu=menu, name="Sau").sort_order == 1
    with pytest.raises(ValidationError) as too_many:
        menu_item_add(menu=menu, name="Hai đích", category=group, url="https://ocop.example/")
    assert too_many.value.error_dict["__all__"][0].code == "TOO_MANY_MENU_ITEMS"
    with pytest.raises(ValidationError) as too_deep:
        menu_item_add(menu=menu, name="Sâu", parent=grandchild)
    assert too_deep.value.error_dict["parent"][0].code == "INVALID"
    footer, _ = menu_ensure(slug="footer", name="Footer")
    with pytest.raises(ValidationError) as elsewhere:
        menu_item_add(menu=footer, name="Lạc", parent=heading)
    assert elsewhere.value.error_dict["parent"][0].code == "CANNOT_ASSIGN_NODE"


def test_a_menu_item_cannot_move_under_itself_nor_too_deep(db):
    menu, _ = menu_ensure(slug="navbar", name="Main")
    top = menu_item_add(menu=menu, name="A")
    child = menu_item_add(menu=menu, name="B", parent=top)
    other = menu_item_add(menu=menu, name="C")
    lone = menu_item_add(menu=menu, name="D")

    top.parent = child
    with pytest.raises(ValidationError):
        top.full_clean()
    other.parent = child  # C under B: level 2, fine
    other.full_clean()
    top.parent = lone  # A (with B below) under D: A at 1, B at 2, fine
    top.full_clean()
    lone.parent = other
    lone.save(update_fields=["parent"])
    top.parent = lone  # D at 3 would put A at 3
    with pytest.raises(ValidationError):
        top.full_clean()


def test_the_database_refuses_two_targets(db):
    menu, _ = menu_ensure(slug="navbar", name="Main")
    collection = Collection.objects.create(name="5 sao", slug="5-sao", is_published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(menu=menu, name="x", collection=collection, url="https://ocop.example/")


def test_pages_visible_only_once_published(db):
    page_type = page_type_ensure(slug="thong-tin", name="Thông tin")
    shown = page_create(page_type=page_type, title="Giới thiệu", slug="gioi-thieu", text="Xin chào")
    page_create(page_type=page_type, title="Nháp", slug="nhap", is_published=False)
    later = page_create(
        page_type=page_type,
        title="Sắp tới",
        slug="sap-toi",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    assert list(visible_pages()) == [shown]
    assert later in visible_pages(now=timezone.now() + datetime.timedelta(days=2))
    assert shown.content == {"blocks": [{"type": "paragraph", "data": {"text": "Xin chào"}}]}
    with pytest.raises(ValidationError):
        page_create(page_type=page_type, title="Trùng", slug="trung", slug_en="about", title_en="About")
        page_create(page_type=page_type, title="Trùng 2", slug="trung-2", slug_en="about", title_en="About")


def test_page_attribute_values_belong_to_the_page_type_and_its_kind(db):
    heading = page_attribute_ensure(slug="hero-heading", name="Tiêu đề", kind=PageAttributeKind.PLAIN_TEXT)
    stray = page_attribute_ensure(slug="featured-limit", name="Số sản phẩm", kind=PageAttributeKind.NUMERIC)
    page_type = page_type_ensure(slug="storefront-homepage", name="Trang chủ", attributes=[heading])
    page = page_create(page_type=page_type, title="Trang chủ", slug="storefront-homepage")

    value = page_attribute_value_set(page=page, attribute=heading, text="Đặc sản  Đồng Nai", text_en="Đồng Nai")
    replaced = page_attribute_value_set(page=page, attribute=heading, text="Đặc sản OCOP")

    assert replaced.pk == value.pk and replaced.text == "Đặc sản OCOP" and replaced.text_en == "Đồng Nai"
    with pytest.raises(ValidationError):
        page_attribute_value_set(page=page, attribute=stray, number=8)
    with pytest.raises(ValidationError):
        page_attribute_value_set(page=page, attribute=heading, number=8)
