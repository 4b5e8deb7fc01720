"""Generated hostile input for every form of the pages and consoles, and what each answer must keep.

Each `Target` is one form: the page it posts to (or the query string a filter page reads), its fields with a
value that passes, who sends it, a snapshot of the rows it may change, and what must hold when it accepts.
`form_data` draws, for each field, the valid value, a hostile one, several (a duplicated field) or nothing (a
missing field). `run_example` sends one draw inside a savepoint rolled back afterwards and checks:

- the answer is a page with an error (200, 400, 403, 404, 405, 409, 429) or a redirect, never 5xx;
- a refused draw (a 4xx, the form shown again with 200, or an error message) leaves the snapshot as it was;
- an accepted draw leaves the rows valid (`Target.invariant`).

Used by tests/web/test_form_fuzz.py (a few examples per form, deterministic) and bench/fuzz_forms.py (many).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import strategies as st
from PIL import Image

from marketplace.accounts.models import Address, Role, User
from marketplace.catalogue.models import ProductMedia, ProductVariantChannelListing
from marketplace.certification.models import MisuseReport, MisuseReportStatus
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.core.dates import local_today
from marketplace.deliveries.models import Delivery, DeliveryLine
from marketplace.deliveries.services import AnnouncedLine, delivery_announce
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, Order, OrderLine
from marketplace.orders.services import order_mark_ready_for_pickup
from payments.checkout import checkout_complete
from payments.models import TransactionEvent, TransactionItem
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.marketplace.checkout.helpers import cash_pickup_checkout
from web.cart.services import CheckoutChoices, checkout_choices_save, checkout_place_with_cash
from web.portal.services import MAX_PRICE, MAX_QUANTITY

ALLOWED_STATUSES = frozenset({200, 301, 302, 303, 400, 403, 404, 405, 409, 413, 429})

VIETNAMESE = "Đồng Nai · Cà phê hạt Robusta · Nguyễn Thị Ánh · Hợp tác xã Tân Triều"
HOSTILE_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t\x0b\x0c",
    "\x1b[31mred",
    "\u202eevil",
    "\ufeffbom",
    "\u200b",
    VIETNAMESE,
    unicodedata.normalize("NFD", VIETNAMESE),
    "🍍🥥" * 10,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "9" * 40,
    "-" + "9" * 40,
    str(2**31),
    str(2**63),
    "１２３",
    "0x10",
    "150.000 ₫",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "A" * 10_000,
    "ố" * 5_000,
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80),
    st.integers().map(str),
    st.text(max_size=2).map(lambda text: text * 3_000),
)

MISSING = object()


def field_values(valid: Any) -> st.SearchStrategy[Any]:
    """The valid value, a hostile one, a field sent two or three times, or no field at all."""
    return st.one_of(
        st.just(valid),
        hostile_text,
        st.lists(st.one_of(st.just(valid), hostile_text), min_size=2, max_size=3),
        st.just(MISSING),
    )


def form_data(fields: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: field_values(valid) for name, valid in fields.items()}).map(
        lambda drawn: {name: value for name, value in drawn.items() if value is not MISSING}
    )


def tiny_png(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo_png() -> bytes:
    """A photo the portal keeps: at least OCOP_PHOTO_MIN_SIDE (600) pixels on its shorter side."""
    return tiny_png((800, 600))


photo_files = st.one_of(
    st.just(("hat-dieu.png", photo_png())),
    st.just(("nho.png", tiny_png())),  # too small for a product photo
    st.tuples(hostile_text.map(lambda name: name[:200] or "x"), st.binary(max_size=2_000)),
    st.tuples(st.just("truncated.png"), st.just(tiny_png()[:60])),
)


# --- the shop the forms work on ----------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    shop: Any
    consumer: User
    producer_staff: User  # of producer A (coffee)
    outlet_staff: User  # of the tourist site
    trade_staff: User
    order: Order  # cash pickup at the tourist site, ready, with a pickup code
    report: MisuseReport
    part: Fulfillment  # producer A's part of a home delivery, to ship
    announced: Delivery  # producer A's delivery announced to the tourist site, to receive

    @property
    def product(self):
        return self.shop.coffee

    @property
    def variant(self):
        return self.shop.coffee_variant


def build_world(shop) -> World:
    checkout = cash_pickup_checkout(shop, {shop.coffee_variant: 1}, email="buyer@example.test")
    outlet_staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    order = order_mark_ready_for_pickup(order=checkout_complete(token=checkout.pk, user=None), by_user=outlet_staff)
    report = MisuseReport.objects.create(
        certificate_id=shop.coffee.current_certification.certificate_id,
        certification=shop.coffee.current_certification,
        product=shop.coffee,
        place="Chợ Biên Hòa",
        description="Nhãn OCOP giả",
    )
    delivery = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.coffee_variant.pk, quantity=1)],
        email="nguoi-nhan@example.test",
        language_code="vi",
        user=None,
    )
    delivery = checkout_choices_save(
        checkout=delivery,
        choices=CheckoutChoices(
            email="nguoi-nhan@example.test",
            outlet_id=None,
            shipping_method_id=shop.standard.pk,
            address={
                "first_name": "An",
                "last_name": "Nguyễn",
                "phone": "0912 345 678",
                "street_address_1": "12 Đường 30 Tháng 4",
                "country_area": "75",
                "city": "26041",
            },
        ),
    )
    shipped = checkout_place_with_cash(checkout=delivery, user=None)
    return World(
        shop=shop,
        part=Fulfillment.objects.get(order=shipped, producer=shop.coffee.producer),
        consumer=make_user(Role.CONSUMER),
        producer_staff=make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer),
        outlet_staff=outlet_staff,
        trade_staff=make_user(Role.TRADE_STAFF),
        order=order,
        report=report,
        announced=delivery_announce(
            producer=shop.coffee.producer,
            outlet=shop.tourist_site,
            by_user=make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer),
            expected_on=local_today(),
            lines=[AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=6, lot="L-1")],
        ),
    )


# Addresses in 10.0.0.0/8 above 10.1.0.0, from a random start: the per-address counters live in Redis for a
# while, and the next run must not find this one's.
_addresses = itertools.count(2**16 + secrets.randbelow(2**23))


def client_for(world: World | None, who: str | None) -> Client:
    """A client signed in as `who` (None: a visitor), from its own address (so the sign-in and report limits,
    which are another test's subject, never stand in front of the form)."""
    n = next(_addresses)
    client = Client(REMOTE_ADDR=f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}")
    client.cookies["ocop_language"] = "en"
    if who is not None:
        client.force_login(getattr(world, who))
    return client


def with_cart(world: World, client: Client) -> Checkout:
    """A guest cart with one coffee pack, in the client's session."""
    checkout = checkout_create(
        channel=world.shop.channel,
        lines=[LineRequest(variant_id=world.variant.pk, quantity=1)],
        email=None,
        language_code="vi",
        user=None,
    )
    session = client.session
    session["checkout_token"] = str(checkout.token)
    session.save()
    return checkout


# --- snapshots and invariants ------------------------------------------------------------------------------


def _rows(queryset, *fields: str) -> list:
    return sorted(map(repr, queryset.values_list(*fields)))


def cart_rows(world: World) -> dict:
    return {
        "tokens": list(Checkout.objects.values_list("token", flat=True)),
        "checkouts": _rows(Checkout.objects.all(), "token", "email", "voucher_code", "collection_point_id"),
        "lines": _rows(CheckoutLine.objects.all(), "id", "checkout_id", "variant_id", "quantity"),
    }


def order_rows(world: World) -> dict:
    return {
        "orders": _rows(Order.objects.all(), "id", "status"),
        "parts": _rows(Fulfillment.objects.all(), "id", "status", "tracking_number"),
        "order_lines": OrderLine.objects.count(),
        "transactions": _rows(TransactionItem.objects.all(), "token", "checkout_id", "order_id", "charged_amount"),
        "events": TransactionEvent.objects.count(),
        "stock": _rows(Stock.objects.all(), "id", "quantity", "quantity_allocated"),
    }


def portal_rows(world: World) -> dict:
    return {
        "prices": _rows(ProductVariantChannelListing.objects.all(), "id", "price_amount"),
        "stock": _rows(Stock.objects.all(), "id", "variant_id", "outlet_id", "quantity"),
        "descriptions": _rows(type(world.product).objects.all(), "id", "seller_description", "seller_description_en"),
        "media": _rows(ProductMedia.objects.all(), "id", "product_id", "alt"),
    }


def user_rows(world: World) -> dict:
    return {"users": _rows(User.objects.all(), "id", "email", "password", "is_active")}


def report_rows(world: World) -> dict:
    return {"reports": _rows(MisuseReport.objects.all(), "id", "status", "resolution", "certificate_id")}


def no_rows(world: World) -> dict:
    return {}


def cart_invariant(world: World, before: dict) -> list[str]:
    """A cart opened by the request holds what was added (a cart the buyer emptied may stay empty)."""
    limit = settings.OCOP_CHECKOUT_MAX_LINE_QUANTITY
    opened = Checkout.objects.filter(lines__isnull=True).exclude(token__in=before.get("tokens", []))
    problems = [f"checkout {c.pk} has no lines" for c in opened]
    problems += [
        f"line quantity {q}" for q in CheckoutLine.objects.values_list("quantity", flat=True) if not 1 <= q <= limit
    ]
    return problems


def stock_invariant(world: World, before: dict) -> list[str]:
    return [
        f"stock {pk}: {quantity} < allocated {allocated} or above {MAX_QUANTITY}"
        for pk, quantity, allocated in Stock.objects.values_list("pk", "quantity", "quantity_allocated")
        if quantity < allocated or quantity > MAX_QUANTITY
    ]


def portal_invariant(world: World, before: dict) -> list[str]:
    problems = [
        f"price {amount}"
        for amount in ProductVariantChannelListing.objects.values_list("price_amount", flat=True)
        if amount is not None and not 1 <= amount <= MAX_PRICE
    ]
    for text in type(world.product).objects.values_list("seller_description", "seller_description_en"):
        problems += [f"description holds a NUL or is {len(t)} long" for t in text if "\x00" in t or len(t) > 10_000]
    return problems + stock_invariant(world, before)


def is_clean(text: str) -> bool:
    """NFC, without control characters: what the services store (marketplace.core.text.clean_text)."""
    return text == unicodedata.normalize("NFC", text) and not any(
        unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text
    )


def delivery_rows(world: World) -> dict:
    return {
        "deliveries": _rows(Delivery.objects.all(), "id", "status", "receipt_key", "announcement_note", "receipt_note"),
        "lines": _rows(DeliveryLine.objects.all(), "id", "quantity_announced", "quantity_received", "lot"),
        "stock": _rows(Stock.objects.all(), "id", "variant_id", "outlet_id", "quantity"),
    }


def delivery_invariant(world: World, before: dict) -> list[str]:
    """Deliveries hold clean text and quantities within bounds; a received one has every line counted."""
    problems = []
    for delivery in Delivery.objects.prefetch_related("lines"):
        texts = [delivery.announcement_note, delivery.receipt_note, delivery.receipt_key]
        for line in delivery.lines.all():
            texts += [line.lot, line.lot_announced]
            if delivery.status == "received" and line.quantity_received is None:
                problems.append(f"delivery {delivery.pk}: line {line.pk} received without a quantity")
        problems += [f"delivery {delivery.pk}: {text!r} is not clean text" for text in texts if not is_clean(text)]
    return problems + stock_invariant(world, before)


def order_invariant(world: World, before: dict) -> list[str]:
    problems = [f"order {o.number} has no lines" for o in Order.objects.filter(lines__isnull=True)]
    problems += [
        f"tracking number {number!r} is not clean text"
        for number in Fulfillment.objects.values_list("tracking_number", flat=True)
        if not is_clean(number)
    ]
    for address in Address.objects.values_list("first_name", "last_name", "street_address_1", "phone"):
        problems += [f"address field {value!r} is not clean text" for value in address if not is_clean(value)]
    problems += [
        f"order {number} has no payment"
        for number in Order.objects.filter(transactions__isnull=True).values_list("number", flat=True)
    ]
    return problems + stock_invariant(world, before)


def report_invariant(world: World, before: dict) -> list[str]:
    problems = []
    for report in MisuseReport.objects.all():
        for name in ("certificate_id", "place", "description", "reporter_name", "reporter_contact", "resolution"):
            value = getattr(report, name)
            if "\x00" in value or value != unicodedata.normalize("NFC", value):
                problems.append(f"report {report.pk}: {name} is not clean text")
    return problems


def nothing(world: World, before: dict) -> list[str]:
    return []


# --- the forms ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    method: str  # "get" or "post"
    url: Callable[[World, dict], str]
    fields: Callable[[World], dict[str, Any]]
    who: str | None = None  # the World attribute of the user who sends it; None: a visitor
    snapshot: Callable[[World], dict] = no_rows
    invariant: Callable[[World, dict], list[str]] = nothing
    cart: bool = False  # the visitor has a cart with one line
    files: bool = False  # a multipart form with a photo
    path_value: str | None = None  # a field whose value goes into the URL instead of the body


def _fixed(url: str) -> Callable[[World, dict], str]:
    return lambda world, data: url


def _site_row(world: World) -> Stock:
    return Stock.objects.get(outlet=world.shop.tourist_site, variant=world.variant)


def _own_line(world: World, data: dict) -> str:
    return f"/cart/lines/{data['__line']}/"


def _trade(page: str) -> Target:
    return Target(
        name=f"trade filters {page}",
        method="get",
        url=_fixed(f"/trade/{page}"),
        fields=lambda world: {
            "q": "Cà phê",
            "days": "30",
            "from": "2026-01-01",
            "to": "2026-12-31",
            "state": "listed",
            "reason": "",
            "status": "new",
            "released": "on",
            "page": "1",
        },
        who="trade_staff",
    )


TARGETS: list[Target] = [
    Target(
        name="sign-in",
        method="post",
        url=_fixed("/accounts/login/"),
        fields=lambda world: {"username": world.consumer.username, "password": DEFAULT_PASSWORD, "next": "/"},
        snapshot=user_rows,
    ),
    Target(
        name="catalogue filters",
        method="get",
        url=_fixed("/products/"),
        fields=lambda world: {
            "q": "cà phê",
            "stars": "4",
            "group": "1",
            "commune": "Phường Trấn Biên",
            "outlet": str(world.shop.tourist_site.pk),
            "price_min": "1000",
            "price_max": "500000",
            "sort": "price",
            "page": "1",
        },
    ),
    Target(name="verify search", method="get", url=_fixed("/verify/"), fields=lambda world: {"certificate_id": "DN-1"}),
    Target(
        name="verify page",
        method="get",
        url=lambda world, data: f"/verify/{quote(str(data.pop('certificate_id', 'x')) or 'x', safe='')}/",
        fields=lambda world: {"certificate_id": world.report.certificate_id},
        path_value="certificate_id",
    ),
    Target(
        name="misuse report",
        method="post",
        url=lambda world, data: f"/verify/{world.report.certificate_id}/",
        fields=lambda world: {
            "place": "Chợ Long Khánh",
            "description": "Bán cà phê gắn nhãn OCOP 5 sao không có thật",
            "reporter_name": "An",
            "reporter_contact": "an@example.test",
        },
        snapshot=report_rows,
        invariant=report_invariant,
    ),
    Target(
        name="cart add",
        method="post",
        url=_fixed("/cart/add/"),
        fields=lambda world: {"variant_id": str(world.variant.pk), "quantity": "2", "next": "/cart/"},
        snapshot=cart_rows,
        invariant=cart_invariant,
    ),
    Target(
        name="cart line update",
        method="post",
        url=_own_line,
        fields=lambda world: {"quantity": "3", "action": "accept", "next": "/cart/"},
        snapshot=cart_rows,
        invariant=cart_invariant,
        cart=True,
    ),
    Target(
        name="cart promo code",
        method="post",
        url=_fixed("/cart/promo-code/"),
        fields=lambda world: {"code": "TET2027", "action": "apply", "next": "/cart/"},
        snapshot=cart_rows,
        invariant=cart_invariant,
        cart=True,
    ),
    Target(
        name="checkout",
        method="post",
        url=_fixed("/checkout/"),
        fields=lambda world: {
            "email": "an@example.test",
            "delivery": "delivery",
            "first_name": "An",
            "last_name": "Nguyễn",
            "phone": "0912 345 678",
            "street_address_1": "12 Đường 30 Tháng 4",
            "country_area": "75",
            "city": "26041",
            "shipping_method": str(world.shop.standard.pk),
            "payment": "cash",
            "action": "place",
        },
        snapshot=order_rows,
        invariant=order_invariant,
        cart=True,
    ),
    Target(
        name="checkout pickup",
        method="post",
        url=_fixed("/checkout/"),
        fields=lambda world: {
            "email": "an@example.test",
            "delivery": f"pickup-{world.shop.tourist_site.pk}",
            "payment": "cash",
            "action": "place",
        },
        snapshot=order_rows,
        invariant=order_invariant,
        cart=True,
    ),
    Target(
        name="card payment",
        method="post",
        url=_fixed("/checkout/card/"),
        fields=lambda world: {"payment_method": "pm_card_visa"},
        snapshot=order_rows,
        invariant=order_invariant,
        cart=True,
    ),
    Target(
        name="portal prices",
        method="post",
        url=lambda world, data: f"/portal/products/{world.product.pk}/prices/",
        fields=lambda world: {f"variant_{world.variant.pk}": "165.000"},
        who="producer_staff",
        snapshot=portal_rows,
        invariant=portal_invariant,
    ),
    Target(
        name="portal stock",
        method="post",
        url=lambda world, data: f"/portal/products/{world.product.pk}/stock/",
        fields=lambda world: {
            **{
                f"stock_{stock.variant_id}_{stock.outlet_id}": str(stock.quantity + 5)
                for stock in Stock.objects.filter(variant=world.variant)
            },
            "new_variant": str(world.variant.pk),
            "new_outlet": str(world.shop.warehouse.pk),
            "new_quantity": "12",
        },
        who="producer_staff",
        snapshot=portal_rows,
        invariant=portal_invariant,
    ),
    Target(
        name="portal descriptions",
        method="post",
        url=lambda world, data: f"/portal/products/{world.product.pk}/descriptions/",
        fields=lambda world: {"seller_description": VIETNAMESE, "seller_description_en": "Robusta beans"},
        who="producer_staff",
        snapshot=portal_rows,
        invariant=portal_invariant,
    ),
    Target(
        name="portal shipping",
        method="post",
        url=lambda world, data: f"/portal/orders/{world.part.pk}/ship/",
        fields=lambda world: {"tracking_number": "GHN-123456"},
        who="producer_staff",
        snapshot=order_rows,
        invariant=order_invariant,
    ),
    Target(
        name="checkout province reload",
        method="post",
        url=_fixed("/checkout/"),
        fields=lambda world: {"action": "refresh", "country_area": "79", "city": "", "email": "an@example.test"},
        snapshot=order_rows,
        invariant=order_invariant,
        cart=True,
    ),
    Target(
        name="portal photo",
        method="post",
        url=lambda world, data: f"/portal/products/{world.product.pk}/photos/",
        fields=lambda world: {"alt": "Túi cà phê 500 g"},
        who="producer_staff",
        snapshot=portal_rows,
        invariant=portal_invariant,
        files=True,
    ),
    _trade("producers/"),
    _trade("expiring/"),
    _trade("delistings/"),
    _trade("quarantine/"),
    _trade("reports/"),
    _trade("sales/"),
    _trade("sales.csv"),
    _trade("sales.xlsx"),
    Target(
        name="trade report handling",
        method="post",
        url=lambda world, data: f"/trade/reports/{world.report.pk}/handle/",
        fields=lambda world: {
            f"report-{world.report.pk}-status": MisuseReportStatus.HANDLED,
            f"report-{world.report.pk}-resolution": "Đã kiểm tra, thu hồi hàng giả",
        },
        who="trade_staff",
        snapshot=report_rows,
        invariant=report_invariant,
    ),
    Target(
        name="outlet pickup code",
        method="post",
        url=_fixed("/outlet/handover/"),
        fields=lambda world: {"code": world.order.pickup_code},
        who="outlet_staff",
        snapshot=order_rows,
        invariant=order_invariant,
    ),
    Target(
        name="outlet hand-over",
        method="post",
        url=_fixed("/outlet/handover/confirm/"),
        fields=lambda world: {"code": world.order.pickup_code, "cash_amount": "150.000 ₫"},
        who="outlet_staff",
        snapshot=order_rows,
        invariant=order_invariant,
    ),
    Target(
        name="outlet stock page",
        method="get",
        url=_fixed("/outlet/stock/"),
        fields=lambda world: {"page": "1"},
        who="outlet_staff",
    ),
    Target(
        name="outlet count",
        method="post",
        url=_fixed("/outlet/count/"),
        fields=lambda world: {
            "key": "fuzz-count",
            f"counted-{_site_row(world).pk}": "9",
            f"reason-{_site_row(world).pk}": "damage",
            f"note-{_site_row(world).pk}": "Hai gói rách",
        },
        who="outlet_staff",
        snapshot=order_rows,
        invariant=stock_invariant,
    ),
    Target(
        name="outlet write-off",
        method="post",
        url=_fixed("/outlet/count/write-off/"),
        fields=lambda world: {
            "key": "fuzz-write-off",
            "variant": str(world.variant.pk),
            "quantity": "1",
            "reason": "damage",
            "note": "Hũ vỡ",
        },
        who="outlet_staff",
        snapshot=order_rows,
        invariant=stock_invariant,
    ),
    Target(
        name="outlet transfer request",
        method="post",
        url=_fixed("/outlet/transfers/request/"),
        fields=lambda world: {
            "key": "fuzz-transfer",
            "source": str(Stock.objects.get(outlet=world.shop.showroom, variant=world.variant).pk),
            "quantity": "2",
            "order": "",
            "note": "Cho khách đoàn",
        },
        who="outlet_staff",
        snapshot=order_rows,
        invariant=stock_invariant,
    ),
    Target(
        name="portal delivery announcement",
        method="post",
        url=_fixed("/portal/deliveries/announce/"),
        fields=lambda world: {
            "outlet": str(world.shop.tourist_site.pk),
            "expected_on": local_today().isoformat(),
            f"quantity_{world.variant.pk}": "12",
            f"lot_{world.variant.pk}": "L-2026-12",
            f"best_before_{world.variant.pk}": "2027-06-30",
            "note": VIETNAMESE,
        },
        who="producer_staff",
        snapshot=delivery_rows,
        invariant=delivery_invariant,
    ),
    Target(
        name="outlet delivery receipt",
        method="post",
        url=lambda world, data: f"/outlet/deliveries/{world.announced.pk}/",
        fields=lambda world: {
            "key": "receipt-form-1",
            **{
                f"line-{line.pk}-{name}": value
                for line in world.announced.lines.all()
                for name, value in (("quantity", "5"), ("lot", "L-1"), ("best_before", "2027-01-31"))
            },
            "extra-0-variant": str(world.shop.coffee_variant.pk),
            "extra-0-quantity": "2",
            "extra-0-lot": "L-2",
            "note": VIETNAMESE,
            "q": "cà phê",
            "add": str(world.shop.coffee_variant.pk),
            "action": "receive",
        },
        who="outlet_staff",
        snapshot=delivery_rows,
        invariant=delivery_invariant,
    ),
    Target(
        name="outlet delivery without announcement",
        method="post",
        url=_fixed("/outlet/deliveries/new/"),
        fields=lambda world: {
            "key": "walk-in-form-1",
            "extra-0-variant": str(world.shop.cashew_variant.pk),
            "extra-0-quantity": "4",
            "extra-0-lot": "D-9",
            "extra-0-best_before": "2027-03-01",
            "note": VIETNAMESE,
            "action": "receive",
        },
        who="outlet_staff",
        snapshot=delivery_rows,
        invariant=delivery_invariant,
    ),
    Target(
        name="account confirmation link",
        method="post",
        url=_fixed("/accounts/confirm/"),
        fields=lambda world: {"email": world.consumer.email, "token": "abc-123"},
        snapshot=user_rows,
    ),
    Target(
        name="password reset link",
        method="post",
        url=_fixed("/accounts/reset/"),
        fields=lambda world: {
            "email": world.consumer.email,
            "token": "abc-123",
            "password": "mật-khẩu-mới-2026",
            "password_again": "mật-khẩu-mới-2026",
        },
        snapshot=user_rows,
    ),
]

TARGETS_BY_NAME = {target.name: target for target in TARGETS}


def target_data(target: Target, world: World) -> st.SearchStrategy[dict[str, Any]]:
    data = form_data(target.fields(world))
    if target.files:
        data = st.tuples(data, st.one_of(photo_files, st.just(None))).map(
            lambda pair: {**pair[0], **({"photo": SimpleUploadedFile(*pair[1])} if pair[1] else {})}
        )
    return data


# --- one example -------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What a run saw: answers by status, refused and accepted draws, and the failures (kept to a few)."""

    requests: int = 0
    statuses: Counter = dataclasses.field(default_factory=Counter)
    refused: int = 0
    accepted: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)


