"""Demo data for `make run`, on top of what the registry sync brought in: outlets, variants with prices and stock,
and one account per role. Safe to run again: it only adds what is missing and never overwrites.

Outlets are the 14 real places of `shared/data/ocop-dongnai-outlets.json`. Prices are invented (no source gives
retail prices) but stable: derived from a hash of the registry product id, within a range for the kind of product.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from vietnamadminunits import ParseMode, parse_address

from marketplace.accounts.address_validation import validate_address
from marketplace.accounts.models import Role, User
from marketplace.catalogue.collection_services import collections_refresh_automatic
from marketplace.catalogue.groups import groups_name_in_english
from marketplace.catalogue.models import Product, ProductVariant, ProductVariantChannelListing
from marketplace.catalogue.selectors import listed_products
from marketplace.channel.models import Channel
from marketplace.channel.services import channel_ensure_default
from marketplace.checkout.complete import PaymentSummary, place_order
from marketplace.checkout.selectors import checkout_locked
from marketplace.checkout.services import (
    LineRequest,
    checkout_create,
    checkout_delivery_method_update,
    checkout_shipping_address_update,
)
from marketplace.core.text import clean_text, fold, slugify_vi
from marketplace.demo.content import demo_content_ensure
from marketplace.discounts.models import Voucher, VoucherCode
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order, PaymentMethod
from marketplace.orders.services import order_mark_ready_for_pickup
from marketplace.outlets.models import CollectionPointOption, OpeningPeriod, Outlet, OutletKind
from marketplace.producers.models import Producer, ProducerKind
from marketplace.shipping.models import ShippingMethod, ShippingZone

logger = logging.getLogger(__name__)

PROVINCE = "Tỉnh Đồng Nai"

_OUTLET_KINDS: dict[str, str] = {
    "ocop_showroom": OutletKind.SHOWROOM,
    "ocop_showroom_at_tourist_site": OutletKind.SHOWROOM,
    "supermarket_ocop_corner": OutletKind.SHOWROOM,
    "tourist_site": OutletKind.TOURIST_SITE,
    "agritourism_site": OutletKind.TOURIST_SITE,
    "producer_agritourism_site": OutletKind.PRODUCER_WAREHOUSE,
}
_HOLD_DAYS: dict[str, int] = {OutletKind.SHOWROOM: 5, OutletKind.TOURIST_SITE: 3, OutletKind.PRODUCER_WAREHOUSE: 3}
_OPENING_HOURS: dict[str, tuple[str, str]] = {
    OutletKind.SHOWROOM: ("7:30–17:00 hằng ngày", "7:30 am–5:00 pm daily"),
    OutletKind.TOURIST_SITE: ("7:00–17:00 hằng ngày", "7:00 am–5:00 pm daily"),
    OutletKind.PRODUCER_WAREHOUSE: ("8:00–16:30, thứ Hai đến thứ Bảy", "8:00 am–4:30 pm, Monday to Saturday"),
}
# The same hours as periods (weekdays, opens, closes): what "open now" and the outlets' pages read.
_WEEKLY_HOURS: dict[str, tuple[range, datetime.time, datetime.time]] = {
    OutletKind.SHOWROOM: (range(7), datetime.time(7, 30), datetime.time(17)),
    OutletKind.TOURIST_SITE: (range(7), datetime.time(7), datetime.time(17)),
    OutletKind.PRODUCER_WAREHOUSE: (range(6), datetime.time(8), datetime.time(16, 30)),
}
_PICKUP_INSTRUCTIONS: dict[str, tuple[str, str]] = {
    OutletKind.SHOWROOM: (
        "Đưa mã nhận hàng cho nhân viên quầy OCOP.",
        "Show your pickup code at the OCOP counter.",
    ),
    OutletKind.TOURIST_SITE: (
        "Đến quầy thông tin du khách gần cổng chính và đưa mã nhận hàng.",
        "Go to the visitor information desk by the main gate and show your pickup code.",
    ),
    OutletKind.PRODUCER_WAREHOUSE: (
        "Gọi cho hợp tác xã khi đến nơi và đưa mã nhận hàng cho nhân viên.",
        "Call the cooperative when you arrive and show your pickup code to the staff.",
    ),
}
# A producer's own site names its producer: outlet name -> producer registry id.
_OUTLET_PRODUCERS: dict[str, str] = {
    "HTX DV NN Ca cao Suối Cát (Thanh Y Cacao) – điểm du lịch trải nghiệm": "DNS-0019",
}
_NOT_IN_SOURCE = re.compile(r"\s*\([^)]*\b(?:source|not given|not in)\b[^)]*\)", re.IGNORECASE)

BUU_LONG_OUTLET_NAME = "Điểm giới thiệu và bán sản phẩm OCOP tại Khu du lịch Bửu Long"
DEMO_COOPERATIVE_ID = "DNS-0019"  # Hợp tác xã Dịch vụ Nông nghiệp Ca cao Suối Cát


@dataclass(frozen=True)
class PriceRule:
    """A kind of product: the words that name it (folded), its price range in đồng, and its pack."""

    kind: str
    keywords: tuple[str, ...]
    low: int
    high: int
    pack_name: str
    weight_grams: int


# Checked in this order, first against the product's name, then against its product set.
PRICE_RULES: tuple[PriceRule, ...] = (
    PriceRule("chocolate", ("so co la", "socola", "chocolate"), 60_000, 180_000, "Hộp 200 g", 200),
    PriceRule("cashew", ("dieu", "cashew"), 180_000, 350_000, "Hũ 500 g", 500),
    PriceRule("coffee_cocoa", ("ca phe", "ca cao", "cacao", "coffee", "cocoa"), 120_000, 350_000, "Hộp 500 g", 500),
    PriceRule("honey", ("mat ong", "honey"), 150_000, 400_000, "Chai 500 ml", 700),
    PriceRule(
        "tea_herbal", ("tra", "thao duoc", "duoc lieu", "chuc nang", "herbal"), 80_000, 250_000, "Hộp 250 g", 250
    ),
    PriceRule("drink", ("nuoc ep", "nuoc uong", "do uong", "ruou"), 60_000, 250_000, "Chai 500 ml", 600),
    PriceRule(
        "fruit",
        ("hat tuoi", "trai cay", "buoi", "dua luoi", "thanh long", "chom chom", "sau rieng", "xoai"),
        50_000,
        150_000,
        "1 kg",
        1000,
    ),
)
DEFAULT_PRICE_RULE = PriceRule("default", (), 60_000, 250_000, "Hộp 500 g", 500)
STOCK_OUTLETS_MIN, STOCK_OUTLETS_MAX = 2, 4
STOCK_QUANTITY_MIN, STOCK_QUANTITY_MAX = 5, 40


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str

    @property
    def username(self) -> str:
        return self.email.split("@", 1)[0]


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("operator@ocop.example", "ocop-operator-2026", Role.OPERATOR),
    DemoAccount("trade@ocop.example", "ocop-trade-2026", Role.TRADE_STAFF),
    DemoAccount("coop@ocop.example", "ocop-coop-2026", Role.PRODUCER_STAFF),
    DemoAccount("outlet@ocop.example", "ocop-outlet-2026", Role.OUTLET_STAFF),
    # A shopper (not staff), confirmed, who placed the home-delivery demo order: the storefront's account pages.
    DemoAccount("khach@khach.ocop.example", "ocop-khach-2026", Role.CONSUMER),
)


@dataclass
class DemoSeedSummary:
    outlets_created: int = 0
    outlets_total: int = 0
    variants_created: int = 0
    stock_rows_created: int = 0
    accounts_created: list[str] = field(default_factory=list)
    accounts_existing: list[str] = field(default_factory=list)
    collections: dict[str, int] = field(default_factory=dict)
    shipping_methods_created: int = 0
    vouchers_created: int = 0
    orders_created: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"outlets: {self.outlets_created} created, {self.outlets_total} in all",
            f"variants: {self.variants_created} created, with {self.stock_rows_created} stock rows",
            f"shipping methods: {self.shipping_methods_created} created",
            f"vouchers: {self.vouchers_created} created",
            f"demo orders: {self.orders_created} placed",
            "accounts: "
            + ", ".join(
                [f"{name} (created)" for name in self.accounts_created]
                + [f"{name} (already there)" for name in self.accounts_existing]
            ),
            "collections: " + ", ".join(f"{slug} ({count} products)" for slug, count in self.collections.items()),
            *self.notes,
        ]


def _stable_hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


# --- outlets -------------------------------------------------------------------------------------------------


def outlets_json_path() -> Path:
    return Path(settings.SHARED_DIR) / "data" / "ocop-dongnai-outlets.json"


def load_outlet_records(path: Path | None = None) -> list[dict[str, Any]]:
    with (path or outlets_json_path()).open(encoding="utf-8") as handle:
        return json.load(handle)


def commune_centre(commune: str, province: str = PROVINCE) -> tuple[float, float] | None:
    """The centre of a commune in today's units, from `vietnamadminunits`; None when it does not know it."""
    try:
        unit = parse_address(f"{commune}, {province}", mode=ParseMode.FROM_2025)
    except Exception as exc:  # the package raises plain exceptions for names it does not know
        logger.warning("no coordinates for %s: %s", commune, exc)
        return None
    if not unit or unit.latitude is None or unit.longitude is None or not unit.ward:
        return None
    return float(unit.latitude), float(unit.longitude)


