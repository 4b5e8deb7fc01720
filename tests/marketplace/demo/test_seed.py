"""`manage.py seed_demo`: the real outlets, a priced and stocked variant per product, one account per role; twice."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from marketplace.accounts.models import Role, User
from marketplace.catalogue.models import Product, ProductVariant, ProductVariantChannelListing
from marketplace.channel.selectors import default_channel
from marketplace.core.text import slugify_vi
from marketplace.demo import seed as demo
from marketplace.inventory.models import Stock
from marketplace.outlets.models import CollectionPointOption, OpeningPeriod, Outlet, OutletKind
from marketplace.producers.models import ProducerKind
from tests.factories import make_outlet, make_producer, make_stock, make_variant

OUTLET_RECORDS = json.loads((settings.SHARED_DIR / "data" / "ocop-dongnai-outlets.json").read_text(encoding="utf-8"))
BUU_LONG = slugify_vi(demo.BUU_LONG_OUTLET_NAME)


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "outlets": Outlet.objects.count(),
        "opening periods": OpeningPeriod.objects.count(),
        "variants": ProductVariant.objects.count(),
        "prices": ProductVariantChannelListing.objects.count(),
        "stock": Stock.objects.count(),
        "users": User.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_fills_the_demo_and_changes_nothing_the_second_time(catalogue):
    entered = catalogue["entered"]
    own_outlet = make_outlet(name="Cửa hàng của doanh nghiệp")
    own_variant = make_variant(entered, price=99_000, sku="NB-500", name="Túi 500 g")
    own_stock = make_stock(own_variant, own_outlet, quantity=3)

    first = run_seed()
    after_first = counts()
    second = run_seed()

    assert counts() == after_first
    assert "outlets: 14 created" in first
    assert "outlets: 0 created" in second and "variants: 0 created" in second
    assert after_first["outlets"] == len(OUTLET_RECORDS) + 1 == 15

    # the producer's own variant, price and stock are as they were
    assert list(entered.variants.all()) == [own_variant]
    assert own_variant.channel_listings.get().price_amount == 99_000
    own_stock.refresh_from_db()
    assert own_stock.quantity == 3
    assert Stock.objects.filter(variant=own_variant).count() == 1


@pytest.mark.django_db
def test_seed_demo_outlets_come_from_the_json(catalogue):
    run_seed()
    channel = default_channel()

    outlets = {outlet.slug: outlet for outlet in Outlet.objects.prefetch_related("channels")}
    assert len(outlets) == 14
    for record in OUTLET_RECORDS:
        outlet = outlets[slugify_vi(record["name"])]
        assert outlet.name == record["name"]
        assert outlet.province == "Tỉnh Đồng Nai"
        assert outlet.commune == (record["commune_post2025"] or "")
        assert outlet.source_url == record["source"]
        assert list(outlet.channels.all()) == [channel]
        assert outlet.opening_hours and outlet.opening_hours_en
        assert outlet.pickup_instructions and outlet.pickup_instructions_en
        if record["ocop_outlet_confirmed"]:
            assert outlet.click_and_collect_option == CollectionPointOption.ALL_WAREHOUSES
        else:
            assert outlet.click_and_collect_option == CollectionPointOption.LOCAL_STOCK
        if record["commune_post2025"]:
            assert outlet.coordinates_approximate
            assert 10 < outlet.latitude < 12.5 and 105.5 < outlet.longitude < 108
        else:
            assert (outlet.latitude, outlet.longitude, outlet.coordinates_approximate) == (None, None, False)

    buu_long = outlets[BUU_LONG]
    assert (buu_long.kind, buu_long.hold_days) == (OutletKind.SHOWROOM, 5)
    assert buu_long.commune == "Phường Trấn Biên"
    assert buu_long.address_before_2025.startswith("Khu du lịch Bửu Long")
    suoi_mo = outlets["khu-du-lich-suoi-mo"]
    assert (suoi_mo.kind, suoi_mo.hold_days) == (OutletKind.TOURIST_SITE, 3)
    cooperative_site = next(o for o in outlets.values() if o.kind == OutletKind.PRODUCER_WAREHOUSE)
    assert cooperative_site.producer.registry_id == demo.DEMO_COOPERATIVE_ID
    assert "(" not in outlets[slugify_vi(OUTLET_RECORDS[2]["name"])].address_before_2025  # "(… not in source)"


@pytest.mark.django_db
def test_seed_demo_prices_and_stocks_every_product_without_a_variant(catalogue):
    run_seed()
    real_outlets = {slugify_vi(record["name"]) for record in OUTLET_RECORDS}
    ranges = {
        "cocoa": (120_000, 350_000),
        "chocolate": (60_000, 180_000),
        "cashew": (180_000, 350_000),
        "melon": (50_000, 150_000),
    }

    for key, (low, high) in ranges.items():
        product = catalogue[key]
        variant = product.variants.get()
        assert variant.sku == f"{product.registry_id}-STD"
        assert variant.name and variant.weight_grams
        price = variant.channel_listings.get(channel=default_channel()).price_amount
        assert isinstance(price, int)
        assert price % 1000 == 0
        assert low <= price <= high, (key, price)
        stock = list(variant.stocks.select_related("outlet"))
        assert 2 <= len(stock) <= 4
        assert all(row.outlet.slug in real_outlets for row in stock)
        assert all(5 <= row.quantity <= 40 and row.quantity_allocated == 0 for row in stock)
        # a producer's own site stocks only its own products
        for row in stock:
            assert row.outlet.producer_id in (None, product.producer_id)

    # the cooperative's products are also held at its own site
    cooperative_site = Outlet.objects.get(kind=OutletKind.PRODUCER_WAREHOUSE)
    assert Stock.objects.filter(outlet=cooperative_site, variant__product=catalogue["cocoa"]).exists()


@pytest.mark.django_db
def test_seed_demo_prices_are_stable(catalogue):
    run_seed()
    prices = dict(ProductVariantChannelListing.objects.values_list("variant__sku", "price_amount"))
    stock = set(Stock.objects.values_list("variant__sku", "outlet__slug", "quantity"))
    ProductVariant.objects.filter(sku__endswith="-STD").delete()

    run_seed()

    assert dict(ProductVariantChannelListing.objects.values_list("variant__sku", "price_amount")) == prices
    assert set(Stock.objects.values_list("variant__sku", "outlet__slug", "quantity")) == stock


@pytest.mark.django_db
def test_seed_demo_accounts(catalogue):
    run_seed()

    expected = {
        "operator": ("operator@ocop.example", "ocop-operator-2026", Role.OPERATOR),
        "trade": ("trade@ocop.example", "ocop-trade-2026", Role.TRADE_STAFF),
        "coop": ("coop@ocop.example", "ocop-coop-2026", Role.PRODUCER_STAFF),
        "outlet": ("outlet@ocop.example", "ocop-outlet-2026", Role.OUTLET_STAFF),
        "khach": ("khach@khach.ocop.example", "ocop-khach-2026", Role.CONSUMER),
    }
    for username, (email, password, role) in expected.items():
        user = User.objects.get(username=username)
        is_staff = role != Role.CONSUMER
        assert (user.email, user.role, user.is_staff, user.is_active, user.is_confirmed) == (
            email,
            role,
            is_staff,
            True,
            True,
        )
        assert user.check_password(password)
    assert User.objects.get(username="operator").is_superuser
    assert not User.objects.filter(username__in=["trade", "coop", "outlet"], is_superuser=True).exists()
    assert User.objects.get(username="trade").province == "Tỉnh Đồng Nai"
    coop = User.objects.get(username="coop")
    assert (coop.producer.registry_id, coop.producer.kind) == (demo.DEMO_COOPERATIVE_ID, ProducerKind.COOPERATIVE)
    assert User.objects.get(username="outlet").outlet.slug == BUU_LONG


@pytest.mark.django_db
def test_seed_demo_leaves_existing_accounts_alone(catalogue):
    run_seed()
    operator = User.objects.get(username="operator")
    operator.set_password("changed-by-the-operator")
    operator.first_name = "Lan"
    operator.save()

    run_seed()

    operator.refresh_from_db()
    assert operator.check_password("changed-by-the-operator")
    assert operator.first_name == "Lan"
    assert User.objects.filter(username="operator").count() == 1


@pytest.mark.django_db
def test_seed_demo_picks_the_first_cooperative_without_suoi_cat(db):
    make_producer(registry_id="DNS-0030", kind=ProducerKind.ENTERPRISE)
    make_producer(registry_id="DNS-0020", kind=ProducerKind.COOPERATIVE)
    make_producer(registry_id="DNS-0010", kind=ProducerKind.COOPERATIVE)

    run_seed()

    assert User.objects.get(username="coop").producer.registry_id == "DNS-0010"


@pytest.mark.django_db
def test_seed_demo_before_any_sync_skips_the_cooperative_account(db):
    output = run_seed()

    assert Outlet.objects.count() == 14
    assert not User.objects.filter(username="coop").exists()
    assert set(User.objects.values_list("username", flat=True)) == {"operator", "trade", "outlet", "khach"}
    assert "coop: not created" in output


@pytest.mark.parametrize(
    ("name", "product_set", "kind"),
    [
        ("Sô cô la sữa Thanh Y Cacao", "Cà phê, ca cao", "chocolate"),
        ("Bột ca cao nguyên chất", "Cà phê, ca cao", "coffee_cocoa"),
        ("Cà phê hạt Robusta", "Cà phê, ca cao", "coffee_cocoa"),
        ("Điều mật ong", "Chế biến từ rau, củ, quả, hạt", "cashew"),
        ("Yến sào Nam Phú", "Mật ong, mật khác và nông sản thực phẩm khác", "honey"),
        ("Trà mãng cầu", "", "tea_herbal"),
        ("Phúc Hưng Long Essential", "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền", "tea_herbal"),
        ("Bưởi Tân Triều", "Rau, củ, quả, hạt tươi", "fruit"),
        ("Bánh Cashewpie", "Chế biến từ gạo, ngũ cốc", "default"),
    ],
)
def test_price_rule_by_name_then_product_set(name, product_set, kind):
    product = Product(registry_id="DNP-X", name=name, product_set=product_set)
    rule = demo.price_rule_for(product)
    assert rule.kind == kind
    assert rule.low <= demo.demo_price(product) <= rule.high


@pytest.mark.django_db
def test_seed_demo_places_a_few_orders_once_for_the_consoles(catalogue):
    from marketplace.catalogue.services import products_refresh_listing
    from marketplace.orders.models import Order, OrderStatus
    from tests.factories import make_certification

    for product in catalogue.values():
        make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk for product in catalogue.values()], trigger="staff")

    first = run_seed()
    orders = list(Order.objects.order_by("number"))
    assert f"demo orders: {len(orders)} placed" in first
    pickups = [order for order in orders if order.is_pickup]
    deliveries = [order for order in orders if not order.is_pickup]
    outlet_staff = User.objects.get(email="outlet@ocop.example")
    assert pickups and {order.collection_point_id for order in pickups} == {outlet_staff.outlet_id}
    assert [order.status for order in pickups][-1] == OrderStatus.READY_FOR_PICKUP or len(pickups) == 1
    coop = User.objects.get(email="coop@ocop.example").producer
    assert [line.producer_id for order in deliveries for line in order.lines.all()] == [coop.pk]
    shopper = User.objects.get(email="khach@khach.ocop.example")
    assert [(order.user_id, order.user_email) for order in deliveries] == [(shopper.pk, shopper.email)]
    assert all(order.user_id is None for order in pickups)
    assert all(order.pickup_code for order in pickups)

    assert "demo orders: 0 placed" in run_seed()
    assert Order.objects.count() == len(orders)


@pytest.mark.django_db
def test_seed_demo_shopper_signs_in_and_reads_its_order(catalogue):
    """The storefront's account pages have data: the demo shopper's orders and `order(id:)`."""
    from django.test import Client

    from marketplace.catalogue.services import products_refresh_listing
    from tests.factories import make_certification

    for product in catalogue.values():
        make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk for product in catalogue.values()], trigger="staff")
    run_seed()
    client = Client()

    def api(query: str, variables: dict, token: str | None = None) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        body = json.dumps({"query": query, "variables": variables})
        return client.post("/graphql/", body, content_type="application/json", **headers).json()

    signed_in = api(
        "mutation($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) {"
        " token errors { code } } }",
        {"email": "khach@khach.ocop.example", "password": "ocop-khach-2026"},
    )["data"]["tokenCreate"]
    token = signed_in["token"]
    mine = api("{ me { isStaff orders(first: 10) { edges { node { id number } } } } }", {}, token)["data"]["me"]
    order_id = mine["orders"]["edges"][0]["node"]["id"]
    found = api("query($id: ID!) { order(id: $id) { id userEmail } }", {"id": order_id}, token)["data"]["order"]

    assert signed_in["errors"] == [] and token
    assert mine["isStaff"] is False and len(mine["orders"]["edges"]) == 1
    assert found == {"id": order_id, "userEmail": "khach@khach.ocop.example"}


@pytest.mark.django_db
def test_seed_demo_gives_each_outlet_its_kinds_opening_hours_once(catalogue):
    run_seed()
    run_seed()

    for outlet in Outlet.objects.prefetch_related("opening_periods"):
        hours = {(p.weekday, f"{p.opens:%H:%M}", f"{p.closes:%H:%M}") for p in outlet.opening_periods.all()}
        if outlet.kind == OutletKind.SHOWROOM:
            assert hours == {(day, "07:30", "17:00") for day in range(7)}, outlet.name
        elif outlet.kind == OutletKind.TOURIST_SITE:
            assert hours == {(day, "07:00", "17:00") for day in range(7)}, outlet.name
        else:
            assert hours == {(day, "08:00", "16:30") for day in range(6)}, outlet.name
