"""The role matrix: every page and console URL (GET and POST), and the back office's pages of each model, for
each role against objects of its own and of others (another producer's products, another outlet's orders and
pickup codes, another province's reports, guessed ids): 0 cross-tenant reads or writes.

The rows come from the URL resolver: a URL without a row here fails `test_every_url_has_a_matrix_row`. A row's
cases say who passes the role gate (`allowed`) and what those roles get (`ok`); everyone else gets a redirect to
sign in (anonymous) or 403. Each case may name the other tenant's markers (text that must not appear in the
answer of any role but the ones that may see it) and the other tenant's rows (unchanged after the request).
Every request runs in a savepoint rolled back afterwards, so the cases never see each other's writes.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from catalog_sync.models import QuarantinedRecord, SyncRun
from marketplace.accounts.models import Role, User
from marketplace.catalogue.models import ListingEvent, Product, ProductMedia, ProductVariantChannelListing
from marketplace.certification.models import MisuseReport
from marketplace.checkout.models import CheckoutLine
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.core.dates import local_today
from marketplace.deliveries.models import Delivery
from marketplace.deliveries.services import AnnouncedLine, delivery_announce
from marketplace.events.models import Event
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, Order
from marketplace.orders.services import order_mark_ready_for_pickup
from payments.models import TransactionItem
from tests.factories import (
    make_certification,
    make_outlet,
    make_producer,
    make_product,
    make_stock,
    make_user,
    make_variant,
)
from web.cart.services import CheckoutChoices, checkout_choices_save, checkout_place_with_cash

ANONYMOUS, CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR = (
    "anonymous",
    "consumer",
    "producer",
    "outlet",
    "trade",
    "operator",
)
ROLES = (ANONYMOUS, CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR)
EVERYONE = frozenset(ROLES)
OTHER_PROVINCE = "Tỉnh Lâm Đồng"
GUESSED_UUID = uuid.UUID("0e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f60718")
GUESSED_ID = 987_654_321
ADDRESS = {
    "first_name": "An",
    "last_name": "Nguyễn",
    "phone": "0912 345 678",
    "street_address_1": "12 Đường 30 Tháng 4",
    "country_area": "75",
    "city": "26041",
}

# URLs that are not pages or consoles of this matrix, each with where it is checked instead.
OUTSIDE = {
    "health": "liveness, public and data-free",
    "health-ready": "readiness (tests of ops/)",
    "metrics": "Prometheus scrape (tests of ops/)",
    "set_language": "Django's language switch: a cookie and a redirect",
    "stripe-webhook": "signed by Stripe (tests/payments)",
    "bank-webhook": "signed by the bank-notification service (tests/payments/test_transfers.py)",
    "graphql": "the API's own role matrix (tests/storefront_api)",
}


# --- the world: two of each tenant ---------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    shop: Any
    users: dict[str, User]
    other_consumer: User
    order_a: Order  # the consumer's, collected at outlet A (the tourist site), ready
    order_b: Order  # a guest's, collected at outlet B (the showroom), ready
    delivery: Order  # another consumer's, delivered: a part for producer A and one for producer B
    part_a: Fulfillment
    part_b: Fulfillment
    media_a: ProductMedia
    media_b: ProductMedia
    report_here: MisuseReport  # about producer A's product, in the province
    report_elsewhere: MisuseReport  # about a product of another province
    elsewhere_product: Product
    other_line: CheckoutLine  # in another visitor's cart
    only_at_b: str  # the SKU of a variant stocked only at outlet B
    delivery_to_a: Delivery  # producer A's, announced to outlet A
    delivery_to_b: Delivery  # producer B's, announced to outlet B


def _place(shop, *, variants, email, user=None, outlet=None) -> Order:
    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=variant.pk, quantity=1) for variant in variants],
        email=email,
        language_code="vi",
        user=user,
    )
    choices = CheckoutChoices(
        email=email,
        outlet_id=outlet.pk if outlet else None,
        shipping_method_id=None if outlet else shop.standard.pk,
        address={} if outlet else ADDRESS,
    )
    return checkout_place_with_cash(checkout=checkout_choices_save(checkout=checkout, choices=choices), user=user)


def build_world(shop) -> World:
    users = {
        CONSUMER: make_user(Role.CONSUMER),
        PRODUCER: make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer),
        OUTLET: make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site),
        TRADE: make_user(Role.TRADE_STAFF),
        OPERATOR: make_user(Role.OPERATOR),
    }
    outlet_b_staff = make_user(Role.OUTLET_STAFF, outlet=shop.showroom)
    other_consumer = make_user(Role.CONSUMER)
    order_a = _place(
        shop,
        variants=[shop.coffee_variant],
        email=users[CONSUMER].email,
        user=users[CONSUMER],
        outlet=shop.tourist_site,
    )
    order_a = order_mark_ready_for_pickup(order=order_a, by_user=users[OUTLET])
    order_b = _place(shop, variants=[shop.coffee_variant], email="nguoi-mua-b@example.test", outlet=shop.showroom)
    order_b = order_mark_ready_for_pickup(order=order_b, by_user=outlet_b_staff)
    delivery = _place(
        shop,
        variants=[shop.coffee_variant, shop.cashew_variant],
        email=other_consumer.email,
        user=other_consumer,
    )
    parts = {part.producer_id: part for part in Fulfillment.objects.filter(order=delivery)}
    only_at_b = make_variant(shop.coffee, sku="CHI-O-DIEM-B", name="Hộp quà")
    make_stock(only_at_b, shop.showroom, quantity=3)
    elsewhere = make_producer(name="HTX Atiso Đà Lạt", address_province=OTHER_PROVINCE, province_today=OTHER_PROVINCE)
    elsewhere_product = make_product(elsewhere, name="Trà atiso Đà Lạt")
    make_certification(elsewhere_product)
    report_here = MisuseReport.objects.create(
        certificate_id=shop.coffee.current_certification.certificate_id,
        product=shop.coffee,
        place="Chợ Biên Hòa",
        description="Nhãn giả",
    )
    report_elsewhere = MisuseReport.objects.create(
        certificate_id="LD-2025-0001", product=elsewhere_product, place="CHO-DA-LAT-BAO-CAO", description="Nhãn giả"
    )
    other_cart = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.cashew_variant.pk, quantity=2)],
        email="khach-khac@example.test",
        language_code="vi",
        user=other_consumer,
    )
    delivery_to_a = delivery_announce(
        producer=shop.coffee.producer,
        outlet=shop.tourist_site,
        by_user=users[PRODUCER],
        expected_on=local_today(),
        lines=[AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=4)],
    )
    delivery_to_b = delivery_announce(
        producer=shop.cashew.producer,
        outlet=shop.showroom,
        by_user=make_user(Role.PRODUCER_STAFF, producer=shop.cashew.producer),
        expected_on=local_today(),
        lines=[AnnouncedLine(variant_id=shop.cashew_variant.pk, quantity=6)],
        note="GHI-CHU-CUA-HTX-B",
    )
    return World(
        shop=shop,
        users=users,
        other_consumer=other_consumer,
        order_a=order_a,
        order_b=order_b,
        delivery=delivery,
        part_a=parts[shop.coffee.producer_id],
        part_b=parts[shop.cashew.producer_id],
        media_a=ProductMedia.objects.create(product=shop.coffee, source=ProductMedia.Source.PRODUCER, alt="A"),
        media_b=ProductMedia.objects.create(product=shop.cashew, source=ProductMedia.Source.PRODUCER, alt="B"),
        report_here=report_here,
        report_elsewhere=report_elsewhere,
        elsewhere_product=elsewhere_product,
        other_line=other_cart.lines.get(),
        only_at_b=only_at_b.sku,
        delivery_to_a=delivery_to_a,
        delivery_to_b=delivery_to_b,
    )


# --- what must not change: the other tenants' rows ------------------------------------------------------------


def others_rows(world: World) -> dict[str, Any]:
    """Everything of the other tenants a request might try to write."""
    shop = world.shop
    return {
        "producer B's prices": list(
            ProductVariantChannelListing.objects.filter(variant__product=shop.cashew).values_list("price_amount")
        ),
        "producer B's stock": list(
            Stock.objects.filter(variant__product=shop.cashew).order_by("pk").values_list("quantity")
        ),
        "outlet B's stock": list(Stock.objects.filter(outlet=shop.showroom).order_by("pk").values_list("quantity")),
        "producer B's product": list(
            Product.objects.filter(pk=shop.cashew.pk).values_list("seller_description", "seller_description_en")
        ),
        "producer B's photos": list(ProductMedia.objects.filter(product=shop.cashew).values_list("pk")),
        "producer B's part": list(
            Fulfillment.objects.filter(pk=world.part_b.pk).values_list("status", "tracking_number")
        ),
        "orders of others": list(
            Order.objects.filter(pk__in=[world.order_b.pk, world.delivery.pk]).order_by("pk").values_list("status")
        ),
        "payments of others": TransactionItem.objects.filter(order__in=[world.order_b, world.delivery]).count(),
        "another visitor's cart": list(CheckoutLine.objects.filter(pk=world.other_line.pk).values_list("quantity")),
        "deliveries of others": list(
            Delivery.objects.filter(pk=world.delivery_to_b.pk).values_list("status", "receipt_key")
        ),
        "another province's report": list(
            MisuseReport.objects.filter(pk=world.report_elsewhere.pk).values_list("status", "resolution")
        ),
    }


# --- the matrix ------------------------------------------------------------------------------------------------

Path = Callable[[World], str]
Markers = Callable[[World], list[str]]


@dataclasses.dataclass(frozen=True)
class Case:
    """One request. `allowed` pass the role gate and get an answer in `ok`; the others are sent to sign in
    (anonymous) or refused with 403 (`denied` overrides). `hidden` are the other tenant's markers: no role
    outside `sees` may find them in the answer."""

    method: str
    path: Path
    allowed: frozenset[str]
    ok: frozenset[int]
    data: Callable[[World], dict] = lambda world: {}
    hidden: Markers = lambda world: []
    sees: frozenset[str] = frozenset()
    denied: frozenset[int] | None = None  # for pages every role passes but some get another answer
    ok_for: dict[str, frozenset[int]] = dataclasses.field(default_factory=dict)  # an allowed role's own answer

    def expected(self, role: str) -> frozenset[int]:
        if role in self.ok_for:
            return self.ok_for[role]
        if role in self.allowed:
            return self.ok
        if self.denied is not None:
            return self.denied
        return frozenset({302}) if role == ANONYMOUS else frozenset({403})


def public(method: str, path: Path, ok: set[int], **kw: Any) -> Case:
    return Case(method, path, EVERYONE, frozenset(ok), **kw)


def console(roles: set[str], method: str, path: Path, ok: set[int], **kw: Any) -> Case:
    return Case(method, path, frozenset(roles), frozenset(ok), **kw)


def _order_b_markers(world: World) -> list[str]:
    return [world.order_b.user_email, world.order_b.pickup_code]


def _producer_b_markers(world: World) -> list[str]:
    return [world.shop.cashew.name, world.shop.cashew_variant.sku]


def _elsewhere_markers(world: World) -> list[str]:
    return [world.report_elsewhere.place, world.elsewhere_product.name]


def _portal(path: str) -> Path:
    return lambda world: path.format(a=world.shop.coffee.pk, b=world.shop.cashew.pk, guess=GUESSED_ID)


PRODUCERS = {PRODUCER}
OUTLETS = {OUTLET}
TRADERS = {TRADE, OPERATOR}

MATRIX: dict[str, list[Case]] = {
    # --- the shop's pages: everyone, and nobody reaches another's cart or order -----------------------------
    "web:home": [public("get", lambda w: "/", {200})],
    "web:catalogue": [public("get", lambda w: "/products/?q=cà phê", {200})],
    "web:product_redirect": [public("get", lambda w: f"/products/{w.shop.coffee.slug}/", {301})],
    "web:provenance": [
        public("get", lambda w: f"/p/{w.shop.coffee.slug}/", {200}),
        public("get", lambda w: "/p/khong-co-san-pham-nay/", {404}),
    ],
    "web:provenance_qr": [public("get", lambda w: f"/p/{w.shop.coffee.slug}/qr.svg", {200})],
    "web:outlets": [public("get", lambda w: "/outlets/", {200})],
    "web:outlet": [
        public("get", lambda w: f"/outlets/{w.shop.tourist_site.slug}/", {200}),
        public("get", lambda w: "/outlets/khong-co-diem-ban-nay/", {404}),
    ],
    "web:producer": [
        public("get", lambda w: f"/producers/{w.shop.coffee.producer.slug}/", {200}),
        public("get", lambda w: "/producers/khong-co-chu-the-nay/", {404}),
    ],
    "web:provenance_share_image": [public("get", lambda w: f"/p/{w.shop.coffee.slug}/share.png", {200})],
    "web:site_share_image": [public("get", lambda w: "/share.png", {200})],
    "web:feed": [
        public("get", lambda w: "/feeds/google-merchant.xml", {200}),
        public("get", lambda w: "/feeds/nothing.xml", {404}),
    ],
    "web:open_data": [public("get", lambda w: "/open-data/", {200})],
    "web:open_data_file": [public("get", lambda w: "/open-data/ocop-certified.json", {200})],
    "web:events": [public("get", lambda w: "/events/", {200})],
    "web:collection": [public("get", lambda w: "/collections/khong-co/", {404})],
    "web:content_page": [public("get", lambda w: "/pages/khong-co/", {404})],
    "web:announcement": [public("get", lambda w: "/announcements/khong-co/", {404})],
    "web:event": [public("get", lambda w: "/events/khong-co-su-kien-nay/", {404})],
    "web:newly_certified": [public("get", lambda w: "/newly-certified/", {200})],
    "web:newly_certified_feed": [public("get", lambda w: "/newly-certified/feed.atom", {200})],
    "web:robots": [public("get", lambda w: "/robots.txt", {200})],
    "web:sitemap_index": [public("get", lambda w: "/sitemap.xml", {200})],
    "web:sitemap_section": [
        public("get", lambda w: "/sitemap-products-1.xml", {200}),
        public("get", lambda w: "/sitemap-products-9.xml", {404}),
    ],
    "web:verify": [public("get", lambda w: "/verify/", {200})],
    "web:verify_certificate": [
        public("get", lambda w: f"/verify/{w.shop.coffee.current_certification.certificate_id}/", {200}),
        public("get", lambda w: "/verify/DN-0000-9999/", {200}),
    ],
    "web:login": [
        Case("get", lambda w: "/accounts/login/", frozenset({ANONYMOUS}), frozenset({200}), denied=frozenset({302}))
    ],
    "web:logout": [public("post", lambda w: "/accounts/logout/", {302})],
    "web:register": [public("get", lambda w: "/accounts/register/", {200})],
    "web:password_reset_request": [public("get", lambda w: "/accounts/reset/request/", {200})],
    "web:addresses": [
        Case(
            "get",
            lambda w: "/accounts/addresses/",
            frozenset({CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR}),
            frozenset({200}),
            denied=frozenset({302}),
        )
    ],
    # Another's address is not found (tests/web/test_account_pages.py); nobody here has one with this id.
    "web:address_change": [
        Case(
            "post",
            lambda w: f"/accounts/addresses/{GUESSED_ID}/",
            frozenset({CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR}),
            frozenset({404}),
            denied=frozenset({302}),
        )
    ],
    "web:delete_account": [
        Case(
            "get",
            lambda w: "/accounts/delete/",
            frozenset({CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR}),
            frozenset({200}),
            denied=frozenset({302}),
        )
    ],
    "web:delete_account_confirm": [
        Case(
            "get",
            lambda w: "/accounts/delete/confirm/",
            frozenset({CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR}),
            frozenset({200}),
            denied=frozenset({302}),
        )
    ],
    "web:my_orders": [
        # Anyone signed in has the page; it lists only their own orders (tests/web/test_account_pages.py).
        Case(
            "get",
            lambda w: "/accounts/orders/",
            frozenset({CONSUMER, PRODUCER, OUTLET, TRADE, OPERATOR}),
            frozenset({200}),
            denied=frozenset({302}),
        )
    ],
    "web:account_confirm": [public("get", lambda w: "/accounts/confirm/", {200})],
    "web:password_reset": [public("get", lambda w: "/accounts/reset/", {200})],
    "cart:cart": [public("get", lambda w: "/cart/", {200}, hidden=lambda w: [w.other_line.checkout.email or "-"])],
    "cart:add": [
        public("post", lambda w: "/cart/add/", {302}, data=lambda w: {"variant_id": GUESSED_ID, "quantity": 1})
    ],
    "cart:line": [
        # Another visitor's line, to change and to remove: the answer is the visitor's own (empty) cart.
        public("post", lambda w: f"/cart/lines/{w.other_line.pk}/", {302}, data=lambda w: {"quantity": 9}),
        public("post", lambda w: f"/cart/lines/{w.other_line.pk}/", {302}, data=lambda w: {"action": "remove"}),
        public("post", lambda w: f"/cart/lines/{GUESSED_UUID}/", {302}, data=lambda w: {"quantity": 1}),
    ],
    "cart:promo": [public("post", lambda w: "/cart/promo-code/", {302}, data=lambda w: {"code": "TET2027"})],
    "cart:checkout": [public("get", lambda w: "/checkout/", {302}), public("post", lambda w: "/checkout/", {302})],
    "cart:card": [public("get", lambda w: "/checkout/card/", {302})],
    "cart:order": [
        # A signed-in buyer's order: only that buyer (staff and operators too are turned away: it is a receipt).
        Case(
            "get",
            lambda w: f"/orders/{w.order_a.pk}/",
            frozenset({CONSUMER}),
            frozenset({200}),
            denied=frozenset({404}),
        ),
        Case(
            "get",
            lambda w: f"/orders/{w.delivery.pk}/",
            frozenset(),
            frozenset(),
            denied=frozenset({404}),
            hidden=lambda w: [w.delivery.user_email],
        ),
        # A guest's order is the guest's receipt: whoever holds its unguessable id sees it.
        public("get", lambda w: f"/orders/{w.order_b.pk}/", {200}),
        public("get", lambda w: f"/orders/{GUESSED_UUID}/", {404}),
    ],
    # --- the producer portal: producer A's staff, and only producer A's products and parts ------------------
    "portal:home": [console(PRODUCERS, "get", _portal("/portal/"), {200}, hidden=_producer_b_markers)],
    "portal:product": [
        console(PRODUCERS, "get", _portal("/portal/products/{a}/"), {200}),
        console(PRODUCERS, "get", _portal("/portal/products/{b}/"), {404}, hidden=_producer_b_markers),
        console(PRODUCERS, "get", _portal("/portal/products/{guess}/"), {404}),
    ],
    **{
        name: [
            console(PRODUCERS, "post", _portal("/portal/products/{a}/" + tail), {302, 400}),
            console(PRODUCERS, "post", _portal("/portal/products/{b}/" + tail), {404}, data=data),
        ]
        for name, tail, data in [
            (
                "portal:product-prices",
                "prices/",
                lambda w: {f"variant_{w.shop.cashew_variant.pk}": "1", f"variant_{w.shop.coffee_variant.pk}": "1"},
            ),
            (
                "portal:product-stock",
                "stock/",
                lambda w: {
                    f"stock_{s.variant_id}_{s.outlet_id}": "0"
                    for s in Stock.objects.filter(variant__product=w.shop.cashew)
                },
            ),
            ("portal:product-descriptions", "descriptions/", lambda w: {"seller_description": "đã sửa"}),
            ("portal:product-packs", "packs/", lambda w: {f"pack_{w.shop.cashew_variant.pk}": "Bag 500 g"}),
            ("portal:product-photo-add", "photos/", lambda w: {"alt": "ảnh"}),
        ]
    },
    "portal:product-photo-remove": [
        console(
            PRODUCERS, "post", lambda w: f"/portal/products/{w.shop.coffee.pk}/photos/{w.media_a.pk}/remove/", {302}
        ),
        # Producer B's photo, through producer A's product and through its own.
        console(
            PRODUCERS, "post", lambda w: f"/portal/products/{w.shop.coffee.pk}/photos/{w.media_b.pk}/remove/", {404}
        ),
        console(
            PRODUCERS, "post", lambda w: f"/portal/products/{w.shop.cashew.pk}/photos/{w.media_b.pk}/remove/", {404}
        ),
    ],
    "portal:orders": [
        console(
            PRODUCERS,
            "get",
            lambda w: "/portal/orders/?show=all",
            {200},
            hidden=lambda w: [w.shop.cashew.name, w.order_b.user_email, w.order_b.pickup_code],
        )
    ],
    # The producer's own statement and bank details only (another producer's: tests/web/test_ledger_pages.py).
    "portal:statement": [
        console(PRODUCERS, "get", lambda w: "/portal/statement/", {200}, hidden=_producer_b_markers),
        console(PRODUCERS, "get", lambda w: "/portal/statement/?month=2026-01&format=xlsx", {200}),
        console(PRODUCERS, "get", lambda w: "/portal/statement/?format=pdf", {200}),
        console(PRODUCERS, "get", lambda w: "/portal/statement/?month=x", {200}),
    ],
    "portal:statement-file": [
        console({OPERATOR}, "get", lambda w: f"/portal/statements/{w.shop.coffee.producer_id}/file/?format=pdf", {200}),
        console({OPERATOR}, "get", lambda w: f"/portal/statements/{w.shop.cashew.producer_id}/file/", {200}),
        console({OPERATOR}, "get", lambda w: f"/portal/statements/{GUESSED_ID}/file/", {404}),
    ],
    "portal:payout-details": [
        console(PRODUCERS, "get", lambda w: "/portal/payout-details/", {200}),
        console(PRODUCERS, "post", lambda w: "/portal/payout-details/", {200}, data=lambda w: {"bank_bin": "1"}),
    ],
    "portal:fulfillment-ship": [
        console(PRODUCERS, "post", lambda w: f"/portal/orders/{w.part_a.pk}/ship/", {302}),
        console(PRODUCERS, "post", lambda w: f"/portal/orders/{w.part_b.pk}/ship/", {404}),
        console(PRODUCERS, "post", lambda w: f"/portal/orders/{GUESSED_ID}/ship/", {404}),
    ],
    # --- the outlet desk: outlet A's staff, and only outlet A's orders and codes -------------------------------
    "outlet:home": [console(OUTLETS, "get", lambda w: "/outlet/", {200}, hidden=_order_b_markers)],
    "outlet:order": [
        console(OUTLETS, "get", lambda w: f"/outlet/orders/{w.order_a.pk}/", {200}),
        console(OUTLETS, "get", lambda w: f"/outlet/orders/{w.order_b.pk}/", {404}, hidden=_order_b_markers),
        console(OUTLETS, "get", lambda w: f"/outlet/orders/{w.delivery.pk}/", {404}),
        console(OUTLETS, "get", lambda w: f"/outlet/orders/{GUESSED_UUID}/", {404}),
    ],
    "outlet:mark-ready": [
        console(OUTLETS, "post", lambda w: f"/outlet/orders/{w.order_a.pk}/ready/", {302}),
        console(OUTLETS, "post", lambda w: f"/outlet/orders/{w.order_b.pk}/ready/", {404}),
        console(OUTLETS, "post", lambda w: f"/outlet/orders/{GUESSED_UUID}/ready/", {404}),
    ],
    "outlet:handover": [
        console(OUTLETS, "get", lambda w: "/outlet/handover/", {200}),
        console(OUTLETS, "post", lambda w: "/outlet/handover/", {200}, data=lambda w: {"code": w.order_a.pickup_code}),
        # Outlet B's code at outlet A's counter, and guessed codes: refused, nothing shown.
        console(
            OUTLETS,
            "post",
            lambda w: "/outlet/handover/",
            {409},
            data=lambda w: {"code": w.order_b.pickup_code},
            hidden=lambda w: [w.order_b.user_email, f"#{w.order_b.number}"],
        ),
        console(OUTLETS, "post", lambda w: "/outlet/handover/", {400, 409}, data=lambda w: {"code": "AAAAAA"}),
        console(OUTLETS, "post", lambda w: "/outlet/handover/", {400, 409}, data=lambda w: {"code": "ZZ9ZZ9"}),
    ],
    "outlet:handover-confirm": [
        console(
            OUTLETS,
            "post",
            lambda w: "/outlet/handover/confirm/",
            {302},
            data=lambda w: {"code": w.order_a.pickup_code, "cash_amount": str(w.order_a.amount_due)},
        ),
        console(
            OUTLETS,
            "post",
            lambda w: "/outlet/handover/confirm/",
            {409},
            data=lambda w: {"code": w.order_b.pickup_code, "cash_amount": str(w.order_b.amount_due)},
            hidden=lambda w: [w.order_b.user_email],
        ),
    ],
    "outlet:stock": [console(OUTLETS, "get", lambda w: "/outlet/stock/", {200}, hidden=lambda w: [w.only_at_b])],
    "outlet:sell": [
        # Outlet B's goods are not offered at outlet A's counter.
        console(OUTLETS, "get", lambda w: "/outlet/sell/?q=robusta", {200}, hidden=lambda w: [w.only_at_b]),
        console(OUTLETS, "post", lambda w: "/outlet/sell/", {302}, data=lambda w: {"action": "clear"}),
    ],
    # An empty basket is refused (400), whoever sends it; the sale itself is tested in tests/web/test_counter.py.
    "outlet:sell-complete": [
        console(
            OUTLETS, "post", lambda w: "/outlet/sell/complete/", {400}, data=lambda w: {"key": "k", "method": "cash"}
        )
    ],
    "outlet:receipt": [console(OUTLETS, "get", lambda w: f"/outlet/sales/{GUESSED_ID}/", {404})],
    "outlet:sale-return": [console(OUTLETS, "post", lambda w: f"/outlet/sales/{GUESSED_ID}/return/", {404})],
    "outlet:sale-pay": [console(OUTLETS, "get", lambda w: f"/outlet/sales/{GUESSED_ID}/pay/", {404})],
    "outlet:sale-cancel": [console(OUTLETS, "post", lambda w: f"/outlet/sales/{GUESSED_ID}/cancel/", {404})],
    "outlet:receipt-email": [console(OUTLETS, "post", lambda w: f"/outlet/sales/{GUESSED_ID}/email/", {404})],
    "outlet:close-of-day": [
        console(OUTLETS, "get", lambda w: "/outlet/day/", {200}),
        console(OUTLETS, "post", lambda w: "/outlet/day/", {400}, data=lambda w: {"cash_counted": "x"}),
    ],
    # Counts, write-offs and transfers: outlet A's own only (other outlets' transfers: tests/web/test_stockmoves.py).
    "outlet:count": [
        console(OUTLETS, "get", lambda w: "/outlet/count/", {200}, hidden=lambda w: [w.only_at_b]),
        console(OUTLETS, "post", lambda w: "/outlet/count/", {400}, data=lambda w: {"key": "k"}),
    ],
    "outlet:write-off": [
        console(OUTLETS, "get", lambda w: "/outlet/count/write-off/", {200}, hidden=lambda w: [w.only_at_b]),
        console(OUTLETS, "post", lambda w: "/outlet/count/write-off/", {400}, data=lambda w: {"key": "k"}),
    ],
    "outlet:count-history": [console(OUTLETS, "get", lambda w: "/outlet/count/history/", {200})],
    "outlet:transfers": [console(OUTLETS, "get", lambda w: "/outlet/transfers/", {200})],
    "outlet:transfer-request": [
        console(OUTLETS, "get", lambda w: "/outlet/transfers/request/", {200}),
        console(OUTLETS, "post", lambda w: "/outlet/transfers/request/", {400}, data=lambda w: {"key": "k"}),
    ],
    **{
        f"outlet:transfer-{action}": [
            console(OUTLETS, "post", lambda w, action=action: f"/outlet/transfers/{GUESSED_ID}/{action}/", {404})
        ]
        for action in ("send", "decline", "receive", "cancel")
    },
    # Deliveries: outlet A's staff see and receive outlet A's only (outlet B's is a 404, its cooperative's goods and
    # notes unseen); trade staff have no delivery page (tests/web/test_deliveries.py).
    "outlet:deliveries": [
        console(OUTLETS, "get", lambda w: "/outlet/deliveries/", {200}, hidden=lambda w: [w.delivery_to_b.number])
    ],
    "outlet:delivery": [
        console(OUTLETS, "get", lambda w: f"/outlet/deliveries/{w.delivery_to_a.pk}/", {200}),
        console(
            OUTLETS,
            "get",
            lambda w: f"/outlet/deliveries/{w.delivery_to_b.pk}/",
            {404},
            hidden=lambda w: [w.delivery_to_b.announcement_note],
        ),
        console(
            OUTLETS,
            "post",
            lambda w: f"/outlet/deliveries/{w.delivery_to_b.pk}/",
            {404},
            data=lambda w: {"key": "k", "action": "receive"},
        ),
        console(OUTLETS, "get", lambda w: f"/outlet/deliveries/{GUESSED_ID}/", {404}),
    ],
    # An empty walk-in receipt is refused (400); a real one: tests/web/test_deliveries.py.
    "outlet:delivery-new": [
        console(OUTLETS, "get", lambda w: "/outlet/deliveries/new/", {200}),
        console(
            OUTLETS,
            "post",
            lambda w: "/outlet/deliveries/new/",
            {400},
            data=lambda w: {"key": "k", "action": "receive"},
        ),
    ],
    # Producer A's staff: producer A's deliveries only (producer B's delivery to outlet B is a 404 and unseen).
    "portal:deliveries": [
        console(PRODUCERS, "get", lambda w: "/portal/deliveries/", {200}, hidden=lambda w: [w.delivery_to_b.number])
    ],
    "portal:delivery-announce": [
        console(PRODUCERS, "get", lambda w: "/portal/delivery/announce/".replace("delivery/", "deliveries/"), {200}),
        # Producer B's variant in producer A's announcement: refused on its field, nothing written.
        console(
            PRODUCERS,
            "post",
            lambda w: "/portal/deliveries/announce/",
            {400},
            data=lambda w: {"outlet": w.shop.tourist_site.pk, f"quantity_{w.shop.cashew_variant.pk}": "5"},
        ),
    ],
    "portal:delivery": [
        console(PRODUCERS, "get", lambda w: f"/portal/deliveries/{w.delivery_to_a.pk}/", {200}),
        console(
            PRODUCERS,
            "get",
            lambda w: f"/portal/deliveries/{w.delivery_to_b.pk}/",
            {404},
            hidden=lambda w: [w.delivery_to_b.announcement_note],
        ),
        console(PRODUCERS, "get", lambda w: f"/portal/deliveries/{GUESSED_ID}/", {404}),
    ],
    "portal:delivery-cancel": [
        console(PRODUCERS, "post", lambda w: f"/portal/deliveries/{w.delivery_to_a.pk}/cancel/", {302}),
        console(PRODUCERS, "post", lambda w: f"/portal/deliveries/{w.delivery_to_b.pk}/cancel/", {404}),
    ],
    # --- the trade console: trade staff (their province) and operators (everything) ----------------------------
    "trade:home": [console(TRADERS, "get", lambda w: "/trade/", {200})],
    "trade:producers": [
        console(
            TRADERS,
            "get",
            lambda w: "/trade/producers/?q=Đà Lạt",
            {200},
            hidden=lambda w: ["HTX Atiso Đà Lạt"],
            sees={OPERATOR},
        ),
        # Where producers stand (issue 16 §6): each filter, the month picker and the sort by nearest expiry.
        *(
            console(TRADERS, "get", lambda w, query=query: f"/trade/producers/?{query}", {200})
            for query in (
                "standing=selling",
                "standing=not-selling&sort=expiry",
                "standing=lapsing&month=2026-12",
                "standing=lapsed&sort=-expiry",
            )
        ),
    ],
    "trade:expiring": [
        console(TRADERS, "get", lambda w: "/trade/expiring/?days=90", {200}),
        console(TRADERS, "get", lambda w: "/trade/expiring/?days=this-month", {200}),
        console(TRADERS, "get", lambda w: "/trade/expiring/?days=next-month", {200}),
    ],
    "trade:delistings": [console(TRADERS, "get", lambda w: "/trade/delistings/?state=all", {200})],
    "trade:quarantine": [console(TRADERS, "get", lambda w: "/trade/quarantine/?released=on", {200})],
    "trade:reports": [
        console(TRADERS, "get", lambda w: "/trade/reports/?status=", {200}, hidden=_elsewhere_markers, sees={OPERATOR})
    ],
    "trade:report-handle": [
        console(TRADERS, "post", lambda w: f"/trade/reports/{w.report_here.pk}/handle/", {400}),
        # Another province's report: trade staff are refused as if it did not exist; operators reach it.
        console(
            TRADERS,
            "post",
            lambda w: f"/trade/reports/{w.report_elsewhere.pk}/handle/",
            {400},
            ok_for={TRADE: frozenset({404})},
            hidden=_elsewhere_markers,
            sees={OPERATOR},
        ),
        console(TRADERS, "post", lambda w: f"/trade/reports/{GUESSED_ID}/handle/", {404}),
    ],
    "trade:sales": [console(TRADERS, "get", lambda w: "/trade/sales/", {200})],
    "trade:sales-csv": [console(TRADERS, "get", lambda w: "/trade/sales.csv", {200})],
    "trade:sales-xlsx": [console(TRADERS, "get", lambda w: "/trade/sales.xlsx?channel=counter", {200})],
    # The counter's days of the province's outlets (tests/web/test_trade_counter.py: another province's are not shown).
    "trade:outlet-days": [
        console(TRADERS, "get", lambda w: "/trade/outlets/days/", {200}),
        console(TRADERS, "get", lambda w: f"/trade/outlets/days/?outlet={w.shop.showroom.pk}", {200}),
    ],
    "trade:outlet-days-csv": [console(TRADERS, "get", lambda w: "/trade/outlets/days.csv", {200})],
    "trade:payouts": [console(TRADERS, "get", lambda w: "/trade/payouts/", {200})],
    "trade:announcements": [console(TRADERS, "get", lambda w: "/trade/announcements/", {200})],
    "trade:events": [console(TRADERS, "get", lambda w: "/trade/events/", {200})],
    # A decision no certificate carries: refused with a message, nothing published (tests/web/test_rating_rounds.py).
    "trade:announcement-publish": [
        console(TRADERS, "post", lambda w: "/trade/announcements/publish/", {302}, data=lambda w: {"decision": "x"})
    ],
}
# --- the checks ------------------------------------------------------------------------------------------------


def _url_names() -> dict[str, str]:
    """Every named URL outside the back office: name → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) == "admin/":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_url_has_a_matrix_row():
    names = set(_url_names())
    assert names - set(MATRIX) - set(OUTSIDE) == set(), "a URL without a row in the role matrix"
    assert set(MATRIX) - names == set(), "a matrix row for a URL that is gone"
    assert set(OUTSIDE) & set(MATRIX) == set()


