"""The Celery worker (or its broker) is away for a day's orders: when it returns, every e-mail, refund and
reminder goes out once, however often beat's drain and late broker messages hand the same jobs over."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from marketplace.accounts.services import user_register
from marketplace.core.dates import local_today
from marketplace.orders import tasks as order_tasks
from marketplace.orders.models import OrderEvent, OrderEventType
from marketplace.orders.services import order_cancel, order_mark_ready_for_pickup
from marketplace.outbox.models import OutboxJob
from marketplace.outbox.selectors import outbox_backlog
from marketplace.outbox.services import outbox_drain, outbox_job_run
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionItem
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop
from tests.order_factories import make_ready_order
from tests.outages import broker_away

pytestmark = pytest.mark.django_db

ORDERS = 4


def _cash_order(shop: Shop, number: int):
    from marketplace.checkout.services import LineRequest, checkout_create, checkout_delivery_method_update

    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.coffee_variant.pk, quantity=1)],
        email=f"buyer{number}@example.test",
        language_code="vi",
        user=None,
    )
    checkout_delivery_method_update(checkout=checkout, outlet_id=shop.tourist_site.pk)
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=0)
    return checkout_complete(token=checkout.pk, user=None)


def test_a_day_without_the_worker_loses_nothing_and_sends_each_email_once(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    due_tomorrow = make_ready_order(collect_by=local_today() + datetime.timedelta(days=1))
    with broker_away(), django_capture_on_commit_callbacks(execute=True):
        orders = [_cash_order(shop, number) for number in range(ORDERS)]
        order_mark_ready_for_pickup(order=orders[0], by_user=staff)
        order_cancel(order=orders[1], by_user=staff, reason="out of stock")
        order_tasks.send_pickup_reminders_task()  # beat's 09:00 run, the worker away
        order_tasks.send_pickup_reminders_task()  # and again (beat caught up): still one reminder waiting
        user_register(
            email="new@example.test", password="Mật-khẩu-dài-2026", redirect_url="http://localhost:3000/account"
        )

    assert mailoutbox == []
    waiting = Counter(OutboxJob.objects.filter(done_at__isnull=True).values_list("task_name", flat=True))
    assert waiting == {
        "marketplace.orders.tasks.send_order_confirmation_task": ORDERS,
        "marketplace.orders.tasks.send_ready_for_pickup_task": 1,
        "marketplace.orders.tasks.send_order_canceled_task": 1,
        "payments.tasks.refund_order_task": 1,
        "marketplace.orders.tasks.send_pickup_reminder_task": 1,
        "marketplace.accounts.tasks.send_account_confirmation_task": 1,
    }
    assert outbox_backlog().pending == ORDERS + 5

    # The worker is back: beat's drain runs twice (two ticks), and the messages the broker kept arrive late.
    assert outbox_drain()["done"] == ORDERS + 5
    assert outbox_drain()["done"] == 0
    for job_id in OutboxJob.objects.values_list("pk", flat=True):
        assert outbox_job_run(job_id=job_id) == "skipped"

    sent = Counter(
        (event.order_id, event.parameters["email"])
        for event in OrderEvent.objects.filter(type=OrderEventType.EMAIL_SENT)
    )
    assert set(sent.values()) == {1}
    assert sorted(kind for _, kind in sent) == sorted(
        # The order cancelled before its confirmation went out gets the cancellation only.
        ["order_confirmation"] * (ORDERS - 1) + ["ready_for_pickup", "order_canceled", "pickup_reminder"]
    )
    assert (orders[0].pk, "ready_for_pickup") in sent and (due_tomorrow.pk, "pickup_reminder") in sent
    recipients = Counter(tuple(message.to) for message in mailoutbox)
    assert recipients[("new@example.test",)] == 1
    assert len(mailoutbox) == ORDERS + 3
    assert outbox_backlog().pending == 0