def _record_producer(record: dict[str, Any]) -> Producer | None:
    producer_id = _OUTLET_PRODUCERS.get(record["name"])
    return Producer.objects.filter(registry_id=producer_id).first() if producer_id else None


def _outlet_fields(record: dict[str, Any]) -> dict[str, Any]:
    kind = _OUTLET_KINDS.get(record.get("type") or "", OutletKind.TOURIST_SITE)
    commune = clean_text(record.get("commune_post2025")) or ""
    address_before = clean_text(_NOT_IN_SOURCE.sub("", record.get("address_pre2025") or "")) or ""
    centre = commune_centre(commune) if commune else None
    confirmed = bool(record.get("ocop_outlet_confirmed"))
    opening_hours, opening_hours_en = _OPENING_HOURS[kind]
    instructions, instructions_en = _PICKUP_INSTRUCTIONS[kind]
    return {
        "name": clean_text(record["name"]),
        "kind": kind,
        "producer": _record_producer(record),
        "operator": clean_text(record.get("operator")) or "",
        "commune": commune,
        "province": PROVINCE,
        "address_before_2025": address_before[:500],
        "latitude": centre[0] if centre else None,
        "longitude": centre[1] if centre else None,
        "coordinates_approximate": centre is not None,
        "opening_hours": opening_hours,
        "opening_hours_en": opening_hours_en,
        "pickup_instructions": instructions,
        "pickup_instructions_en": instructions_en,
        "hold_days": _HOLD_DAYS[kind],
        "click_and_collect_option": (
            CollectionPointOption.ALL_WAREHOUSES if confirmed else CollectionPointOption.LOCAL_STOCK
        ),
        "is_active": True,
        "source_url": record.get("source") or "",
    }