def _client(world: World, role: str) -> Client:
    client = Client()
    client.cookies["ocop_language"] = "en"
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def _check(world: World, clients: dict[str, Client], role: str, name: str, case: Case) -> list[str]:
    expected = case.expected(role)
    problems = []
    writes = case.method != "get"
    with transaction.atomic():
        before = others_rows(world) if writes else {}
        client = clients[role]
        cookies = copy.deepcopy(client.cookies)  # signing out (a case) must not sign out the next cases
        path = case.path(world)
        response = getattr(client, case.method)(path, case.data(world))
        label = f"{role} {case.method.upper()} {path} ({name})"
        if response.status_code not in expected:
            problems.append(f"{label}: {response.status_code}, expected {sorted(expected)}")
        gated = role == ANONYMOUS and role not in case.allowed and case.denied is None
        if gated and response.status_code == 302 and not response["Location"].startswith("/accounts/login/"):
            problems.append(f"{label}: sent to {response['Location']}, not to sign in")
        if role not in case.sees:
            content = b"".join(response.streaming_content) if response.streaming else response.content
            body = content.decode(errors="replace")
            problems += [f"{label}: shows {marker!r}" for marker in case.hidden(world) if marker and marker in body]
        after = others_rows(world) if writes else {}
        problems += [f"{label}: changed {what}" for what in before if before[what] != after[what]]
        transaction.set_rollback(True)
    client.cookies = cookies
    return problems


