"""The producer portal: who may open it, what a cooperative's staff may change, and what they see."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import editable_fields
from marketplace.catalogue.models import ListingReason, Product, ProductMedia, ProductVariantChannelListing
from marketplace.catalogue.permissions import PRODUCT
from marketplace.catalogue.services import products_refresh_listing
from marketplace.catalogue.signals import products_changed
from marketplace.certification.models import CertificationStatus
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, FulfillmentLine, FulfillmentStatus, OrderLine, OrderStatus
from search.models import SearchIndexMark
from tests.factories import (
    make_certification,
    make_outlet,
    make_producer,
    make_product,
    make_stock,
    make_user,
    make_variant,
)
from tests.order_factories import make_delivery_order, make_order
from web.portal.services import PRODUCER_EDITABLE_PRODUCT_FIELDS


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _listed_product(producer, **kw) -> Product:
    product = make_product(producer=producer, **kw)
    make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    return product


@pytest.fixture
def coop(db):
    """A cooperative's staff member with one listed product: one variant at 100.000 ₫, 10 held at a showroom."""
    user = make_user(Role.PRODUCER_STAFF)
    product = _listed_product(user.producer, name="Cà phê Robusta Xuân Lộc")
    variant = make_variant(product, price=100_000, name="Túi 500 g")
    stock = make_stock(variant, make_outlet(name="Trung tâm OCOP Biên Hòa"), quantity=10)
    return type("Coop", (), {"user": user, "product": product, "variant": variant, "stock": stock})


def _png(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(out, format="GIF")
    return out.getvalue()


def _pages(coop) -> list[tuple[str, str]]:
    product = coop.product
    return [
        ("get", "/portal/"),
        ("get", f"/portal/products/{product.pk}/"),
        ("get", "/portal/orders/"),
        ("post", f"/portal/products/{product.pk}/prices/"),
        ("post", f"/portal/products/{product.pk}/stock/"),
        ("post", f"/portal/products/{product.pk}/descriptions/"),
        ("post", f"/portal/products/{product.pk}/photos/"),
        ("post", "/portal/orders/1/ship/"),
    ]


# --- who may open what --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(coop):
    for method, url in _pages(coop):
        response = getattr(_client(), method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.OUTLET_STAFF, Role.TRADE_STAFF, Role.OPERATOR])
def test_other_roles_are_refused(coop, role):
    client = _client(make_user(role))
    for method, url in _pages(coop):
        assert getattr(client, method)(url).status_code == 403, url


def test_another_producers_staff_see_none_of_it(coop):
    other = make_user(Role.PRODUCER_STAFF)
    client = _client(other)
    overview = client.get("/portal/")
    assert overview.status_code == 200
    assert coop.product.name not in overview.content.decode()
    product = coop.product
    assert client.get(f"/portal/products/{product.pk}/").status_code == 404
    response = client.post(f"/portal/products/{product.pk}/prices/", {f"variant_{coop.variant.pk}": "1"})
    assert response.status_code == 404
    response = client.post(
        f"/portal/products/{product.pk}/descriptions/", {"seller_description": "x", "seller_description_en": "x"}
    )
    assert response.status_code == 404
    stock_key = f"stock_{coop.variant.pk}_{coop.stock.outlet_id}"
    assert client.post(f"/portal/products/{product.pk}/stock/", {stock_key: "0"}).status_code == 404
    photo = ProductMedia.objects.create(product=product, source=ProductMedia.Source.PRODUCER, status="ready")
    assert client.post(f"/portal/products/{product.pk}/photos/{photo.pk}/remove/").status_code == 404
    assert ProductMedia.objects.filter(pk=photo.pk).exists()
    assert ProductVariantChannelListing.objects.get(variant=coop.variant).price_amount == 100_000
    assert Stock.objects.get(pk=coop.stock.pk).quantity == 10


