"""The back office, role by role: who gets in, what each role sees, and what it may change."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog_sync.models import QuarantinedRecord, RegistryCursor, SyncRun
from marketplace.accounts import permissions
from marketplace.accounts.models import Role, User
from marketplace.catalogue.models import (
    ListingEvent,
    ListingReason,
    ListingState,
    ListingTrigger,
    Product,
    ProductMedia,
    ProductVariant,
)
from marketplace.catalogue.permissions import PRODUCT, scope_products
from marketplace.certification.models import Certification
from marketplace.inventory.models import Stock
from marketplace.inventory.permissions import scope_stock
from marketplace.outlets.models import Outlet
from marketplace.producers.models import ProducerKind
from tests.factories import (
    make_certification,
    make_outlet,
    make_producer,
    make_product,
    make_stock,
    make_user,
    make_variant,
)

OTHER_PROVINCE = "Tỉnh Lâm Đồng"


@dataclass
class World:
    coop: Any
    enterprise: Any
    elsewhere: Any
    coop_product: Product
    enterprise_product: Product
    elsewhere_product: Product
    coop_variant: ProductVariant
    enterprise_variant: ProductVariant
    coop_certification: Certification
    enterprise_certification: Certification
    elsewhere_certification: Certification
    showroom: Outlet
    tourist_site: Outlet
    elsewhere_outlet: Outlet
    coop_stock_showroom: Stock
    coop_stock_tourist: Stock
    enterprise_stock_showroom: Stock
    quarantined: QuarantinedRecord
    sync_run: SyncRun
    users: dict[str, User]


@pytest.fixture
def world(db) -> World:
    coop = make_producer(kind=ProducerKind.COOPERATIVE, name="Hợp tác xã Ca cao Suối Cát")
    enterprise = make_producer(kind=ProducerKind.ENTERPRISE, name="Công ty TNHH Hạt Điều Vàng")
    elsewhere = make_producer(address_province=OTHER_PROVINCE, province_today=OTHER_PROVINCE, name="HTX Đà Lạt")
    coop_product = make_product(coop, name="Bột ca cao nguyên chất", listing_state=ListingState.LISTED)
    enterprise_product = make_product(enterprise, name="Điều rang muối", listing_state=ListingState.LISTED)
    elsewhere_product = make_product(elsewhere, name="Trà atiso")
    coop_certification = make_certification(coop_product, stars=4)
    enterprise_certification = make_certification(enterprise_product, stars=3)
    elsewhere_certification = make_certification(elsewhere_product, stars=5)
    for product, certification in [
        (coop_product, coop_certification),
        (enterprise_product, enterprise_certification),
        (elsewhere_product, elsewhere_certification),
    ]:
        product.current_certification = certification
        product.save(update_fields=["current_certification"])
    ListingEvent.objects.create(
        product=coop_product,
        from_state=ListingState.DRAFT,
        to_state=ListingState.LISTED,
        reason=ListingReason.CERTIFIED,
        certificate_id=coop_certification.certificate_id,
        certificate_revision=1,
        trigger=ListingTrigger.REGISTRY_SYNC,
    )
    coop_variant = make_variant(coop_product, price=150_000)
    enterprise_variant = make_variant(enterprise_product, price=200_000)
    showroom = make_outlet(name="Showroom Bửu Long")
    tourist_site = make_outlet(name="Khu du lịch Suối Mơ", kind="tourist_site")
    elsewhere_outlet = make_outlet(name="Chợ Đà Lạt", province=OTHER_PROVINCE)
    sync_run = SyncRun.objects.create(registry_url="http://registry.test", received=3, created=3)
    quarantined = QuarantinedRecord.objects.create(
        certificate_id="DN-2025-999",
        revision=2,
        raw={"certificate_id": "DN-2025-999", "stars": 9},
        reasons=[{"field": "stars", "message": "must be 1–5"}],
        sync_run=sync_run,
    )
    RegistryCursor.objects.create(registry_url="http://registry.test", cursor="abc")
    users = {
        "consumer": make_user(Role.CONSUMER),
        "consumer_with_staff_flag": make_user(Role.CONSUMER, is_staff=True),
        "producer_staff": make_user(Role.PRODUCER_STAFF, producer=coop),
        "producer_staff_without_flag": make_user(Role.PRODUCER_STAFF, producer=coop, is_staff=False),
        "outlet_staff": make_user(Role.OUTLET_STAFF, outlet=showroom),
        "trade_staff": make_user(Role.TRADE_STAFF),
        "operator": make_user(Role.OPERATOR),
        "superuser": make_user(Role.CONSUMER, is_superuser=True),
    }
    return World(
        coop=coop,
        enterprise=enterprise,
        elsewhere=elsewhere,
        coop_product=coop_product,
        enterprise_product=enterprise_product,
        elsewhere_product=elsewhere_product,
        coop_variant=coop_variant,
        enterprise_variant=enterprise_variant,
        coop_certification=coop_certification,
        enterprise_certification=enterprise_certification,
        elsewhere_certification=elsewhere_certification,
        showroom=showroom,
        tourist_site=tourist_site,
        elsewhere_outlet=elsewhere_outlet,
        coop_stock_showroom=make_stock(coop_variant, showroom, quantity=10),
        coop_stock_tourist=make_stock(coop_variant, tourist_site, quantity=4),
        enterprise_stock_showroom=make_stock(enterprise_variant, showroom, quantity=7, quantity_allocated=2),
        quarantined=quarantined,
        sync_run=sync_run,
        users=users,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_add")


def delete_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def form_data(response) -> dict[str, Any]:
    """What a browser would post back from an admin change page: the form's and every inline's current values."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            if field.field.disabled:
                continue
            value = field.value()
            if value is None:
                value = ""
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = value
    return data


