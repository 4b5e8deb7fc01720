"""The producer portal in a real browser: a cooperative signs in, changes a price and sees it on the shop."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.catalogue.services import products_refresh_listing
from tests.factories import (
    DEFAULT_PASSWORD,
    make_certification,
    make_outlet,
    make_product,
    make_stock,
    make_user,
    make_variant,
)
from tests.order_factories import make_delivery_order, make_order
from tests.web.browser.helpers import axe_violations
from tests.web.test_portal import make_producer_part

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 110, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_producer_changes_a_price_and_sees_it_on_the_storefront(live_server, page: Page, screenshot):
    user = make_user(Role.PRODUCER_STAFF)
    today = timezone.localdate()
    product = make_product(producer=user.producer, name="Cà phê Robusta Xuân Lộc", name_en="Xuan Loc Robusta coffee")
    make_certification(product, stars=4, valid_until=today + datetime.timedelta(days=25))
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    variant = make_variant(product, price=100_000, name="Túi 500 g")
    stock = make_stock(variant, make_outlet(name="Trung tâm OCOP Biên Hòa"), quantity=12)
    make_product(producer=user.producer, name="Bưởi Tân Triều")  # not certified: never listed
    delivery = make_delivery_order(total_charged_amount=330_000)
    make_producer_part(delivery, user, variant, stock)
    make_producer_part(make_order(), user, variant, stock)

    # Signing in (in Vietnamese, the default) lands on the portal.
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("E-mail hoặc tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Sản phẩm của bạn")).to_be_visible()
    expect(page.get_by_role("heading", name="Giấy chứng nhận cần chú ý")).to_be_visible()
    expect(page.locator("[data-warning='30']")).to_contain_text("còn 25 ngày")
    screenshot(page, "portal-overview")
    assert axe_violations(page) == []

    # The product page: registry facts read-only, the price form.
    page.get_by_role("link", name="Cà phê Robusta Xuân Lộc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cà phê Robusta Xuân Lộc")
    expect(page.get_by_role("textbox", name="Tên", exact=True)).to_have_count(0)
    price = page.get_by_label(f"Giá của Túi 500 g ({variant.sku}) (đồng)")
    expect(price).to_have_value("100000")
    screenshot(page, "portal-product")
    assert axe_violations(page) == []

    price.fill("185.000")
    page.get_by_role("button", name="Lưu giá").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu giá")
    expect(page.get_by_label(f"Giá của Túi 500 g ({variant.sku}) (đồng)")).to_have_value("185000")

    # A file that is not a picture is refused with a message next to the field; a real photo is kept.
    page.get_by_label("Tệp ảnh").set_input_files(
        {"name": "bang-gia.png", "mimeType": "image/png", "buffer": b"not a picture"}
    )
    page.get_by_role("button", name="Thêm ảnh").click()
    expect(page.get_by_role("alert")).to_contain_text("Tệp này không phải là ảnh dùng được")
    page.get_by_label("Tệp ảnh").set_input_files({"name": "ca-phe.png", "mimeType": "image/png", "buffer": _png()})
    page.get_by_label("Nội dung ảnh").fill("Túi cà phê Robusta 500 g")
    page.get_by_role("button", name="Thêm ảnh").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm ảnh")
    expect(page.get_by_role("img", name="Túi cà phê Robusta 500 g")).to_have_count(1)

    # The storefront's provenance page shows the new price.
    page.goto(f"{live_server.url}/p/{product.slug}/")
    expect(page.locator(".price").first).to_contain_text("185.000 ₫")

    # Orders: the delivery part is shipped with its tracking number; the pickup one says where it is collected.
    page.goto(f"{live_server.url}/portal/orders/")
    expect(page.get_by_role("heading", name=f"Đơn hàng #{delivery.number}")).to_be_visible()
    screenshot(page, "portal-orders")
    assert axe_violations(page) == []
    page.get_by_label("Mã vận đơn").fill("GHN-000123")
    page.get_by_role("button", name="Đánh dấu phần của tôi đã gửi").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đơn hàng #{delivery.number}")
    page.get_by_role("link", name="Hiện mọi đơn hàng, kể cả đơn đã xong").click()
    expect(page.get_by_text("GHN-000123")).to_be_visible()
