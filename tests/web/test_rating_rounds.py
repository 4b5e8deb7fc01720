"""Rating rounds: trade staff publish a council decision found in the registry's certificates; the shop shows it
with the products rated and their stars, printable; the newly certified page lists it."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.certification.models import Certification
from marketplace.events.models import RatingAnnouncement
from tests.factories import make_certification, make_product, make_user
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _page, _text

storefront = test_storefront_pages.storefront  # the fixture

DECISION = "1234/QĐ-UBND"
DAY = datetime.timedelta(days=1)


def _trade(user=None) -> Client:
    client = _client("en")
    client.force_login(user or make_user(Role.TRADE_STAFF))
    return client


def test_trade_staff_publish_a_round_once_and_the_shop_shows_it(storefront: Storefront):
    Certification.objects.filter(product__in=[storefront.coffee, storefront.cashew]).update(decision_number=DECISION)
    assert "/announcements/" not in _page(_client(), "/newly-certified/")  # kept for visitors from now on
    trade = _trade()
    html = trade.get("/trade/announcements/").content.decode()
    assert DECISION in html and 'name="decision"' in html

    for _ in range(2):  # a second click publishes nothing more
        assert trade.post("/trade/announcements/publish/", {"decision": DECISION}).status_code == 302
    announcement = RatingAnnouncement.objects.get()
    assert announcement.decision_number == DECISION and announcement.slug == "1234-qd-ubnd"

    page = _page(_client("en"), f"/announcements/{announcement.slug}/")
    text = _text(page)
    assert f"OCOP rating round {DECISION}" in text
    assert "Xuan Loc Robusta coffee" in text and "Hạt điều rang muối" in text
    assert text.index("Xuan Loc Robusta coffee") < text.index("Hạt điều rang muối")  # five stars before four
    assert 'class="printable"' in page
    # Listed there: publishing made the kept page stale.
    assert f'href="/announcements/{announcement.slug}/"' in _page(_client(), "/newly-certified/")


def test_a_decision_no_certificate_carries_is_refused(storefront: Storefront):
    response = _trade().post("/trade/announcements/publish/", {"decision": "9999/QĐ-UBND"}, follow=True)
    assert "No certificate of your province carries this decision number." in response.content.decode()
    assert not RatingAnnouncement.objects.exists()


def test_only_trade_staff_and_operators_publish(storefront: Storefront):
    Certification.objects.filter(product=storefront.coffee).update(decision_number=DECISION)
    for role in (Role.CONSUMER, Role.PRODUCER_STAFF, Role.OUTLET_STAFF):
        client = Client()
        client.force_login(make_user(role))
        assert client.post("/trade/announcements/publish/", {"decision": DECISION}).status_code in (302, 403)
    assert not RatingAnnouncement.objects.exists()


def test_an_unpublished_round_has_no_page(storefront: Storefront):
    _page(_client(), "/announcements/1234-qd-ubnd/", status=404)


def test_decisions_written_alike_get_their_own_pages(db):
    for number in ("12/QĐ-UBND", "12-QĐ-UBND"):
        make_certification(make_product(), stars=4, decision_number=number)
    trade = _trade(make_user(Role.OPERATOR))
    for number in ("12/QĐ-UBND", "12-QĐ-UBND"):
        trade.post("/trade/announcements/publish/", {"decision": number})
    slugs = sorted(RatingAnnouncement.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2 and slugs[0] == "12-qd-ubnd"


def test_the_round_pages_read_a_bounded_number_of_queries(storefront: Storefront, django_assert_max_num_queries):
    for n in range(12):
        make_certification(make_product(name=f"Sản phẩm {n:02d}"), stars=3 + n % 3, decision_number=DECISION)
        make_certification(make_product(), stars=4, decision_number=f"{n}/QĐ-UBND")
    trade = _trade()
    trade.post("/trade/announcements/publish/", {"decision": DECISION})
    slug = RatingAnnouncement.objects.get().slug
    with django_assert_max_num_queries(6):  # the session, the user, the rounds, the announcements
        assert trade.get("/trade/announcements/").status_code == 200
    with django_assert_max_num_queries(2):  # the announcement, its certificates with products and producers
        assert _client().get(f"/announcements/{slug}/").status_code == 200


def test_a_decision_older_than_the_consoles_list_can_still_be_published(db):
    today = timezone.localdate()
    make_certification(make_product(), stars=4, decision_number="CU-1/QĐ-UBND", valid_from=today - 900 * DAY)
    for n in range(100):  # the console lists the latest 100 decisions
        make_certification(make_product(), stars=4, decision_number=f"{n + 1}/QĐ-UBND")
    trade = _trade(make_user(Role.OPERATOR))
    assert "CU-1/QĐ-UBND" not in trade.get("/trade/announcements/").content.decode()
    trade.post("/trade/announcements/publish/", {"decision": "CU-1/QĐ-UBND"})
    assert RatingAnnouncement.objects.get().decision_number == "CU-1/QĐ-UBND"