# --- who gets in ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["consumer", "consumer_with_staff_flag", "producer_staff_without_flag"])
def test_consumers_and_staff_without_the_flag_are_refused(world, who):
    client = client_for(world.users[who])

    index = client.get(reverse("admin:index"))
    products = client.get(changelist("catalogue.product"))

    assert index.status_code == 302
    assert reverse("admin:login") in index["Location"]
    assert products.status_code == 302


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world):
    response = Client().get(changelist("catalogue.product"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["producer_staff", "outlet_staff", "trade_staff", "operator", "superuser"])
def test_back_office_roles_get_the_index(world, who):
    assert client_for(world.users[who]).get(reverse("admin:index")).status_code == 200


CHANGELIST_ACCESS = {
    # model: (producer_staff, outlet_staff, trade_staff, operator)
    "catalogue.product": (200, 403, 200, 200),
    "catalogue.productvariant": (200, 403, 403, 200),
    "catalogue.listingevent": (200, 403, 200, 200),
    "catalogue.category": (403, 403, 403, 200),
    "catalogue.collection": (403, 403, 403, 200),
    "certification.certification": (200, 403, 200, 200),
    "producers.producer": (200, 403, 200, 200),
    "outlets.outlet": (403, 200, 200, 200),
    "inventory.stock": (200, 200, 403, 200),
    "catalog_sync.quarantinedrecord": (403, 403, 200, 200),
    "catalog_sync.syncrun": (403, 403, 200, 200),
    "catalog_sync.registrycursor": (403, 403, 403, 200),
    "channel.channel": (403, 403, 403, 200),
    "accounts.user": (403, 403, 403, 200),
}
ROLES = ("producer_staff", "outlet_staff", "trade_staff", "operator")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "who", "status"),
    [(model, who, codes[i]) for model, codes in CHANGELIST_ACCESS.items() for i, who in enumerate(ROLES)],
)
def test_changelist_access(world, model, who, status):
    assert client_for(world.users[who]).get(changelist(model)).status_code == status


@pytest.mark.django_db
def test_superuser_is_an_operator(world):
    client = client_for(world.users["superuser"])
    for model in CHANGELIST_ACCESS:
        assert client.get(changelist(model)).status_code == 200, model


# --- producer staff ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_producer_staff_see_only_their_products_variants_and_stock(world):
    client = client_for(world.users["producer_staff"])

    products = listed(client.get(changelist("catalogue.product")))
    variants = listed(client.get(changelist("catalogue.productvariant")))
    stock = listed(client.get(changelist("inventory.stock")))
    certifications = listed(client.get(changelist("certification.certification")))

    assert products == [world.coop_product]
    assert variants == [world.coop_variant]
    assert set(stock) == {world.coop_stock_showroom, world.coop_stock_tourist}
    assert certifications == [world.coop_certification]


