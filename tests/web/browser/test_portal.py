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


PHONE = {"width": 412, "height": 915}


def _png(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 110, 30)).save(out, format="PNG")
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
    expect(page.locator("#photos").get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Tệp ảnh")).to_be_focused()
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


def _sign_in_in_english(page: Page, live_server, user) -> None:
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("E-mail or user name").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your products")).to_be_visible()


def _fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_the_product_page_fits_and_a_save_answers_beside_its_form(live_server, page: Page, screenshot):
    """Issue 16 §4: the page is no wider than the phone (long outlet names in the stock form's selects), a failed
    save comes back at its form with the first wrong field focused and in view, and a save says so there."""
    page.set_viewport_size(PHONE)
    user = make_user(Role.PRODUCER_STAFF)
    product = make_product(producer=user.producer, name="Dưa lưới Inthanol RZ trồng trong nhà màng")
    make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    gift = make_variant(product, price=150_000, name="Hộp quà tặng cao cấp 2 trái")
    single = make_variant(product, price=80_000, name="1 trái")
    held = make_stock(
        gift, make_outlet(name="HTX DV NN Ca cao Suối Cát (Thanh Y Cacao) – điểm du lịch trải nghiệm"), quantity=12
    )
    make_stock(single, make_outlet(name="Điểm giới thiệu và bán sản phẩm OCOP tại Khu du lịch Bửu Long"), quantity=3)

    _sign_in_in_english(page, live_server, user)
    page.goto(f"{live_server.url}/portal/products/{product.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)
    assert _fits_the_phone(page)
    stock_form = page.locator("#stock form")
    for control in (stock_form.get_by_role("button", name="Save stock"), page.locator("#id_new_outlet")):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "portal-product-phone")
    assert axe_violations(page) == []

    # A quantity below zero: the page comes back at the stock form, the field focused and on screen.
    quantity = page.locator(f"#id_stock_{gift.pk}_{held.outlet_id}")
    quantity.fill("-1")
    page.get_by_role("button", name="Save stock").click()
    page.wait_for_url(f"**/portal/products/{product.pk}/stock/#stock")
    expect(quantity).to_be_focused()
    expect(quantity).to_be_in_viewport()
    summary = page.locator("#stock").get_by_role("alert")
    expect(summary).to_contain_text("This was not saved")
    expect(summary).to_be_in_viewport()
    assert _fits_the_phone(page)
    whole = screenshot(page, "portal-save-error")
    page.screenshot(path=whole.with_name("portal-save-error-screen.png"))  # what the phone shows
    assert axe_violations(page) == []

    # Corrected: back at the section, the message beside the form, in view.
    quantity.fill("20")
    page.get_by_role("button", name="Save stock").click()
    page.wait_for_url(f"**/portal/products/{product.pk}/#stock")
    saved = page.locator("#stock").get_by_role("status")
    expect(saved).to_have_text("Stock saved.")
    expect(saved).to_be_in_viewport()
    expect(page.locator(".site-header ~ .messages")).to_have_count(0)
    whole = screenshot(page, "portal-save-ok")
    page.screenshot(path=whole.with_name("portal-save-ok-screen.png"))