def demo_outlets_ensure(*, channel: Channel, records: list[dict[str, Any]]) -> tuple[list[Outlet], int]:
    """The outlets of `records`, created where missing (found by slug), in the default channel.

    Existing outlets are left as they are, except that a producer's own site is linked to its producer once
    the registry has brought that producer in, and that an outlet without opening hours gets its kind's.
    """
    outlets: list[Outlet] = []
    created_count = 0
    for record in records:
        slug = slugify_vi(record["name"])
        outlet = Outlet.objects.filter(slug=slug).first()
        if outlet is None:
            outlet = Outlet.objects.create(slug=slug, **_outlet_fields(record))
            outlet.channels.add(channel)
            created_count += 1
        elif outlet.producer_id is None and (producer := _record_producer(record)) is not None:
            outlet.producer = producer
            outlet.save(update_fields=["producer", "updated_at"])
        if not outlet.opening_periods.exists():
            days, opens, closes = _WEEKLY_HOURS[outlet.kind]
            OpeningPeriod.objects.bulk_create(
                OpeningPeriod(outlet=outlet, weekday=day, opens=opens, closes=closes) for day in days
            )
        outlets.append(outlet)
    return outlets, created_count


# --- variants, prices, stock ---------------------------------------------------------------------------------


def price_rule_for(product: Product) -> PriceRule:
    name, product_set = fold(product.name), fold(product.product_set or "")
    for text in (name, product_set):
        for rule in PRICE_RULES:
            if any(re.search(rf"\b{re.escape(keyword)}\b", text) for keyword in rule.keywords):
                return rule
    return DEFAULT_PRICE_RULE