@pytest.mark.django_db
def test_producer_staff_cannot_open_another_producers_product_or_variant(world):
    client = client_for(world.users["producer_staff"])

    assert client.get(change_url(world.coop_product)).status_code == 200
    for obj in [world.enterprise_product, world.enterprise_variant, world.enterprise_stock_showroom]:
        response = client.get(change_url(obj))
        assert response.status_code == 302, obj  # "does not exist" for them: back to the index
        assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_producer_staff_edit_their_description_but_not_registry_fields(world):
    client = client_for(world.users["producer_staff"])
    product = world.coop_product
    page = client.get(change_url(product))
    form = page.context["adminform"].form
    assert set(form.fields) == {"seller_description", "seller_description_en"}

    data = form_data(page)
    data.update(
        seller_description="Ca cao lên men tự nhiên, rang mộc.",
        name="Tên đã bị sửa",
        registry_id="HACKED",
        listing_state=ListingState.DELISTED,
        current_certification="",
    )
    response = client.post(change_url(product), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    product.refresh_from_db()
    assert product.seller_description == "Ca cao lên men tự nhiên, rang mộc."
    assert product.name == "Bột ca cao nguyên chất"
    assert product.registry_id.startswith("TST-")
    assert product.listing_state == ListingState.LISTED
    assert product.current_certification == world.coop_certification


@pytest.mark.django_db
def test_producer_staff_add_a_variant_inline_on_their_product(world):
    client = client_for(world.users["producer_staff"])
    product = world.coop_product
    data = form_data(client.get(change_url(product)))
    data.update(
        {
            "variants-TOTAL_FORMS": "2",
            "variants-1-sku": "COOP-1KG",
            "variants-1-name": "Túi 1 kg",
            "variants-1-weight_grams": "1000",
            "variants-1-track_inventory": "on",
            "variants-1-sort_order": "1",
        }
    )

    response = client.post(change_url(product), data)

    assert response.status_code == 302
    assert set(product.variants.values_list("sku", flat=True)) == {world.coop_variant.sku, "COOP-1KG"}


@pytest.mark.django_db
def test_producer_staff_cannot_add_or_delete_products(world):
    client = client_for(world.users["producer_staff"])
    assert client.get(add_url("catalogue.product")).status_code == 403
    assert client.post(delete_url(world.coop_product), {"post": "yes"}).status_code == 403
    assert Product.objects.filter(pk=world.coop_product.pk).exists()


@pytest.mark.django_db
def test_producer_staff_change_their_price_and_stock_on_the_variant(world):
    client = client_for(world.users["producer_staff"])
    variant = world.coop_variant
    page = client.get(change_url(variant))
    assert page.status_code == 200
    data = form_data(page)
    price_prefix = "channel_listings-0"
    stock_rows = {form.instance.outlet_id: form.prefix for form in _inline(page, "stocks").forms}
    data[f"{price_prefix}-price_amount"] = "175000"
    data[f"{stock_rows[world.showroom.pk]}-quantity"] = "25"

    response = client.post(change_url(variant), data)

    assert response.status_code == 302
    assert variant.channel_listings.get().price_amount == 175_000
    world.coop_stock_showroom.refresh_from_db()
    assert world.coop_stock_showroom.quantity == 25


@pytest.mark.django_db
def test_producer_staff_can_only_choose_their_own_variants_for_stock(world):
    client = client_for(world.users["producer_staff"])
    page = client.get(add_url("inventory.stock"))
    assert set(page.context["adminform"].form.fields["variant"].queryset) == {world.coop_variant}

    response = client.post(
        add_url("inventory.stock"),
        {"variant": world.enterprise_variant.pk, "outlet": world.tourist_site.pk, "quantity": "5"},
    )

    assert response.status_code == 200  # the form comes back with an error
    assert not Stock.objects.filter(variant=world.enterprise_variant, outlet=world.tourist_site).exists()


@pytest.mark.django_db
def test_producer_staff_see_their_rating_history_read_only(world):
    client = client_for(world.users["producer_staff"])
    page = client.get(change_url(world.coop_product))
    inlines = {inline.formset.prefix: inline for inline in page.context["inline_admin_formsets"]}

    assert [form.instance for form in inlines["certifications"].formset.forms] == [world.coop_certification]
    assert inlines["certifications"].has_change_permission is False
    assert inlines["listing_events"].has_change_permission is False
    assert len(inlines["listing_events"].formset.forms) == 1
    assert client.post(change_url(world.coop_certification), {}).status_code == 403


@pytest.mark.django_db
def test_producer_staff_upload_their_own_photo(world):
    client = client_for(world.users["producer_staff"])
    product = world.coop_product
    ProductMedia.objects.create(product=product, source=ProductMedia.Source.REGISTRY, registry_media_id="img-1")
    page = client.get(change_url(product))
    registry_photos = _inline(page, "media-2")
    assert registry_photos.forms[0].instance.registry_media_id == "img-1"
    data = form_data(page)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "brown").save(buffer, format="PNG")
    data.update(
        {
            "media-TOTAL_FORMS": "1",
            "media-0-image": SimpleUploadedFile("ca-cao.png", buffer.getvalue(), content_type="image/png"),
            "media-0-alt": "Hộp bột ca cao",
            "media-0-sort_order": "0",
        }
    )

    response = client.post(change_url(product), data)

    assert response.status_code == 302
    photo = product.media.get(source=ProductMedia.Source.PRODUCER)
    assert (photo.alt, photo.status, photo.width, photo.height) == ("Hộp bột ca cao", "ready", 800, 600)
    assert product.media.filter(source=ProductMedia.Source.REGISTRY).count() == 1


