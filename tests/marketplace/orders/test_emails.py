import datetime
import email
import importlib
import io
import smtplib
import unicodedata

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from PIL import Image

from marketplace.core.dates import local_today
from marketplace.core.money import format_vnd
from marketplace.orders import emails, selectors, tasks
from marketplace.orders.models import OrderEvent, OrderEventType, OrderStatus, PaymentMethod
from tests.order_factories import make_delivery_order, make_order, make_pickup_outlet, make_ready_order

pytestmark = pytest.mark.django_db

FROM = "OCOP Đồng Nai <no-reply@ocop.test>"
MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def from_address(settings):
    settings.DEFAULT_FROM_EMAIL = FROM


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as an SMTP server would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def email_events(order) -> list[dict]:
    return list(
        OrderEvent.objects.filter(order=order, type=OrderEventType.EMAIL_SENT).values_list("parameters", flat=True)
    )


def assert_vietnamese_is_nfc(*texts: str) -> None:
    for text in texts:
        assert unicodedata.normalize("NFC", text) == text


# --- money and dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "language", "text"),
    [
        (150_000, "vi", "150.000 ₫"),
        (150_000, "en", "150,000 VND"),
        (1_250_000, "vi", "1.250.000 ₫"),
        (1_250_000, "en-gb", "1,250,000 VND"),
        (0, "vi", "0 ₫"),
        (999, "en", "999 VND"),
        (-30_000, "vi", "-30.000 ₫"),
    ],
)
def test_format_vnd(amount, language, text):
    assert format_vnd(amount, language) == text


@pytest.mark.parametrize("amount", [150_000.0, "150000", True])
def test_format_vnd_takes_whole_dong_only(amount):
    with pytest.raises(TypeError):
        format_vnd(amount, "vi")


def test_format_day():
    assert emails.format_day(MONDAY, "vi") == "thứ Hai, 07/12/2026"
    assert emails.format_day(MONDAY, "en") == "Monday 7 December 2026"
    assert emails.format_day(datetime.date(2026, 12, 13), "vi") == "Chủ nhật, 13/12/2026"
    assert emails.format_day(datetime.date(2026, 1, 1), "en") == "Thursday 1 January 2026"


@pytest.mark.parametrize(("code", "language"), [("vi", "vi"), ("en", "en"), ("en-US", "en"), ("", "vi"), ("fr", "vi")])
def test_the_language_is_the_orders_and_vietnamese_by_default(code, language):
    assert emails.order_language(make_order(language_code=code)) == language


# --- confirmation ------------------------------------------------------------------------------


def test_confirmation_in_vietnamese_for_pickup(mailoutbox):
    order = make_order(lines=2)

    emails.send_order_confirmation(order)

    [message] = mailoutbox
    assert message.subject == f"OCOP Đồng Nai: đã nhận đơn hàng #{order.number}"
    assert message.from_email == FROM
    assert message.to == ["buyer@example.test"]
    body, html = message.body, html_of(message)
    for text in (body, html):
        assert "Bưởi Tân Triều 1" in text
        assert "Bưởi Tân Triều 2" in text
        assert "Hộp 2 quả" in text
        assert "300.000 ₫" in text
        assert "600.000 ₫" in text
        assert "Trung tâm OCOP Biên Hòa" in text
        assert "Thứ Hai – Chủ nhật, 8:00 – 20:00" in text
        assert "Giao hàng tận nơi" not in text
    assert "Tổng cộng: 600.000 ₫" in body
    assert "Thanh toán bằng tiền mặt khi nhận hàng: 600.000 ₫" in body
    assert "Cảm ơn bạn đã đặt hàng" in body
    assert '<html lang="vi">' in html
    assert not message.attachments
    assert_vietnamese_is_nfc(message.subject, body, html)
    assert email_events(order) == [{"email": "order_confirmation", "to": "buyer@example.test"}]


def test_the_confirmation_links_the_order_page_where_the_pickup_code_already_is(mailoutbox, settings):
    """Issue 16 §5: the page said "keep this address, it is your receipt", but no e-mail carried it, and the
    confirmation promised a pickup code later although the page already showed it."""
    settings.OCOP_SITE_URL = "https://ocop.example"
    order = make_order(lines=1)

    emails.send_order_confirmation(order)

    [message] = mailoutbox
    url = f"https://ocop.example/orders/{order.pk}/"
    assert f"Mã nhận hàng có trên trang đơn hàng ({url})" in message.body
    assert f'<a href="{url}">trang đơn hàng</a>' in html_of(message)
    assert f"Xem đơn hàng bất cứ lúc nào: {url}" in message.body  # every order e-mail's footer