def test_the_overview_lists_every_own_product_and_why_it_is_not_sold(coop):
    draft = make_product(producer=coop.user.producer, name="Bưởi Tân Triều")  # no certificate: never listed
    make_product(name="Someone else's pomelo")
    body = _client(coop.user).get("/portal/").content.decode()
    assert coop.product.name in body and draft.name in body
    assert "Someone else&#x27;s pomelo" not in body and "Someone else's pomelo" not in body
    assert "For sale" in body
    assert "Not for sale" in body and "No valid certificate" in body


def test_the_forms_need_csrf(coop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coop.user)
    response = client.post(f"/portal/products/{coop.product.pk}/prices/", {f"variant_{coop.variant.pk}": "1"})
    assert response.status_code == 403


# --- prices, stock, descriptions ----------------------------------------------------------------------------


def test_a_price_change_is_saved_and_announced(coop, django_capture_on_commit_callbacks):
    announced = []

    def receiver(sender, product_ids, **kwargs):
        announced.append(product_ids)

    products_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _client(coop.user).post(
                f"/portal/products/{coop.product.pk}/prices/", {f"variant_{coop.variant.pk}": "185.000 ₫"}
            )
    finally:
        products_changed.disconnect(receiver)
    assert response.status_code == 302 and response.url.endswith(f"/portal/products/{coop.product.pk}/#prices")
    assert ProductVariantChannelListing.objects.get(variant=coop.variant).price_amount == 185_000
    assert announced == [[coop.product.pk]]
    assert SearchIndexMark.objects.filter(product_id=coop.product.pk).exists()


def test_a_variant_without_a_price_gets_one(coop):
    variant = make_variant(coop.product, price=None, name="Hộp 1 kg")
    client = _client(coop.user)
    response = client.post(
        f"/portal/products/{coop.product.pk}/prices/",
        {f"variant_{coop.variant.pk}": "100000", f"variant_{variant.pk}": "190,000"},
    )
    assert response.status_code == 302
    assert ProductVariantChannelListing.objects.get(variant=variant).price_amount == 190_000


@pytest.mark.parametrize("typed", ["0", "-5", "abc", "1.5", "150000.50", "", "2000000000"])
def test_a_price_must_be_a_positive_whole_number_of_dong(coop, typed):
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/prices/", {f"variant_{coop.variant.pk}": typed}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body and "This was not saved" in body
    assert ProductVariantChannelListing.objects.get(variant=coop.variant).price_amount == 100_000


def test_a_price_for_a_variant_of_another_product_is_ignored(coop):
    other = make_variant(make_product(), price=50_000)
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/prices/",
        {f"variant_{coop.variant.pk}": "120000", f"variant_{other.pk}": "1"},
    )
    assert response.status_code == 302
    assert ProductVariantChannelListing.objects.get(variant=other).price_amount == 50_000


def test_stock_is_changed_and_added_at_another_outlet(coop):
    tourist_site = make_outlet(name="Khu du lịch Bửu Long")
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/stock/",
        {
            f"stock_{coop.variant.pk}_{coop.stock.outlet_id}": "25",
            "new_variant": str(coop.variant.pk),
            "new_outlet": str(tourist_site.pk),
            "new_quantity": "7",
        },
    )
    assert response.status_code == 302
    assert Stock.objects.get(pk=coop.stock.pk).quantity == 25
    assert Stock.objects.get(variant=coop.variant, outlet=tourist_site).quantity == 7


def test_stock_cannot_go_below_what_orders_hold(coop):
    Stock.objects.filter(pk=coop.stock.pk).update(quantity_allocated=4)
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/stock/", {f"stock_{coop.variant.pk}_{coop.stock.outlet_id}": "3"}
    )
    assert response.status_code == 400
    assert "4 are promised to orders; the quantity cannot be lower." in response.content.decode()
    assert Stock.objects.get(pk=coop.stock.pk).quantity == 10
    # Exactly what is promised is fine.
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/stock/", {f"stock_{coop.variant.pk}_{coop.stock.outlet_id}": "4"}
    )
    assert response.status_code == 302
    assert Stock.objects.get(pk=coop.stock.pk).quantity == 4