def _inline(page, prefix: str):
    return next(inline.formset for inline in page.context["inline_admin_formsets"] if inline.formset.prefix == prefix)


# --- outlet staff --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_outlet_staff_see_only_their_outlet_and_its_stock(world):
    client = client_for(world.users["outlet_staff"])

    assert listed(client.get(changelist("outlets.outlet"))) == [world.showroom]
    assert set(listed(client.get(changelist("inventory.stock")))) == {
        world.coop_stock_showroom,
        world.enterprise_stock_showroom,
    }
    assert client.get(change_url(world.coop_stock_tourist)).status_code == 302
    assert client.get(change_url(world.tourist_site)).status_code == 302


@pytest.mark.django_db
def test_outlet_staff_change_quantities_at_their_outlet_only(world):
    client = client_for(world.users["outlet_staff"])
    stock = world.coop_stock_showroom
    page = client.get(change_url(stock))
    assert set(page.context["adminform"].form.fields) == {"quantity"}

    response = client.post(
        change_url(stock), {"quantity": "33", "variant": world.enterprise_variant.pk, "outlet": world.tourist_site.pk}
    )

    assert response.status_code == 302
    stock.refresh_from_db()
    assert (stock.quantity, stock.variant, stock.outlet) == (33, world.coop_variant, world.showroom)
    other = world.coop_stock_tourist
    assert client.post(change_url(other), {"quantity": "99"}).status_code == 302
    other.refresh_from_db()
    assert other.quantity == 4


@pytest.mark.django_db
def test_outlet_staff_cannot_go_below_what_is_promised_to_orders(world):
    client = client_for(world.users["outlet_staff"])
    stock = world.enterprise_stock_showroom  # 2 allocated

    response = client.post(change_url(stock), {"quantity": "1"})

    assert response.status_code == 200
    assert "quantity" in response.context["adminform"].form.errors
    stock.refresh_from_db()
    assert stock.quantity == 7


@pytest.mark.django_db
def test_outlet_staff_cannot_add_or_delete_stock_nor_change_their_outlet(world):
    client = client_for(world.users["outlet_staff"])
    assert client.get(add_url("inventory.stock")).status_code == 403
    assert client.post(delete_url(world.coop_stock_showroom), {"post": "yes"}).status_code == 403
    assert client.get(change_url(world.showroom)).status_code == 200
    assert client.post(change_url(world.showroom), {"name": "Đổi tên"}).status_code == 403
    world.showroom.refresh_from_db()
    assert world.showroom.name == "Showroom Bửu Long"


# --- trade staff ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_trade_staff_see_their_province(world):
    client = client_for(world.users["trade_staff"])

    assert set(listed(client.get(changelist("catalogue.product")))) == {
        world.coop_product,
        world.enterprise_product,
    }
    assert set(listed(client.get(changelist("certification.certification")))) == {
        world.coop_certification,
        world.enterprise_certification,
    }
    assert world.elsewhere_outlet not in listed(client.get(changelist("outlets.outlet")))
    assert client.get(change_url(world.elsewhere_certification)).status_code == 302