def test_each_role_reaches_its_own_and_nothing_of_others(shop):
    world = build_world(shop)
    clients = {role: _client(world, role) for role in ROLES}
    problems = [
        problem
        for role in ROLES
        for name, cases in MATRIX.items()
        for case in cases
        for problem in _check(world, clients, role, name, case)
    ]
    assert problems == []


# --- the back office ---------------------------------------------------------------------------------------

# Which objects of each model a role sees in the admin; a model a role is not named under is closed to it
# (403; anonymous visitors and consumers, who are not staff, are sent to the admin's sign-in).
# Objects: "a" producer A's / outlet A's / in the province, "b" producer B's / outlet B's / in the province,
# "x" another province's; "any" for models without tenants.
ADMIN_SEES: dict[str, dict[str, set[str]]] = {
    "catalogue.product": {OPERATOR: {"a", "b", "x"}, TRADE: {"a", "b"}, PRODUCER: {"a"}},
    "catalogue.productvariant": {OPERATOR: {"a", "b"}, PRODUCER: {"a"}},
    "certification.certification": {OPERATOR: {"a", "b", "x"}, TRADE: {"a", "b"}, PRODUCER: {"a"}},
    "producers.producer": {OPERATOR: {"a", "b", "x"}, TRADE: {"a", "b"}, PRODUCER: {"a"}},
    "outlets.outlet": {OPERATOR: {"a", "b", "x"}, TRADE: {"a", "b"}, OUTLET: {"a"}},
    "inventory.stock": {OPERATOR: {"a", "b"}, PRODUCER: {"a"}, OUTLET: {"a"}},
    "orders.order": {OPERATOR: {"a", "b"}, OUTLET: {"a"}},
    "catalogue.listingevent": {OPERATOR: {"a", "b"}, TRADE: {"a", "b"}, PRODUCER: {"a"}},
    "payments.transactionitem": {OPERATOR: {"any"}},
    "accounts.user": {OPERATOR: {"any"}},
    "catalog_sync.syncrun": {OPERATOR: {"any"}, TRADE: {"any"}},
    "events.event": {OPERATOR: {"any"}, TRADE: {"any"}},
    "catalog_sync.quarantinedrecord": {OPERATOR: {"any"}, TRADE: {"any"}},
}
OPERATOR_ONLY = {
    "accounts.user",
    "catalogue.category",
    "catalogue.collection",
    "channel.channel",
    "content.menu",
    "content.page",
    "content.pagetype",
    "content.pageattribute",
    "discounts.voucher",
    "shipping.shippingzone",
    "payments.transactionitem",
    "payments.bankcredit",
    "payments.statementimport",
    "payments.transferrefund",
    "ledger.journalentry",
    "ledger.payoutrun",
    "ledger.payoutdetails",
    "counter.countersale",
    "counter.dayclose",
    "stockmoves.stockcount",
    "stockmoves.stocktransfer",
    "deliveries.delivery",
    "deliveries.stocklot",
}
REGISTRY_ONLY = {"catalog_sync.registrycursor"}  # the sync's bookkeeping: operators read it