def demo_price(product: Product) -> int:
    """A whole number of thousands of đồng within the range for this kind of product, stable for the product."""
    rule = price_rule_for(product)
    steps = (rule.high - rule.low) // 1000
    return rule.low + (_stable_hash(product.registry_id, "price") % (steps + 1)) * 1000


def _free_sku(base: str) -> str:
    sku, n = base, 1
    while ProductVariant.objects.filter(sku=sku).exists():
        n += 1
        sku = f"{base}{n}"
    return sku


def _stock_outlets(product: Product, outlets: list[Outlet]) -> list[Outlet]:
    """2–4 outlets for a product, stable: its producer's own sites first, then shared outlets by hash."""
    own = [outlet for outlet in outlets if outlet.producer_id == product.producer_id]
    own = [outlet for outlet in own if outlet.is_active]
    shared = [outlet for outlet in outlets if outlet.producer_id is None and outlet.is_active]
    wanted = STOCK_OUTLETS_MIN + _stable_hash(product.registry_id, "outlets") % (
        STOCK_OUTLETS_MAX - STOCK_OUTLETS_MIN + 1
    )
    shared.sort(key=lambda outlet: _stable_hash(product.registry_id, outlet.slug))
    return (own + shared)[: max(wanted, len(own))]


def demo_variants_ensure(*, channel: Channel, outlets: list[Outlet]) -> tuple[int, int]:
    """One priced, stocked variant for every product that has none. Products with variants are not touched."""
    variants_created = stock_created = 0
    products = Product.objects.filter(variants__isnull=True).order_by("registry_id")
    for product in products:
        rule = price_rule_for(product)
        variant = ProductVariant.objects.create(
            product=product,
            sku=_free_sku(f"{product.registry_id}-STD"),
            name=rule.pack_name,
            weight_grams=rule.weight_grams,
        )
        ProductVariantChannelListing.objects.create(
            variant=variant, channel=channel, price_amount=demo_price(product), currency=channel.currency_code
        )
        variants_created += 1
        for outlet in _stock_outlets(product, outlets):
            quantity = STOCK_QUANTITY_MIN + _stable_hash(product.registry_id, outlet.slug, "quantity") % (
                STOCK_QUANTITY_MAX - STOCK_QUANTITY_MIN + 1
            )
            Stock.objects.create(variant=variant, outlet=outlet, quantity=quantity)
            stock_created += 1
    return variants_created, stock_created


# --- accounts ------------------------------------------------------------------------------------------------


def demo_cooperative() -> Producer | None:
    return (
        Producer.objects.filter(registry_id=DEMO_COOPERATIVE_ID, kind=ProducerKind.COOPERATIVE).first()
        or Producer.objects.filter(kind=ProducerKind.COOPERATIVE).order_by("registry_id").first()
    )


def demo_outlet(outlets: list[Outlet]) -> Outlet | None:
    buu_long = slugify_vi(BUU_LONG_OUTLET_NAME)
    by_slug = {outlet.slug: outlet for outlet in outlets}
    return by_slug.get(buu_long) or next((o for o in outlets if o.kind == OutletKind.SHOWROOM), None)


def demo_accounts_ensure(*, outlets: list[Outlet], summary: DemoSeedSummary) -> None:
    """The demo accounts, created with their passwords if missing; existing accounts are left alone."""
    scopes: dict[str, dict[str, Any]] = {
        Role.CONSUMER: {"first_name": "Lan", "last_name": "Trần"},
        Role.OPERATOR: {"is_superuser": True},
        Role.TRADE_STAFF: {"province": PROVINCE},
        Role.PRODUCER_STAFF: {"producer": demo_cooperative()},
        Role.OUTLET_STAFF: {"outlet": demo_outlet(outlets)},
    }
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(Q(username=account.username) | Q(email=account.email)).exists():
            summary.accounts_existing.append(account.username)
            continue
        extra = scopes[account.role]
        if any(value is None for value in extra.values()):
            summary.notes.append(f"{account.username}: not created, no {', '.join(extra)} to attach it to yet")
            continue
        User.objects.create_user(
            username=account.username,
            email=account.email,
            password=account.password,
            role=account.role,
            is_staff=account.role != Role.CONSUMER,
            is_confirmed=True,
            **extra,
        )
        summary.accounts_created.append(account.username)