@pytest.mark.django_db
def test_trade_staff_view_certifications_and_quarantine_but_change_nothing(world):
    client = client_for(world.users["trade_staff"])
    certification = world.coop_certification

    assert client.get(change_url(certification)).status_code == 200
    assert client.post(change_url(certification), {"stars": "5"}).status_code == 403
    assert client.get(add_url("certification.certification")).status_code == 403
    assert client.post(delete_url(certification), {"post": "yes"}).status_code == 403

    page = client.get(change_url(world.quarantined))
    assert page.status_code == 200
    assert "must be 1–5" in page.content.decode()
    assert client.post(change_url(world.quarantined), {"revision": "3"}).status_code == 403
    assert client.post(delete_url(world.quarantined), {"post": "yes"}).status_code == 403
    assert client.post(change_url(world.coop_product), {"seller_description": "x"}).status_code == 403
    assert client.get(change_url(world.sync_run)).status_code == 200
    assert client.post(change_url(world.sync_run), {}).status_code == 403

    certification.refresh_from_db()
    assert certification.stars == 4
    assert QuarantinedRecord.objects.filter(pk=world.quarantined.pk).exists()


@pytest.mark.django_db
def test_trade_staff_without_a_province_see_nothing(world):
    user = world.users["trade_staff"]
    user.province = ""
    user.save()
    client = client_for(user)
    assert listed(client.get(changelist("catalogue.product"))) == []
    assert listed(client.get(changelist("catalog_sync.quarantinedrecord"))) == []


# --- operators -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "superuser"])
def test_operator_sees_everything(world, who):
    client = client_for(world.users[who])
    assert len(listed(client.get(changelist("catalogue.product")))) == 3
    assert len(listed(client.get(changelist("certification.certification")))) == 3
    assert len(listed(client.get(changelist("inventory.stock")))) == 3
    assert len(listed(client.get(changelist("outlets.outlet")))) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "superuser"])
def test_registry_data_is_read_only_even_for_operators(world, who):
    client = client_for(world.users[who])
    certification = world.coop_certification

    assert client.get(change_url(certification)).status_code == 200
    assert client.post(change_url(certification), {"stars": "5"}).status_code == 403
    for model in ["certification.certification", "catalog_sync.quarantinedrecord", "catalog_sync.syncrun"]:
        assert client.get(add_url(model)).status_code == 403, model
    assert client.get(add_url("catalogue.product")).status_code == 403
    assert client.get(add_url("producers.producer")).status_code == 403
    assert client.post(delete_url(world.quarantined), {"post": "yes"}).status_code == 403
    assert client.post(delete_url(world.coop_product), {"post": "yes"}).status_code == 403

    page = client.get(change_url(world.coop_product))
    assert set(page.context["adminform"].form.fields) == {
        "slug",
        "slug_en",
        "seller_description",
        "seller_description_en",
    }
    producer_page = client.get(change_url(world.coop))
    assert set(producer_page.context["adminform"].form.fields) == {"slug"}


@pytest.mark.django_db
def test_operator_edits_product_content_but_registry_fields_stay(world):
    client = client_for(world.users["operator"])
    product = world.enterprise_product
    data = form_data(client.get(change_url(product)))
    data.update(seller_description_en="Roasted with sea salt.", name="Renamed", stars="5")

    assert client.post(change_url(product), data).status_code == 302
    product.refresh_from_db()
    assert (product.seller_description_en, product.name) == ("Roasted with sea salt.", "Điều rang muối")


@pytest.mark.django_db
def test_quarantine_page_shows_the_raw_record_pretty(world):
    page = client_for(world.users["operator"]).get(change_url(world.quarantined))
    html = page.content.decode()
    assert "<pre" in html
    assert "&quot;stars&quot;: 9" in html


@pytest.mark.django_db
def test_sync_run_changelist_shows_counts(world):
    page = client_for(world.users["operator"]).get(changelist("catalog_sync.syncrun"))
    assert page.status_code == 200
    assert "received" in page.context["cl"].list_display


# --- the rules themselves ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_can_access_admin_per_role(world):
    expected = {
        "consumer": False,
        "consumer_with_staff_flag": False,
        "producer_staff": True,
        "producer_staff_without_flag": False,
        "outlet_staff": True,
        "trade_staff": True,
        "operator": True,
        "superuser": True,
    }
    assert {who: permissions.can_access_admin(user) for who, user in world.users.items()} == expected