def _admin_objects(world: World) -> dict[str, dict[str, Any]]:
    shop = world.shop
    a_stock = Stock.objects.filter(variant=shop.coffee_variant, outlet=shop.tourist_site).first()
    b_stock = Stock.objects.filter(variant__product=shop.cashew, outlet=shop.warehouse).first()
    a_cert, b_cert = shop.coffee.current_certification, shop.cashew.current_certification
    sync_run = SyncRun.objects.create(registry_url="http://registry.test")
    quarantined = QuarantinedRecord.objects.create(
        certificate_id="DN-2025-999", revision=2, raw={"stars": 9}, reasons=["bad"], sync_run=sync_run
    )
    return {
        "catalogue.product": {"a": shop.coffee, "b": shop.cashew, "x": world.elsewhere_product},
        "catalogue.productvariant": {"a": shop.coffee_variant, "b": shop.cashew_variant},
        "certification.certification": {
            "a": a_cert,
            "b": b_cert,
            "x": world.elsewhere_product.certifications.first(),
        },
        "producers.producer": {
            "a": shop.coffee.producer,
            "b": shop.cashew.producer,
            "x": world.elsewhere_product.producer,
        },
        "outlets.outlet": {
            "a": shop.tourist_site,
            "b": shop.showroom,
            "x": make_outlet(province=OTHER_PROVINCE, name="Điểm bán Đà Lạt"),
        },
        # Outlet A holds producer B's cashew too: "b" is a stock of producer B at producer B's own store.
        "inventory.stock": {"a": a_stock, "b": b_stock},
        "orders.order": {"a": world.order_a, "b": world.order_b},
        "catalogue.listingevent": {
            "a": ListingEvent.objects.filter(product=shop.coffee).first(),
            "b": ListingEvent.objects.filter(product=shop.cashew).first(),
        },
        "payments.transactionitem": {"any": TransactionItem.objects.filter(order=world.order_b).first()},
        "accounts.user": {"any": world.other_consumer},
        "catalog_sync.syncrun": {"any": sync_run},
        "events.event": {
            "any": Event.objects.create(
                name="Hội chợ OCOP",
                slug="hoi-cho-ocop",
                starts_on=local_today(),
                ends_on=local_today(),
                venue="Biên Hòa",
            )
        },
        "catalog_sync.quarantinedrecord": {"any": quarantined},
    }