def test_confirmation_in_english_for_home_delivery(mailoutbox):
    order = make_delivery_order(language_code="en", user_email="tourist@example.test")

    emails.send_order_confirmation(order)

    [message] = mailoutbox
    assert message.subject == f"OCOP Đồng Nai: we have your order #{order.number}"
    assert message.to == ["tourist@example.test"]
    body, html = message.body, html_of(message)
    for text in (body, html):
        assert "Hello Trần Thị Lan," in text
        assert "Tan Trieu pomelo 1" in text
        assert "300,000 VND" in text
        assert "30,000 VND" in text
        assert "330,000 VND" in text
        assert "Home delivery" in text
        assert "Standard delivery" in text
        assert "12 Đường Võ Thị Sáu" in text
        assert "Phường Trấn Biên, Tỉnh Đồng Nai" in text
        assert "0909 000 111" in text
        assert "Pickup point" not in text
        assert "₫" not in text
    assert "Delivery: 30,000 VND" in body
    assert "Payment: card" in body
    assert email_events(order) == [{"email": "order_confirmation", "to": "tourist@example.test"}]


def test_the_text_part_is_not_html_escaped_and_the_html_part_is(mailoutbox):
    order = make_order(language_code="en", customer_note='Ring twice & ask for "Mai" <3')

    emails.send_order_confirmation(order)

    [message] = mailoutbox
    assert "Collect at the cashier's desk, ground floor." in message.body
    assert 'Your note: Ring twice & ask for "Mai" <3' in message.body
    assert "cashier&#x27;s desk" in html_of(message)
    assert "Ring twice &amp; ask for &quot;Mai&quot; &lt;3" in html_of(message)


def test_the_text_part_has_no_runs_of_blank_lines(mailoutbox):
    emails.send_order_confirmation(make_order())

    assert "\n\n\n" not in mailoutbox[0].body
    assert not any(line != line.rstrip() for line in mailoutbox[0].body.splitlines())


def test_an_order_without_an_address_gets_no_mail_and_no_event(mailoutbox):
    order = make_order(user_email="")

    emails.send_order_confirmation(order)

    assert mailoutbox == []
    assert email_events(order) == []


def test_a_refused_message_is_an_email_delivery_error_and_is_not_recorded(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.marketplace.orders.test_emails.RefusingBackend"
    order = make_order()

    with pytest.raises(emails.EmailDeliveryError):
        emails.send_order_confirmation(order)

    assert email_events(order) == []


# --- ready for pickup --------------------------------------------------------------------------


def ready_parts(message):
    """The MIME parts of a "ready" e-mail: (related part, inline image, attachment)."""
    mime = email.message_from_bytes(message.message().as_bytes())
    assert mime.get_content_type() == "multipart/mixed"
    related, attachment = mime.get_payload()
    assert related.get_content_type() == "multipart/related"
    alternative, inline = related.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.get_payload()] == ["text/plain", "text/html"]
    return related, inline, attachment