@pytest.mark.django_db
def test_unknown_roles_and_inactive_users_are_denied(world):
    user = world.users["operator"]
    user.role = "janitor"
    assert not permissions.can_access_admin(user)
    assert permissions.scope(user, Product.objects.all()).count() == 0
    user.role = Role.OPERATOR
    user.is_active = False
    assert not permissions.can(user, permissions.Action.VIEW, PRODUCT)


@pytest.mark.django_db
def test_scopes_match_the_roles(world):
    users = world.users
    assert list(scope_products(users["producer_staff"], Product.objects.all())) == [world.coop_product]
    assert scope_products(users["outlet_staff"], Product.objects.all()).count() == 0
    assert scope_products(users["consumer"], Product.objects.all()).count() == 0
    assert scope_stock(users["trade_staff"], Stock.objects.all()).count() == 0
    assert scope_products(users["operator"], Product.objects.all()).count() == 3


def test_every_model_the_back_office_shows_has_its_rules_registered():
    from django.contrib import admin

    shown = {
        model_admin.model
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, permissions.RoleScopedAdminMixin)
    } | {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, permissions.RoleScopedAdminMixin)
    }
    assert len(shown) > 20
    assert [model._meta.label for model in shown if not permissions.has_rules(model)] == []


# --- the number of queries of a list page does not grow with its length -------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "catalogue.product",
        "catalogue.productvariant",
        "catalogue.listingevent",
        "certification.certification",
        "inventory.stock",
        "catalog_sync.quarantinedrecord",
        "producers.producer",
        "outlets.outlet",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(world, model):
    client = client_for(world.users["operator"])
    before = _queries(client, changelist(model))
    for _ in range(4):
        product = make_product(make_producer(), listing_state=ListingState.LISTED)
        certification = make_certification(product)
        product.current_certification = certification
        product.save()
        ListingEvent.objects.create(
            product=product,
            from_state=ListingState.DRAFT,
            to_state=ListingState.LISTED,
            reason=ListingReason.CERTIFIED,
            trigger=ListingTrigger.REGISTRY_SYNC,
        )
        make_stock(make_variant(product), make_outlet())
        QuarantinedRecord.objects.create(certificate_id="X", raw={}, reasons=["bad"], sync_run=world.sync_run)
    assert _queries(client, changelist(model)) == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_every_page_a_role_may_open_renders(world, who):
    from django.contrib import admin

    user = world.users[who]
    client = client_for(user)
    for model, model_admin in admin.site._registry.items():
        request = type("Request", (), {"user": user})()
        if model_admin.has_add_permission(request):
            assert client.get(add_url(f"{model._meta.app_label}.{model._meta.model_name}")).status_code == 200
        if not model_admin.has_view_permission(request):
            continue
        for obj in permissions.scope(user, model._default_manager.all())[:2]:
            assert client.get(change_url(obj)).status_code == 200, (model, obj)


@pytest.mark.django_db
def test_a_producer_photo_is_checked_and_stored_without_its_metadata(world):
    client = client_for(world.users["producer_staff"])
    product = world.coop_product
    page = client.get(change_url(product))
    data = form_data(page)
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "green").save(buffer, format="JPEG", exif=exif)
    data.update(
        {
            "media-TOTAL_FORMS": "1",
            "media-0-image": SimpleUploadedFile("vuon.jpg", buffer.getvalue(), content_type="image/jpeg"),
            "media-0-alt": "Vườn ca cao",
            "media-0-sort_order": "0",
        }
    )
    assert client.post(change_url(product), data).status_code == 302

    photo = product.media.get(source=ProductMedia.Source.PRODUCER)
    assert photo.image.name.endswith(".webp")
    with photo.image.open("rb") as stored:
        image = Image.open(stored)
        assert (image.format, image.size, dict(image.getexif())) == ("WEBP", (900, 600), {})

    data = form_data(client.get(change_url(product)))
    data.update(
        {
            "media-TOTAL_FORMS": "2",
            "media-1-image": SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png"),
            "media-1-alt": "",
            "media-1-sort_order": "1",
        }
    )
    response = client.post(change_url(product), data)
    assert response.status_code == 200, "the form comes back with the error"
    assert product.media.filter(source=ProductMedia.Source.PRODUCER).count() == 1