def test_the_service_refuses_below_allocated_even_when_the_form_saw_less(coop):
    """An order placed between showing the form and saving it: the service checks under lock."""
    from marketplace.core.errors import DomainError
    from web.portal.services import stock_update_quantities

    Stock.objects.filter(pk=coop.stock.pk).update(quantity_allocated=6)
    with pytest.raises(DomainError) as refused:
        stock_update_quantities(
            product=coop.product, quantities={(coop.variant.pk, coop.stock.outlet_id): 5}, by_user=coop.user
        )
    assert refused.value.details[0].code == "BELOW_ALLOCATED"


def test_descriptions_are_saved_in_both_languages(coop):
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/descriptions/",
        {
            "seller_description": "Cà phê rang mộc, xay theo yêu cầu.",
            "seller_description_en": "Roasted without additives.",
        },
    )
    assert response.status_code == 302
    coop.product.refresh_from_db()
    assert coop.product.seller_description == "Cà phê rang mộc, xay theo yêu cầu."
    assert coop.product.seller_description_en == "Roasted without additives."


def test_registry_owned_fields_cannot_be_changed_even_by_a_crafted_post(coop):
    product = coop.product
    before = Product.objects.values(
        "name", "name_en", "description", "registry_id", "group_id", "producer_id", "product_set", "listing_state"
    ).get(pk=product.pk)
    crafted = {
        "seller_description": "ok",
        "seller_description_en": "ok",
        "name": "Renamed",
        "name_en": "Renamed",
        "description": "Rewritten",
        "registry_id": "FAKE",
        "producer": str(make_producer().pk),
        "product_set": "Other",
        "listing_state": "listed",
    }
    client = _client(coop.user)
    for url in ("descriptions", "prices", "stock"):
        client.post(f"/portal/products/{product.pk}/{url}/", crafted)
    after = Product.objects.values(*before).get(pk=product.pk)
    assert after == before
    page = client.get(f"/portal/products/{product.pk}/").content.decode()
    fields = set(re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', page))
    assert fields.isdisjoint({"name", "name_en", "description", "registry_id", "producer", "group", "product_set"})
    assert {"seller_description", "seller_description_en"} <= fields


def test_the_portal_edits_exactly_the_product_fields_the_role_rules_grant(coop):
    every_field = [field.name for field in Product._meta.fields]
    assert editable_fields(coop.user, PRODUCT, every_field, adding=False) == set(PRODUCER_EDITABLE_PRODUCT_FIELDS)


# --- feedback where the eye is (issue 16 §4) -----------------------------------------------------------------


def _section(body: str, section: str) -> str:
    """The HTML of the product page's <section id=...> (sections are not nested)."""
    start = body.index(f'<section id="{section}"')
    return body[start : body.index("</section>", start)]


def _before_main(body: str) -> str:
    return body[: body.index('<main id="main">')]


@pytest.mark.parametrize(
    ("section", "post", "message"),
    [
        ("prices", lambda coop: {f"variant_{coop.variant.pk}": "185000"}, "Prices saved. Shoppers see them now."),
        ("prices", lambda coop: {f"variant_{coop.variant.pk}": "100000"}, "No price changed."),
        ("packs", lambda coop: {f"pack_{coop.variant.pk}": "Bag 500 g"}, "English pack names saved."),
        ("stock", lambda coop: {f"stock_{coop.variant.pk}_{coop.stock.outlet_id}": "12"}, "Stock saved."),
        ("descriptions", lambda coop: {"seller_description": "Rang mộc."}, "Descriptions saved."),
        (
            "photos",
            lambda coop: {"photo": SimpleUploadedFile("a.png", _png(), "image/png")},
            "Photo added. Shoppers see it with the product.",
        ),
    ],
)
def test_a_saved_form_says_so_in_its_own_section_not_at_the_top(coop, section, post, message):
    client = _client(coop.user)
    url = f"/portal/products/{coop.product.pk}/"
    response = client.post(f"{url}{section}/", post(coop))
    assert response.status_code == 302 and response.url == f"{url}#{section}"
    body = client.get(url).content.decode()
    assert body.count(message) == 1
    shown = _section(body, section)
    assert message in shown and 'role="status"' in shown
    # Beside the form: after the section's heading, before its form.
    assert shown.index("</h2>") < shown.index(message) < shown.index("<form")
    assert message not in _before_main(body)
    assert message not in client.get(url).content.decode()  # shown once


def test_every_form_of_the_product_page_posts_to_its_own_section(coop):
    """A new form on the page must name its section in views.PRODUCT_SECTIONS, or its messages go to the top."""
    from web.portal.views import PRODUCT_SECTIONS

    body = _client(coop.user).get(f"/portal/products/{coop.product.pk}/").content.decode()
    posting = {
        section
        for section in re.findall(r'<section id="([a-z]+)"', body)
        if re.search(rf'<form method="post" action="[^"#]+#{section}"', _section(body, section))
    }
    assert posting == set(PRODUCT_SECTIONS)


def test_a_removed_photo_is_announced_in_the_photos_section(coop):
    client = _client(coop.user)
    url = f"/portal/products/{coop.product.pk}/"
    client.post(f"{url}photos/", {"photo": SimpleUploadedFile("a.png", _png(), "image/png")})
    client.get(url)
    media = ProductMedia.objects.get(product=coop.product)
    assert client.post(f"{url}photos/{media.pk}/remove/").url == f"{url}#photos"
    body = client.get(url).content.decode()
    assert "Photo removed." in _section(body, "photos") and "Photo removed." not in _before_main(body)


def test_messages_about_no_section_stay_at_the_top(coop):
    """A message from elsewhere (a sign-in, another page) is not lost on the product page."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    client = _client(coop.user)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.INFO, "Welcome back.")])
    body = client.get(f"/portal/products/{coop.product.pk}/").content.decode()
    assert "Welcome back." in _before_main(body)


@pytest.mark.parametrize(
    ("section", "post", "field", "error"),
    [
        (
            "prices",
            lambda coop: {f"variant_{coop.variant.pk}": "abc"},
            lambda coop: f"variant_{coop.variant.pk}",
            "Enter a whole number of đồng",
        ),
        (
            "packs",
            lambda coop: {f"pack_{coop.variant.pk}": "x" * 256},
            lambda coop: f"pack_{coop.variant.pk}",
            "at most 255 characters",
        ),
        (
            "stock",
            # Both the table's quantity and the outlet to add are wrong: the table comes first on the page.
            lambda coop: {f"stock_{coop.variant.pk}_{coop.stock.outlet_id}": "-1", "new_quantity": "5"},
            lambda coop: f"stock_{coop.variant.pk}_{coop.stock.outlet_id}",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            "descriptions",
            lambda coop: {"seller_description": "x" * 10_001},
            lambda coop: "seller_description",
            "at most 10000 characters",
        ),
        (
            "photos",
            lambda coop: {"photo": SimpleUploadedFile("x.png", b"no", "image/png")},
            lambda coop: "photo",
            "This file is not a picture.",
        ),
    ],
)
def test_a_failed_save_comes_back_at_its_section_with_the_error_beside_the_form_and_focused(
    coop, section, post, field, error
):
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/{section}/", post(coop))
    assert response.status_code == 400
    body = response.content.decode()
    # The form posts to an address ending in its #section: the browser opens the page there.
    assert f'action="/portal/products/{coop.product.pk}/{section}/#{section}"' in body
    shown = _section(body, section)
    assert 'role="alert"' in shown and "This was not saved" in shown and error in shown
    assert "This was not saved" not in body.replace(shown, "")
    # The summary comes first in the form, then the first field at fault carries autofocus (the only one).
    assert shown.index('role="alert"') < shown.index(f'name="{field(coop)}"')
    assert body.count("autofocus") == 1
    assert re.search(rf'<(input|textarea)[^>]*name="{field(coop)}"[^>]*autofocus', body) or re.search(
        rf'<(input|textarea)[^>]*autofocus[^>]*name="{field(coop)}"', body
    )
    assert 'aria-invalid="true"' in shown
    assert "portal/focus_error.js" in body  # focuses it where the #section made the browser skip autofocus


def test_a_refusal_of_the_whole_form_focuses_its_summary(coop):
    from web.portal.forms import PriceForm
    from web.portal.selectors import product_variants

    form = PriceForm({f"variant_{coop.variant.pk}": "120000"}, variants=product_variants(product=coop.product))
    assert form.is_valid()
    form.add_error(None, "Refused.")
    form.focus_first_error()
    assert form.focus_summary
    assert not any(f.widget.attrs.get("autofocus") for f in form.fields.values())
    summary = render_to_string("portal/_errors.html", {"form": form})
    assert 'role="alert" tabindex="-1" autofocus' in summary and "Refused." in summary


@pytest.mark.parametrize(
    ("name", "content", "english"),
    [
        ("notes.png", b"these are not pixels", "not an image"),
        ("cut.png", _png()[:60], "truncated or corrupt"),
        ("anim.gif", _gif(), "is not allowed"),
        ("tiny.png", _png((10, 10)), "pixels is under the minimum"),
    ],
)
def test_upload_errors_carry_no_english_reason_into_vietnamese(coop, name, content, english):
    """The pipeline's reasons are English words for logs; the page says it all in the reader's language."""
    client = Client()
    client.force_login(coop.user)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="vi">' in body and "Chưa lưu được" in body
    assert english not in body and "(not an image)" not in body


def test_every_image_refusal_has_a_message_of_its_own():
    from marketplace.catalogue.images import ImageRejected, ImageRejectionCode, rejection_message

    params = {"size": 3 * 1024 * 1024, "max": 1024 * 1024, "format": "GIF", "width": 10, "height": 10}
    params |= {"min_side": 600, "max_pixels": 40_000_000}
    with translation.override("en"):
        messages = {
            code: rejection_message(ImageRejected("reason", code=code, **params)) for code in ImageRejectionCode
        }
        assert "pixels" in rejection_message(
            ImageRejected("r", code=ImageRejectionCode.TOO_MANY_PIXELS, max_pixels=10**7)
        )
    assert len(set(messages.values())) == len(ImageRejectionCode)
    assert all("reason" not in message for message in messages.values())
    assert messages[ImageRejectionCode.TOO_SMALL].startswith("This picture is 10×10 pixels")
    assert "600" in messages[ImageRejectionCode.TOO_SMALL]
    assert messages[ImageRejectionCode.TOO_MANY_PIXELS].startswith("This picture is 10×10 pixels, more than the 40")


# --- photos -------------------------------------------------------------------------------------------------


def test_a_photo_goes_through_the_image_pipeline(coop):
    upload = SimpleUploadedFile("ca-phe.png", _png((1200, 900)), content_type="image/png")
    response = _client(coop.user).post(
        f"/portal/products/{coop.product.pk}/photos/", {"photo": upload, "alt": "Túi cà phê 500 g"}
    )
    assert response.status_code == 302
    media = ProductMedia.objects.get(product=coop.product)
    assert media.source == ProductMedia.Source.PRODUCER and media.status == ProductMedia.Status.READY
    assert media.image.name == f"products/{coop.product.pk}/{media.pk}.webp"
    assert (media.width, media.height) == (1200, 900)
    assert set(media.renditions) == {"256", "512", "1024"}
    assert media.alt == "Túi cà phê 500 g"
    assert default_storage.exists(media.image.name)
    page = _client(coop.user).get(f"/portal/products/{coop.product.pk}/").content.decode()
    assert 'alt="Túi cà phê 500 g"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.png", b"these are not pixels", "This file is not a picture. Upload a JPEG, PNG or WebP photo."),
        ("empty.png", b"", "The submitted file is empty."),
        ("anim.gif", _gif(), "This picture is a GIF file. Upload a JPEG, PNG or WebP photo."),
        ("cut.png", _png()[:60], "This picture is damaged or incomplete."),
        ("tiny.png", _png((10, 10)), "This picture is 10×10 pixels; a product photo needs at least 600 pixels"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_saved(coop, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'role="alert"' in body
    assert not ProductMedia.objects.filter(product=coop.product).exists()


@pytest.mark.parametrize(
    ("size", "kept"), [((10, 10), False), ((599, 800), False), ((600, 600), True), ((1600, 600), True)]
)
def test_a_photo_needs_600_pixels_on_its_shorter_side(coop, size, kept):
    upload = SimpleUploadedFile("anh.png", _png(size), content_type="image/png")
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert ProductMedia.objects.filter(product=coop.product).exists() == kept
    if not kept:
        assert response.status_code == 400
        width, height = size
        assert (
            f"This picture is {width}×{height} pixels; a product photo needs at least 600 pixels on its shorter side."
            in response.content.decode()
        )


def test_the_minimum_photo_size_is_a_setting(coop, settings):
    settings.OCOP_PHOTO_MIN_SIDE = 1000
    upload = SimpleUploadedFile("anh.png", _png((1200, 900)), content_type="image/png")
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert response.status_code == 400 and "at least 1000 pixels" in response.content.decode()


def test_the_upload_field_says_what_photo_fits(coop):
    body = _client(coop.user).get(f"/portal/products/{coop.product.pk}/").content.decode()
    photos = _section(body, "photos")
    assert "at least 600 pixels on its shorter side" in photos and "Square or 4:3 shows best" in photos
    assert 'aria-describedby="id_photo_helptext"' in photos


def test_an_oversized_photo_is_refused_before_it_is_read(coop, settings):
    settings.OCOP_IMAGE_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), content_type="image/png")
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert response.status_code == 413  # by its Content-Length, before the body is read (tests/web/test_uploads.py)
    assert "This file is 2.0 MB; a photo may be at most 1 MB." in response.content.decode()
    assert not ProductMedia.objects.exists()


def test_a_photo_just_over_the_limit_is_refused_by_the_form(coop, settings):
    settings.OCOP_IMAGE_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 10), content_type="image/png")
    response = _client(coop.user).post(f"/portal/products/{coop.product.pk}/photos/", {"photo": upload})
    assert response.status_code == 400
    assert "This file is 1.0 MB; a photo may be at most 1 MB." in response.content.decode()
    assert not ProductMedia.objects.exists()


def test_own_photos_can_be_removed_registry_photos_cannot(coop, django_capture_on_commit_callbacks):
    client = _client(coop.user)
    client.post(
        f"/portal/products/{coop.product.pk}/photos/", {"photo": SimpleUploadedFile("a.png", _png(), "image/png")}
    )
    own = ProductMedia.objects.get(product=coop.product, source=ProductMedia.Source.PRODUCER)
    registry = ProductMedia.objects.create(
        product=coop.product, source=ProductMedia.Source.REGISTRY, registry_media_id="IMG-1", status="pending"
    )
    assert client.post(f"/portal/products/{coop.product.pk}/photos/{registry.pk}/remove/").status_code == 404
    assert ProductMedia.objects.filter(pk=registry.pk).exists()
    page = client.get(f"/portal/products/{coop.product.pk}/").content.decode()
    assert f"/photos/{registry.pk}/remove/" not in page and f"/photos/{own.pk}/remove/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/portal/products/{coop.product.pk}/photos/{own.pk}/remove/")
    assert response.status_code == 302
    assert not ProductMedia.objects.filter(pk=own.pk).exists()
    assert not default_storage.exists(own.image.name)


# --- certificates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "warning"),
    [(120, None), (91, None), (90, "90"), (31, "90"), (30, "30"), (8, "30"), (7, "7"), (0, "7"), (-1, "expired")],
)
def test_certificate_expiry_warnings_at_90_30_and_7_days(db, days_left, warning):
    user = make_user(Role.PRODUCER_STAFF)
    product = make_product(producer=user.producer, name="Hạt điều rang muối")
    today = timezone.localdate()
    make_certification(
        product, valid_from=today - datetime.timedelta(days=700), valid_until=today + datetime.timedelta(days=days_left)
    )
    body = _client(user).get("/portal/").content.decode()
    if warning is None:
        assert "Certificates needing attention" not in body
    else:
        assert "Certificates needing attention" in body
        assert f'data-warning="{warning}"' in body
    if warning == "expired":
        assert "expired on" in body
    elif warning:
        assert f"expires in {days_left} day" in body


def test_a_renewal_already_granted_silences_the_warning(db):
    user = make_user(Role.PRODUCER_STAFF)
    product = make_product(producer=user.producer)
    today = timezone.localdate()
    make_certification(product, valid_until=today + datetime.timedelta(days=5))
    make_certification(
        product, valid_from=today + datetime.timedelta(days=6), valid_until=today + datetime.timedelta(days=1100)
    )
    assert "Certificates needing attention" not in _client(user).get("/portal/").content.decode()


# --- orders -------------------------------------------------------------------------------------------------


def make_producer_part(order, user, variant, stock, *, name="Cà phê Robusta Xuân Lộc") -> Fulfillment:
    line = OrderLine.objects.create(
        order=order,
        variant=variant,
        producer=user.producer,
        product_name=name,
        variant_name="Túi 500 g",
        product_sku=variant.sku,
        quantity=2,
        unit_price_amount=100_000,
        total_price_amount=200_000,
        sort_order=9,
    )
    fulfillment = Fulfillment.objects.create(
        order=order,
        fulfillment_order=Fulfillment.objects.filter(order=order).count() + 1,
        producer=user.producer,
        outlet=stock.outlet,
        subtotal_amount=200_000,
        commission_amount=20_000,
        payout_amount=180_000,
    )
    FulfillmentLine.objects.create(fulfillment=fulfillment, order_line=line, stock=stock, quantity=2)
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=2)
    return fulfillment


def _their_part(order) -> Fulfillment:
    """The order factory's own line (another producer's), with its fulfilment."""
    line = order.lines.exclude(product_sku__startswith="TST-SKU").first()
    fulfillment = Fulfillment.objects.create(
        order=order,
        fulfillment_order=Fulfillment.objects.filter(order=order).count() + 1,
        producer=line.producer,
        outlet=make_outlet(),
        subtotal_amount=300_000,
        commission_amount=30_000,
        payout_amount=270_000,
    )
    FulfillmentLine.objects.create(fulfillment=fulfillment, order_line=line, quantity=2, is_allocated=False)
    return fulfillment


def test_orders_show_only_own_lines_and_a_delivery_part_can_be_shipped(coop):
    order = make_delivery_order()
    order.total_charged_amount = order.total_amount + 200_000
    order.total_amount += 200_000
    order.save()
    mine = make_producer_part(order, coop.user, coop.variant, coop.stock)
    _their_part(order)
    client = _client(coop.user)
    body = client.get("/portal/orders/").content.decode()
    assert "Cà phê Robusta Xuân Lộc" in body
    assert "Bưởi Tân Triều" not in body  # the other producer's line
    assert f"#{order.number}" in body and "Mark my part shipped" in body

    assert "1 order is waiting for your part." in client.get("/portal/").content.decode()
    response = client.post(f"/portal/orders/{mine.pk}/ship/", {"tracking_number": "GHN-123456"})
    assert response.status_code == 302
    assert "0 orders are waiting for your part." in client.get("/portal/").content.decode()
    mine.refresh_from_db()
    assert mine.status == FulfillmentStatus.SHIPPED and mine.tracking_number == "GHN-123456"
    assert Stock.objects.get(pk=coop.stock.pk).quantity == 8
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED  # the other producer has not shipped yet


def test_an_unpaid_card_order_cannot_be_shipped_and_says_why(coop):
    order = make_delivery_order()
    mine = make_producer_part(order, coop.user, coop.variant, coop.stock)
    client = _client(coop.user)
    response = client.post(f"/portal/orders/{mine.pk}/ship/", {"tracking_number": ""}, follow=True)
    assert "The order is not paid yet." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == FulfillmentStatus.PENDING


def test_another_producers_part_cannot_be_shipped(coop):
    order = make_delivery_order(total_charged_amount=330_000)
    theirs = _their_part(order)
    assert _client(coop.user).post(f"/portal/orders/{theirs.pk}/ship/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == FulfillmentStatus.PENDING


def test_a_pickup_order_shows_where_it_is_collected(coop):
    order = make_order()
    make_producer_part(order, coop.user, coop.variant, coop.stock)
    body = _client(coop.user).get("/portal/orders/").content.decode()
    assert order.collection_point_name in body
    assert "Mark my part shipped" not in body


# --- query counts and escaping ------------------------------------------------------------------------------


def _products(producer, count: int) -> None:
    for _ in range(count):
        product = _listed_product(producer)
        make_stock(make_variant(product), quantity=3)


def test_the_overview_query_count_does_not_grow_with_products(coop, django_assert_max_num_queries):
    client = _client(coop.user)
    _products(coop.user.producer, 2)
    with django_assert_max_num_queries(8):
        assert client.get("/portal/").status_code == 200
    _products(coop.user.producer, 8)
    with django_assert_max_num_queries(8):
        assert client.get("/portal/").status_code == 200


def test_the_orders_query_count_does_not_grow_with_orders(coop, django_assert_max_num_queries):
    client = _client(coop.user)

    def orders(count: int) -> None:
        for _ in range(count):
            make_producer_part(make_delivery_order(total_charged_amount=330_000), coop.user, coop.variant, coop.stock)
            make_producer_part(make_order(), coop.user, coop.variant, coop.stock)

    orders(1)
    with django_assert_max_num_queries(8):
        assert client.get("/portal/orders/?show=all").status_code == 200
    orders(6)
    with django_assert_max_num_queries(8):
        assert client.get("/portal/orders/?show=all").status_code == 200


def test_the_product_page_query_count(coop, django_assert_max_num_queries):
    client = _client(coop.user)
    for _ in range(5):
        make_stock(make_variant(coop.product), quantity=1)
    with django_assert_max_num_queries(10):
        assert client.get(f"/portal/products/{coop.product.pk}/").status_code == 200


def test_registry_and_producer_text_is_escaped(db):
    user = make_user(Role.PRODUCER_STAFF)
    product = _listed_product(
        user.producer,
        name="<script>alert('name')</script>",
        description="<img src=x onerror=alert(1)>",
        seller_description="<b>bold</b>",
    )
    make_variant(product)
    client = _client(user)
    for url in ("/portal/", f"/portal/products/{product.pk}/"):
        body = client.get(url).content.decode()
        assert "<script>alert('name')</script>" not in body, url
        assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in body, url
    body = client.get(f"/portal/products/{product.pk}/").content.decode()
    assert "<img src=x onerror" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body


def test_pages_render_in_vietnamese_by_default(coop):
    client = Client()
    client.force_login(coop.user)
    body = client.get("/portal/").content.decode()
    assert '<html lang="vi">' in body
    assert "Sản phẩm của bạn" in body


def test_payout_amounts_are_shown_in_dong(coop):
    order = make_delivery_order(total_charged_amount=330_000)
    make_producer_part(order, coop.user, coop.variant, coop.stock)
    body = _client(coop.user).get("/portal/orders/").content.decode()
    assert "180,000 VND" in body
    assert Decimal("10.00") == order.commission_percent


def test_every_domain_label_the_portal_shows_has_vietnamese():
    """Choice labels come from apps without a catalogue; the portal (or the shop's pages) must translate them."""
    not_for_sale = [
        ListingReason.NO_VALID_CERTIFICATE,
        ListingReason.QUARANTINED,
        ListingReason.REVOKED,
        ListingReason.SUSPENDED,
        ListingReason.SUPERSEDED,
        ListingReason.CERTIFICATE_EXPIRED,
        ListingReason.DOWNGRADED,
        ListingReason.NOT_YET_VALID,
    ]
    shown = [
        *(ListingReason(reason).label for reason in not_for_sale),
        *CertificationStatus.labels,
        *ProductMedia.Status.labels,
        *OrderStatus.labels,
        *FulfillmentStatus.labels,
    ]
    with translation.override("vi"):
        vietnamese = [str(label) for label in shown]
    with translation.override("en"):
        english = [str(label) for label in shown]
    assert [en for en, vi in zip(english, vietnamese, strict=True) if en == vi] == []