class Failure(AssertionError):
    pass


def refused(response) -> bool:
    """Whether the form turned the input away: an error status, the form shown again, or an error message."""
    if response.status_code >= 400 or response.status_code == 200:
        return True
    queued = getattr(response.wsgi_request, "_messages", None)
    return any(message.level == message_levels.ERROR for message in (queued or []))


def _shown(data: dict) -> str:
    return repr({name: (value if len(repr(value)) < 120 else f"{repr(value)[:100]}…") for name, value in data.items()})


def run_example(
    target: Target, world: World, data: dict, *, tally: Tally | None = None, raise_errors: bool = True
) -> None:
    """Send one draw; raise Failure (or, with `tally`, count it) when an answer or the rows are wrong."""
    data = dict(data)
    with transaction.atomic():
        client = client_for(world, target.who)
        client.raise_request_exception = raise_errors
        if target.cart:
            checkout = with_cart(world, client)
            data["__line"] = str(checkout.lines.get().pk)
        url = target.url(world, data)
        data.pop("__line", None)
        before = target.snapshot(world)
        send = client.get if target.method == "get" else client.post
        response = send(url, data)
        problems: list[str] = []
        if response.status_code not in ALLOWED_STATUSES:
            problems.append(f"answered {response.status_code}")
        elif target.method == "post" and refused(response):
            after = target.snapshot(world)
            problems += [f"refused, yet {name} changed" for name in before if before[name] != after.get(name)]
        elif target.method == "post":
            problems += target.invariant(world, before)
        transaction.set_rollback(True)
    if tally is not None:
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        if target.method == "post":
            if refused(response):
                tally.refused += 1
            else:
                tally.accepted += 1
        if problems and len(tally.failures) < 20:
            tally.failures.append(f"{target.name}: {'; '.join(problems)} for {_shown(data)}")
    if problems and raise_errors:
        raise Failure(f"{target.name} {target.method.upper()} {url[:120]}: {'; '.join(problems)} for {_shown(data)}")