def assert_png(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (232, 232)


def test_ready_for_pickup_in_vietnamese(mailoutbox):
    order = make_ready_order(pickup_code="7KQ3MZ", collect_by=MONDAY)

    emails.send_ready_for_pickup(order)

    [message] = mailoutbox
    assert message.subject == f"Đơn hàng #{order.number} đã sẵn sàng để nhận – mã nhận hàng 7KQ3MZ"
    body, html = message.body, html_of(message)
    for text in (body, html):
        assert "7KQ3MZ" in text
        assert "Trung tâm OCOP Biên Hòa" in text
        assert "1 Đường Nguyễn Ái Quốc, Phường Trấn Biên, Tỉnh Đồng Nai" in text
        assert "Thứ Hai – Chủ nhật, 8:00 – 20:00" in text
        assert "Nhận hàng tại quầy thu ngân, tầng trệt." in text
        assert "0251 3822 000" in text
        assert "thứ Hai, 07/12/2026" in text
        assert "tự động bị hủy" in text
    assert "MÃ NHẬN HÀNG: 7KQ3MZ" in body
    assert "Hạn cuối nhận hàng: thứ Hai, 07/12/2026" in body
    assert "Số tiền cần thanh toán bằng tiền mặt khi nhận hàng: 300.000 ₫" in body
    assert "font-size:44px" in html  # the code in big letters
    assert_vietnamese_is_nfc(message.subject, body, html)
    assert email_events(order) == [{"email": "ready_for_pickup", "to": "buyer@example.test"}]


def test_ready_for_pickup_in_english(mailoutbox):
    order = make_ready_order(language_code="en", collect_by=MONDAY, payment_method=PaymentMethod.CARD)

    emails.send_ready_for_pickup(order)

    [message] = mailoutbox
    assert message.subject == f"Order #{order.number} is ready for pickup – pickup code {order.pickup_code}"
    body, html = message.body, html_of(message)
    for text in (body, html):
        assert order.pickup_code in text
        assert "Biên Hòa OCOP Centre" in text
        assert "Monday – Sunday, 8:00 – 20:00" in text
        assert "Monday 7 December 2026" in text
        assert "cancelled automatically and refunded" in text
        assert "To pay in cash" not in text
    assert "Collect at the cashier's desk, ground floor." in body
    assert f"PICKUP CODE: {order.pickup_code}" in body
    assert "Last day to collect: Monday 7 December 2026" in body


def test_ready_for_pickup_falls_back_to_the_vietnamese_outlet_texts(mailoutbox):
    outlet = make_pickup_outlet(name_en="", opening_hours_en="", pickup_instructions_en="")
    order = make_ready_order(language_code="en", collection_point=outlet)

    emails.send_ready_for_pickup(order)

    assert "Pickup point: Trung tâm OCOP Biên Hòa" in mailoutbox[0].body
    assert "How to collect: Nhận hàng tại quầy thu ngân, tầng trệt." in mailoutbox[0].body


def test_ready_for_pickup_carries_the_qr_code_inline_and_as_an_attachment(mailoutbox):
    order = make_ready_order(pickup_code="7KQ3MZ")

    emails.send_ready_for_pickup(order)

    [message] = mailoutbox
    _related, inline, attachment = ready_parts(message)
    assert inline.get_content_type() == "image/png"
    content_id = inline["Content-ID"]
    assert content_id.startswith("<") and content_id.endswith(">")
    assert inline.get_content_disposition() == "inline"
    assert f'src="cid:{content_id[1:-1]}"' in html_of(message)
    assert_png(inline.get_payload(decode=True))

    assert attachment.get_content_type() == "image/png"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "ma-nhan-hang-7KQ3MZ.png"
    assert attachment.get_payload(decode=True) == inline.get_payload(decode=True)
    assert_png(attachment.get_payload(decode=True))


def test_ready_for_pickup_needs_an_order_waiting_at_an_outlet(mailoutbox):
    with pytest.raises(ValueError):
        emails.send_ready_for_pickup(make_delivery_order())
    with pytest.raises(ValueError):
        emails.send_ready_for_pickup(make_order(pickup_code=None))
    assert mailoutbox == []


# --- reminder ----------------------------------------------------------------------------------


def test_pickup_reminder_in_vietnamese_and_english(mailoutbox):
    vi = make_ready_order(pickup_code="7KQ3MZ", collect_by=MONDAY)
    en = make_ready_order(language_code="en", collect_by=MONDAY)

    emails.send_pickup_reminder(vi)
    emails.send_pickup_reminder(en)

    vi_message, en_message = mailoutbox
    assert vi_message.subject == f"Nhắc nhở: vui lòng nhận đơn hàng #{vi.number} chậm nhất vào thứ Hai, 07/12/2026"
    assert "Hạn cuối nhận hàng là thứ Hai, 07/12/2026" in vi_message.body
    assert "MÃ NHẬN HÀNG: 7KQ3MZ" in vi_message.body
    assert "vẫn đang chờ tại Trung tâm OCOP Biên Hòa" in vi_message.body
    assert en_message.subject == f"Reminder: collect order #{en.number} by Monday 7 December 2026"
    assert "The last day to collect it is Monday 7 December 2026" in en_message.body
    assert en.pickup_code in html_of(en_message)
    ready_parts(en_message)
    assert email_events(vi) == [{"email": "pickup_reminder", "to": "buyer@example.test"}]


# --- cancelled ---------------------------------------------------------------------------------


def test_canceled_with_a_refund_in_vietnamese(mailoutbox):
    order = make_order(
        status=OrderStatus.CANCELED,
        payment_method=PaymentMethod.CARD,
        total_charged_amount=300_000,
        total_refunded_amount=300_000,
    )

    emails.send_order_canceled(order, "not_collected")

    [message] = mailoutbox
    assert message.subject == f"Đơn hàng #{order.number} đã bị hủy"
    for text in (message.body, html_of(message)):
        assert "đã bị hủy vì chưa được nhận trước hạn cuối." in text
        assert "300.000 ₫" in text
        assert "Bưởi Tân Triều 1" in text
    assert "Chúng tôi đã hoàn lại 300.000 ₫" in message.body
    assert not message.attachments
    assert_vietnamese_is_nfc(message.subject, message.body, html_of(message))
    assert email_events(order) == [{"email": "order_canceled", "to": "buyer@example.test"}]


def test_canceled_with_a_refund_in_english(mailoutbox):
    order = make_delivery_order(
        language_code="en", status=OrderStatus.CANCELED, total_charged_amount=330_000, total_refunded_amount=330_000
    )

    emails.send_order_canceled(order, "customer_request")

    [message] = mailoutbox
    assert message.subject == f"Order #{order.number} has been cancelled"
    assert f"Your order #{order.number} has been cancelled at your request." in message.body
    assert "We have refunded 330,000 VND to your original payment method." in message.body


def test_canceled_without_payment_and_for_a_reason_the_buyer_is_not_told(mailoutbox):
    order = make_order(status=OrderStatus.CANCELED)

    emails.send_order_canceled(order, "fraud_suspected")

    body = mailoutbox[0].body
    assert f"Đơn hàng #{order.number} của bạn đã bị hủy." in body
    assert "fraud" not in body and "fraud" not in html_of(mailoutbox[0])
    assert "Bạn không bị tính tiền cho đơn hàng này." in body


def test_canceled_with_a_refund_still_to_come(mailoutbox):
    order = make_order(
        language_code="en", status=OrderStatus.CANCELED, payment_method=PaymentMethod.CARD, total_charged_amount=300_000
    )

    emails.send_order_canceled(order, "out_of_stock")

    assert "because a product in it is out of stock" in mailoutbox[0].body
    assert "The 300,000 VND you paid will be refunded" in mailoutbox[0].body


# --- tasks -------------------------------------------------------------------------------------


def test_confirmation_task_sends_once(mailoutbox):
    order = make_order()

    tasks.send_order_confirmation_task.delay(str(order.pk))
    tasks.send_order_confirmation_task.delay(str(order.pk))

    assert len(mailoutbox) == 1
    assert len(email_events(order)) == 1


def test_confirmation_task_skips_a_cancelled_or_missing_order(mailoutbox):
    tasks.send_order_confirmation_task.delay(str(make_order(status=OrderStatus.CANCELED).pk))
    tasks.send_order_confirmation_task.delay("00000000-0000-0000-0000-000000000000")

    assert mailoutbox == []


def test_ready_task_sends_once_per_time_the_order_becomes_ready(mailoutbox):
    order = make_ready_order()

    tasks.send_ready_for_pickup_task.delay(str(order.pk))
    tasks.send_ready_for_pickup_task.delay(str(order.pk))
    assert len(mailoutbox) == 1

    # Made ready again later (say after a mix-up at the counter): a new e-mail.
    order.ready_at = OrderEvent.objects.filter(order=order).latest("date").date + datetime.timedelta(seconds=1)
    order.save(update_fields=["ready_at"])
    tasks.send_ready_for_pickup_task.delay(str(order.pk))
    assert len(mailoutbox) == 2


def test_ready_task_skips_an_order_no_longer_waiting(mailoutbox):
    tasks.send_ready_for_pickup_task.delay(str(make_ready_order(status=OrderStatus.PICKED_UP).pk))
    tasks.send_ready_for_pickup_task.delay(str(make_order().pk))

    assert mailoutbox == []


def test_canceled_task_sends_once_and_only_for_a_cancelled_order(mailoutbox):
    open_order = make_order()
    canceled = make_order(status=OrderStatus.CANCELED)

    tasks.send_order_canceled_task.delay(str(open_order.pk), "customer_request")
    tasks.send_order_canceled_task.delay(str(canceled.pk), "customer_request")
    tasks.send_order_canceled_task.delay(str(canceled.pk), "customer_request")

    assert [message.to for message in mailoutbox] == [["buyer@example.test"]]
    assert "theo yêu cầu của bạn" in mailoutbox[0].body


def test_reminders_go_to_orders_due_tomorrow_once(mailoutbox, django_capture_on_commit_callbacks):
    today = local_today()
    tomorrow = today + datetime.timedelta(days=1)
    due = make_ready_order(collect_by=tomorrow)
    make_ready_order(collect_by=today + datetime.timedelta(days=2))  # not yet
    make_ready_order(collect_by=today)  # the day itself: too late for "the day before"
    make_ready_order(collect_by=tomorrow, status=OrderStatus.PICKED_UP)
    make_ready_order(collect_by=tomorrow, ready_at=timezone.now())  # ready today: the ready e-mail just went

    assert list(selectors.orders_due_for_reminder(today=today)) == [due]

    with django_capture_on_commit_callbacks(execute=True):  # the reminders go through the outbox
        tasks.send_pickup_reminders_task.delay()
        tasks.send_pickup_reminders_task.delay()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [due.user_email]
    assert f"#{due.number}" in mailoutbox[0].subject
    due.refresh_from_db()
    assert due.reminder_sent_at is not None
    assert email_events(due) == [{"email": "pickup_reminder", "to": "buyer@example.test"}]
    assert list(selectors.orders_due_for_reminder(today=today)) == []


def test_a_reminder_the_mail_server_refused_is_sent_on_a_later_try(settings, mailoutbox):
    order = make_ready_order(collect_by=local_today() + datetime.timedelta(days=1))
    settings.EMAIL_BACKEND = "tests.marketplace.orders.test_emails.RefusingBackend"

    # Run eagerly, the task's retry surfaces as celery's Retry instead of going back on the queue.
    with pytest.raises(Retry, match="EmailDeliveryError"):
        tasks.send_pickup_reminder_task.delay(str(order.pk))

    order.refresh_from_db()
    assert order.reminder_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.send_pickup_reminder_task.delay(str(order.pk))
    tasks.send_pickup_reminder_task.delay(str(order.pk))
    assert len(mailoutbox) == 1


def test_orders_past_collection_are_those_after_their_last_day():
    today = local_today()
    late = make_ready_order(collect_by=today - datetime.timedelta(days=1))
    make_ready_order(collect_by=today)  # still today
    make_ready_order(collect_by=today - datetime.timedelta(days=3), status=OrderStatus.PICKED_UP)
    make_ready_order(collect_by=today - datetime.timedelta(days=3), status=OrderStatus.CANCELED)

    assert list(selectors.orders_past_collection(today=today)) == [late]


def order_cancel_or_skip():
    """services.py is being written alongside this module: these tests wait for its order_cancel."""
    services = pytest.importorskip("marketplace.orders.services")
    if not hasattr(services, "order_cancel"):
        pytest.skip("marketplace.orders.services.order_cancel does not exist yet")
    return services


def test_expiry_cancels_the_orders_past_their_last_day():
    order_cancel_or_skip()
    today = local_today()
    late = [make_ready_order(collect_by=today - datetime.timedelta(days=days)) for days in (1, 2)]
    on_time = make_ready_order(collect_by=today)

    result = tasks.expire_uncollected_orders_task.delay().get(disable_sync_subtasks=False)

    assert result == {"expired": 2, "failed": 0}
    for order in late:
        order.refresh_from_db()
        assert order.status == OrderStatus.CANCELED
    on_time.refresh_from_db()
    assert on_time.status == OrderStatus.READY_FOR_PICKUP
    assert tasks.expire_uncollected_orders_task.delay().get(disable_sync_subtasks=False) == {"expired": 0, "failed": 0}


def test_expiry_goes_on_when_one_order_cannot_be_cancelled(monkeypatch, caplog):
    # The one place these tests replace our own code: there is no real way to make order_cancel
    # fail for one order and not another. The spy still calls the real service for the others.
    services = order_cancel_or_skip()
    today = local_today()
    first, second = (make_ready_order(collect_by=today - datetime.timedelta(days=1)) for _ in range(2))
    real_order_cancel = services.order_cancel
    calls = []

    def order_cancel(*, order, by_user=None, reason):
        calls.append((order.pk, by_user, reason))
        if order.pk == first.pk:
            raise RuntimeError("the gateway refused the refund")
        return real_order_cancel(order=order, by_user=by_user, reason=reason)

    monkeypatch.setattr(services, "order_cancel", order_cancel)

    result = tasks.expire_uncollected_orders_task.delay().get(disable_sync_subtasks=False)

    assert result == {"expired": 1, "failed": 1}
    assert sorted(calls) == sorted([(first.pk, None, "not_collected"), (second.pk, None, "not_collected")])
    assert f"could not expire order #{first.number}" in caplog.text
    second.refresh_from_db()
    assert second.status == OrderStatus.CANCELED


# --- beat ----------------------------------------------------------------------------------------


def test_the_beat_schedule_runs_the_pickup_jobs():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    reminders = schedule["send-pickup-reminders"]
    expiry = schedule["expire-uncollected-orders"]
    assert reminders["task"] == "marketplace.orders.tasks.send_pickup_reminders_task"
    assert expiry["task"] == "marketplace.orders.tasks.expire_uncollected_orders_task"
    assert reminders["schedule"] == crontab(hour=9, minute=0)
    assert expiry["schedule"] == crontab(minute=15)
    assert django_settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    for entry in (reminders, expiry):
        module, name = entry["task"].rsplit(".", 1)
        assert getattr(importlib.import_module(module), name).name == entry["task"]