# --- all of it -----------------------------------------------------------------------------------------------


@transaction.atomic
def demo_seed(*, outlets_path: Path | None = None) -> DemoSeedSummary:
    """Channel, outlets, variants with prices and stock, demo accounts: whatever is missing, nothing overwritten."""
    summary = DemoSeedSummary()
    channel = channel_ensure_default()
    outlets, summary.outlets_created = demo_outlets_ensure(channel=channel, records=load_outlet_records(outlets_path))
    summary.outlets_total = Outlet.objects.count()
    summary.variants_created, summary.stock_rows_created = demo_variants_ensure(channel=channel, outlets=outlets)
    demo_accounts_ensure(outlets=outlets, summary=summary)
    summary.shipping_methods_created = demo_shipping_ensure(channel=channel)
    summary.vouchers_created = demo_vouchers_ensure(channel=channel)
    summary.orders_created = demo_orders_ensure(channel=channel, outlet=demo_outlet(outlets))
    summary.collections = collections_refresh_automatic()
    groups_name_in_english()  # groups the sync created before it knew their English names
    content = demo_content_ensure()  # menus link to the collections and groups above
    summary.notes.append(
        f"menus created: {', '.join(content.menus_created) or 'none'}; pages created: {len(content.pages_created)}"
    )
    return summary


# Flat-rate home delivery of the demo, in whole đồng: (zone, province codes (empty = all of Vietnam), methods).
DEMO_SHIPPING: tuple[tuple[str, list[str], tuple[tuple[str, str, int, int, int, int | None], ...]], ...] = (
    (
        "Đồng Nai",
        ["75"],
        (
            ("Giao tiêu chuẩn trong tỉnh", "Standard delivery in Đồng Nai", 25_000, 1, 2, None),
            ("Giao nhanh trong ngày", "Same-day delivery", 45_000, 0, 1, None),
        ),
    ),
    (
        "Toàn quốc",
        [],
        (("Giao tiêu chuẩn toàn quốc", "Standard delivery, all of Vietnam", 40_000, 2, 5, None),),
    ),
)


def demo_shipping_ensure(*, channel: Channel) -> int:
    """The demo's shipping zones and flat-rate methods, created once; returns how many methods were created."""
    created = 0
    for zone_name, provinces, methods in DEMO_SHIPPING:
        zone, _ = ShippingZone.objects.get_or_create(name=zone_name, defaults={"provinces": provinces})
        zone.channels.add(channel)
        for name, name_en, price, min_days, max_days, minimum_order in methods:
            _, was_created = ShippingMethod.objects.get_or_create(
                zone=zone,
                name=name,
                defaults={
                    "name_en": name_en,
                    "price_amount": price,
                    "minimum_delivery_days": min_days,
                    "maximum_delivery_days": max_days,
                    "minimum_order_amount": minimum_order,
                },
            )
            created += was_created
    return created