def test_every_admin_model_has_a_matrix_row():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - set(ADMIN_SEES) - OPERATOR_ONLY - REGISTRY_ONLY == set()


def _admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_the_back_office_shows_each_role_its_own_rows_only(shop):
    world = build_world(shop)
    objects = _admin_objects(world)
    problems: list[str] = []
    for role in ROLES:
        problems += _admin_problems(world, objects, role)
    assert problems == []


def _admin_problems(world: World, objects: dict[str, dict[str, Any]], role: str) -> list[str]:
    client = _client(world, role)
    problems: list[str] = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        sees = ADMIN_SEES.get(label, {OPERATOR: {"any"}} if label in OPERATOR_ONLY | REGISTRY_ONLY else {})
        opened = role in sees
        changelist = client.get(_admin_url(model, "changelist"))
        if role in (ANONYMOUS, CONSUMER):
            if changelist.status_code != 302 or not changelist["Location"].startswith("/admin/login/"):
                problems.append(f"{role} {label} list: {changelist.status_code}")
            continue
        if changelist.status_code != (200 if opened else 403):
            problems.append(f"{role} {label} list: {changelist.status_code}")
        for key, obj in objects.get(label, {}).items():
            visible = key in sees.get(role, set())
            for action in ("change", "history"):
                response = client.get(_admin_url(model, action, obj.pk))
                if visible != (response.status_code == 200):
                    problems.append(f"{role} {label} {key} {action}: {response.status_code}")
            if not visible:
                with transaction.atomic():
                    client.post(_admin_url(model, "delete", obj.pk), {"post": "yes"})
                    if not model._default_manager.filter(pk=obj.pk).exists():
                        problems.append(f"{role} {label} {key}: deleted")
                    transaction.set_rollback(True)
                if changelist.status_code == 200 and str(obj) and f">{obj}<" in changelist.content.decode():
                    problems.append(f"{role} {label} list shows {key}: {obj}")
    return problems


# --- access tokens: the storefront API's, never a key to the pages and consoles --------------------------------


def _tokens(user: User) -> dict[str, str]:
    """A valid access token of `user`, and the forgeries and leftovers the API refuses."""
    import datetime

    import jwt as pyjwt

    from storefront_api.account import jwt

    valid = jwt.create_access_token(user, issuer="http://testserver/graphql/")
    payload = pyjwt.decode(valid, options={"verify_signature": False})
    expired = {**payload, "iat": 1_600_000_000, "exp": 1_600_000_600}
    return {
        "valid": valid,
        "expired": pyjwt.encode(expired, jwt._secret(), algorithm=jwt.ALGORITHM),
        "alg none": pyjwt.encode(payload, key=None, algorithm="none"),
        "another key": pyjwt.encode(payload, "not-our-secret-" * 4, algorithm=jwt.ALGORITHM),
        "garbled": valid[:-6] + "AAAAAA",
        "password changed": valid,  # the password is changed below, after this token was made
        "a day later": pyjwt.encode(
            {**payload, "exp": payload["exp"] + datetime.timedelta(days=1).total_seconds()}, "x" * 32, algorithm="HS256"
        ),
    }


@pytest.mark.parametrize(
    "kind", ["valid", "expired", "alg none", "another key", "garbled", "password changed", "a day later"]
)
def test_an_access_token_opens_no_console_and_no_back_office(shop, kind):
    """The consoles and the admin know staff by their session only: a Bearer token, even a valid one, is the
    API's (a token stolen from a storefront must not open the back office), and a forged one is nobody."""
    world = build_world(shop)
    pages = {
        PRODUCER: ["/portal/", f"/portal/products/{shop.coffee.pk}/"],
        OUTLET: ["/outlet/", f"/outlet/orders/{world.order_a.pk}/"],
        TRADE: ["/trade/", "/trade/reports/"],
        OPERATOR: ["/admin/", "/admin/orders/order/"],
        CONSUMER: [f"/orders/{world.order_a.pk}/"],
    }
    for role, urls in pages.items():
        user = world.users[role]
        token = _tokens(user)[kind]
        if kind == "password changed":
            user.set_password("mật-khẩu-mới-2026")
            user.save()
        for url in urls:
            response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code in (302, 404), (role, url, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"], (role, url, response["Location"])
            for post in ("/outlet/handover/", f"/portal/products/{shop.coffee.pk}/descriptions/"):
                refused = Client().post(post, {"code": world.order_a.pickup_code}, HTTP_AUTHORIZATION=f"Bearer {token}")
                assert refused.status_code == 302 and "login" in refused["Location"]