# Promo codes of the demo: (code, name, English name, type, value, minimum subtotal, once per customer, paid by).
DEMO_VOUCHERS: tuple[tuple[str, str, str, str, int, int, bool, str], ...] = (
    (
        "TET2027",
        "Khuyến mãi Tết Đinh Mùi 2027",
        "Lunar New Year 2027 offer",
        "percentage",
        10,
        300_000,
        False,
        "platform",
    ),
    (
        "OCOP50K",
        "Giảm 50.000 ₫ cho đơn đầu tiên",
        "50,000 ₫ off your first order",
        "fixed",
        50_000,
        500_000,
        True,
        "producer",
    ),
)
DEMO_VOUCHERS_END = datetime.datetime(2027, 3, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def demo_vouchers_ensure(*, channel: Channel) -> int:
    """The demo's promo codes, created once (valid until the end of February 2027); returns how many were created."""
    created = 0
    for code, name, name_en, value_type, value, minimum, once, paid_by in DEMO_VOUCHERS:
        if VoucherCode.objects.filter(code__iexact=code).exists():
            continue
        voucher = Voucher.objects.create(
            name=name,
            name_en=name_en,
            channel=channel,
            discount_value_type=value_type,
            discount_value=value,
            min_spent_amount=minimum,
            apply_once_per_customer=once,
            paid_by=paid_by,
            start_date=min(timezone.now(), DEMO_VOUCHERS_END - datetime.timedelta(days=1)),
            end_date=DEMO_VOUCHERS_END,
        )
        VoucherCode.objects.create(voucher=voucher, code=code)
        created += 1
    return created


# --- orders --------------------------------------------------------------------------------------------------

DEMO_BUYER_DOMAIN = "khach.ocop.example"
DEMO_CONSUMER_EMAIL = f"khach@{DEMO_BUYER_DOMAIN}"  # the demo shopper's account (DEMO_ACCOUNTS)


def demo_orders_ensure(*, channel: Channel, outlet: Outlet | None) -> int:
    """A few orders so the consoles have work to show, placed once through the real checkout with cash:
    two pickups at the demo outlet (one of them made ready, so it has a last day to collect) and one home
    delivery holding the demo cooperative's product, placed by the demo shopper's account when it exists.
    Returns how many were placed (0 once they exist)."""
    if outlet is None or Order.objects.filter(user_email__endswith=f"@{DEMO_BUYER_DOMAIN}").exists():
        return 0
    at_outlet = list(
        Stock.objects.filter(outlet=outlet, quantity__gte=F("quantity_allocated") + 2)
        .filter(variant__product__in=listed_products())
        .select_related("variant__product")
        .order_by("variant__product__registry_id")[:4]
    )
    cooperative = demo_cooperative()
    coop_stock = (
        Stock.objects.filter(variant__product__producer=cooperative, quantity__gte=F("quantity_allocated") + 1)
        .filter(variant__product__in=listed_products())
        .order_by("variant__product__registry_id")
        .first()
    )
    placed: list[Order] = []
    for index, stocks in enumerate((at_outlet[:2], at_outlet[2:4])):
        if stocks:
            placed.append(
                _demo_order(
                    channel=channel, stocks=stocks, destination=outlet, email=f"khach{index + 1}@{DEMO_BUYER_DOMAIN}"
                )
            )
    if coop_stock is not None:
        address = validate_address(
            {
                "first_name": "Lan",
                "last_name": "Trần",
                "street_address_1": "25 Đường Võ Thị Sáu",
                "city": "Phường Trấn Biên",
                "country_area": "Đồng Nai",
                "phone": "0912345678",
            }
        )
        method = ShippingMethod.objects.filter(zone__channels=channel, is_active=True).order_by("price_amount").first()
        if method is not None:
            placed.append(
                _demo_order(
                    channel=channel,
                    stocks=[coop_stock],
                    email=DEMO_CONSUMER_EMAIL,
                    destination=_HomeDelivery(address=address, shipping_method=method),
                    user=User.objects.filter(email=DEMO_CONSUMER_EMAIL, role=Role.CONSUMER).first(),
                )
            )
    ready = placed[1] if len(placed) > 1 and placed[1].is_pickup else None
    staff = User.objects.filter(role=Role.OUTLET_STAFF, outlet=outlet).first()
    if ready is not None and staff is not None:
        order_mark_ready_for_pickup(order=ready, by_user=staff)
    return len(placed)


@dataclass(frozen=True)
class _HomeDelivery:
    address: dict[str, str]
    shipping_method: ShippingMethod


def _demo_order(
    *,
    channel: Channel,
    stocks: list[Stock],
    email: str,
    destination: Outlet | _HomeDelivery,
    user: User | None = None,
) -> Order:
    """One cash order through the real checkout: collected at an outlet, or delivered home; a guest's unless `user`."""
    checkout = checkout_create(
        channel=channel,
        lines=[LineRequest(variant_id=stock.variant_id, quantity=1) for stock in stocks],
        email=email,
        language_code="vi",
        user=user,
    )
    if isinstance(destination, _HomeDelivery):
        checkout_shipping_address_update(checkout=checkout, address_values=destination.address)
        checkout_delivery_method_update(checkout=checkout, shipping_method_id=destination.shipping_method.pk)
    else:
        checkout_delivery_method_update(checkout=checkout, outlet_id=destination.pk)
    with transaction.atomic():
        locked = checkout_locked(token=checkout.pk)
        if locked is None:
            raise RuntimeError(f"the demo checkout {checkout.pk} vanished before it was completed")
        return place_order(checkout=locked, payment=PaymentSummary(method=PaymentMethod.CASH))[0]
