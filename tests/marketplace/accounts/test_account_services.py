"""The account services, tokens, e-mails and tasks behind the storefront's account mutations (and, later,
our own sign-up pages): what they refuse, what they send, and when."""

import smtplib
import unicodedata

import pytest
from celery.exceptions import Retry
from django.core.mail.backends.base import BaseEmailBackend

from marketplace.accounts import emails, tasks
from marketplace.accounts.models import User
from marketplace.accounts.services import (
    account_confirm,
    account_delete,
    account_deletion_request,
    account_update,
    check_redirect_url,
    password_change,
    password_reset_request,
    password_reset_set,
    user_language_code,
    user_log_in,
    user_register,
)
from marketplace.accounts.tokens import account_confirmation_tokens, account_deletion_tokens, password_reset_tokens
from marketplace.core.errors import DomainError
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.order_factories import make_order

pytestmark = pytest.mark.django_db

LINK = "http://localhost:3000/account"
PASSWORD = "Mật-khẩu-dài-2025"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as an SMTP server would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")


def refusal(call) -> list[tuple[str | None, str]]:
    with pytest.raises(DomainError) as raised:
        call()
    return [(detail.field, str(detail.code)) for detail in raised.value.details]


def test_each_purpose_has_its_own_tokens():
    user = make_user()
    generators = [account_confirmation_tokens, password_reset_tokens, account_deletion_tokens]
    user.is_confirmed = False
    for made_by in generators:
        token = made_by.make_token(user)
        assert [checker.check_token(user, token) for checker in generators] == [
            checker is made_by for checker in generators
        ]


def test_tokens_expire_after_their_own_setting(settings):
    user = make_user(is_confirmed=False)
    for generator, setting in [
        (account_confirmation_tokens, "ACCOUNT_CONFIRMATION_TIMEOUT"),
        (password_reset_tokens, "PASSWORD_RESET_TIMEOUT"),
        (account_deletion_tokens, "ACCOUNT_DELETION_TIMEOUT"),
    ]:
        now = generator._num_seconds(generator._now())
        hour_old = generator._make_token_with_timestamp(user, now - 3600, generator.secret)
        setattr(settings, setting, 3601)
        assert generator.check_token(user, hour_old)
        setattr(settings, setting, 3599)
        assert not generator.check_token(user, hour_old)
    assert not password_reset_tokens.check_token(None, "x")
    assert not password_reset_tokens.check_token(user, "")


def test_tokens_stop_working_once_used():
    user = make_user(is_confirmed=False)
    confirmation, reset = account_confirmation_tokens.make_token(user), password_reset_tokens.make_token(user)
    account_confirm(email=user.email, token=confirmation)
    user.refresh_from_db()
    assert not account_confirmation_tokens.check_token(user, confirmation)
    password_reset_set(email=user.email, token=reset, password=PASSWORD)
    user.refresh_from_db()
    assert not password_reset_tokens.check_token(user, reset)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://localhost:3000/confirm?x=1", True),
        ("https://127.0.0.1/reset", True),
        ("https://shop.ocop.vn/reset", False),
        ("https://localhost.evil.example/", False),
        ("https://user@evil.example/", False),
        ("javascript:alert(1)", False),
        ("//localhost/x", False),
        ("http://[::1", False),
        ("", False),
    ],
)
def test_redirect_urls_must_lead_to_an_allowed_client_host(url, allowed):
    if allowed:
        assert check_redirect_url(url) == url
    else:
        assert refusal(lambda: check_redirect_url(url)) == [("redirectUrl", "INVALID")]


@pytest.mark.parametrize(
    ("given", "stored"), [("vi", "vi"), ("VI-vn", "vi"), ("en", "en"), ("en-US", "en"), ("pl", "en"), (None, "vi")]
)
def test_a_users_language_is_vietnamese_or_english(given, stored):
    assert user_language_code(given) == stored


def test_register_queues_the_confirmation_only_on_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = user_register(email="Lan@Example.test", password=PASSWORD, redirect_url=LINK)
    assert registration.requires_confirmation and not registration.user.is_confirmed
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    [message] = mailoutbox
    assert message.to == ["lan@example.test"]


def test_register_refuses_with_every_problem_at_once(settings):
    problems = refusal(
        lambda: user_register(email="nope", password="123", redirect_url="https://evil.example/", metadata={"": "x"})
    )
    assert problems == [
        ("redirectUrl", "INVALID"),
        ("email", "INVALID"),
        ("metadata", "REQUIRED"),
        ("password", "PASSWORD_TOO_SHORT"),
        ("password", "PASSWORD_TOO_COMMON"),
        ("password", "PASSWORD_ENTIRELY_NUMERIC"),
    ]
    assert not User.objects.exists()


def test_an_unconfirmed_account_signs_in_once_confirmation_is_switched_off(settings):
    user = make_user(is_confirmed=False)
    assert refusal(lambda: user_log_in(email=user.email, password=DEFAULT_PASSWORD)) == [
        ("email", "ACCOUNT_NOT_CONFIRMED")
    ]
    assert refusal(lambda: user_log_in(email=user.email, password="wrong")) == [("email", "INVALID_CREDENTIALS")]
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    assert user_log_in(email=user.email, password=DEFAULT_PASSWORD) == user


def test_password_reset_requests_claim_the_lock_once(django_capture_on_commit_callbacks, mailoutbox):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=user.email, redirect_url=LINK)
        password_reset_request(email=user.email.upper(), redirect_url=LINK)
    assert len(mailoutbox) == 1
    user.refresh_from_db()
    assert user.last_password_reset_request is not None


def test_password_change_checks_the_old_and_the_new_password():
    user = make_user(email="lan@example.test")
    assert refusal(lambda: password_change(user=user, old_password="x", new_password=PASSWORD)) == [
        ("oldPassword", "INVALID_CREDENTIALS")
    ]
    assert refusal(lambda: password_change(user=user, old_password=DEFAULT_PASSWORD, new_password="short")) == [
        ("newPassword", "PASSWORD_TOO_SHORT")
    ]
    key = user.jwt_token_key
    password_change(user=user, old_password=DEFAULT_PASSWORD, new_password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.jwt_token_key != key


def test_a_user_without_a_usable_password_sets_one_without_the_old():
    user = make_user()
    user.set_unusable_password()
    user.save()
    password_change(user=user, old_password=None, new_password=PASSWORD)
    assert user.check_password(PASSWORD)


def test_account_update_cleans_names_and_keeps_other_metadata():
    user = make_user(first_name="Lan")
    user.metadata = {"a": "1"}
    user.save()
    account_update(user=user, last_name=" Nguye\u0302\u0303n ", metadata={"b": "2"})
    user.refresh_from_db()
    assert user.last_name == unicodedata.normalize("NFC", "Nguyễn") and user.first_name == "Lan"
    assert user.metadata == {"a": "1", "b": "2"}
    assert refusal(lambda: account_update(user=user, metadata={"k" * 257: "v"})) == [("metadata", "INVALID")]


def test_account_deletion_refuses_staff_and_foreign_links(mailoutbox):
    staff = make_user(is_staff=True)
    assert refusal(lambda: account_deletion_request(user=staff, redirect_url=LINK)) == [(None, "DELETE_STAFF_ACCOUNT")]
    token = account_deletion_tokens.make_token(staff)
    assert refusal(lambda: account_delete(user=staff, token=token)) == [(None, "DELETE_STAFF_ACCOUNT")]
    shopper = make_user()
    assert refusal(lambda: account_deletion_request(user=shopper, redirect_url="https://evil.example/")) == [
        ("redirectUrl", "INVALID")
    ]
    assert mailoutbox == []


# --- e-mails and tasks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("send", "subject_vi", "subject_en", "params"),
    [
        (
            emails.send_account_confirmation,
            "xác nhận địa chỉ e-mail của bạn",
            "confirm your e-mail address",
            "email=,token=",
        ),
        (emails.send_password_reset, "đặt lại mật khẩu", "reset your password", "email=,token="),
        (emails.send_account_deletion, "xác nhận xóa tài khoản", "confirm deleting your account", "token="),
    ],
)
def test_account_emails_in_vietnamese_and_english(send, subject_vi, subject_en, params, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "OCOP Đồng Nai <no-reply@ocop.test>"
    vi = make_user(
        email="lan@example.test", first_name="Lan", last_name="Nguyễn", language_code="vi", is_confirmed=False
    )
    en = make_user(email="emma@example.test", first_name="Emma", last_name="Smith", language_code="en")
    send(vi, redirect_url=f"{LINK}?next=/orders")
    send(en, redirect_url=LINK)
    [to_vi, to_en] = mailoutbox
    assert to_vi.subject == f"OCOP Đồng Nai: {subject_vi}" and to_en.subject == f"OCOP Đồng Nai: {subject_en}"
    assert to_vi.from_email == "OCOP Đồng Nai <no-reply@ocop.test>"
    assert "Xin chào Nguyễn Lan," in to_vi.body and "Hello Emma Smith," in to_en.body
    assert f"{LINK}?next=%2Forders&" in to_vi.body
    for name in params.split(","):
        if name:
            assert name in to_vi.body.split(LINK, 1)[1]
    if "email=" not in params:
        assert "email=" not in to_en.body
    html = to_en.alternatives[0][0]
    assert '<html lang="en">' in html and "&amp;" not in to_en.body
    for message in (to_vi, to_en):
        for text in (message.subject, message.body, message.alternatives[0][0]):
            assert unicodedata.is_normalized("NFC", text)


def test_links_say_how_long_they_work(settings, mailoutbox):
    settings.PASSWORD_RESET_TIMEOUT = 90 * 60
    settings.ACCOUNT_CONFIRMATION_TIMEOUT = 3 * 24 * 3600
    user = make_user(language_code="en", is_confirmed=False)
    emails.send_password_reset(user, redirect_url=LINK)
    emails.send_account_confirmation(user, redirect_url=LINK)
    assert "works for 2 hours" in mailoutbox[0].body and "works for 3 days" in mailoutbox[1].body
    user.language_code = "vi"
    emails.send_password_reset(user, redirect_url=LINK)
    assert "có hiệu lực trong 2 giờ" in mailoutbox[2].body


def test_a_refused_message_is_an_email_delivery_error_and_the_task_retries(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    user = make_user()
    with pytest.raises(emails.EmailDeliveryError):
        emails.send_password_reset(user, redirect_url=LINK)
    with pytest.raises((Retry, emails.EmailDeliveryError)):
        tasks.send_password_reset_task.apply(args=(user.pk, LINK), throw=True)


def test_tasks_skip_users_gone_or_no_longer_concerned(mailoutbox):
    confirmed = make_user()
    inactive = make_user(is_active=False, is_confirmed=False)
    tasks.send_account_confirmation_task(confirmed.pk, LINK)
    tasks.send_account_confirmation_task(inactive.pk, LINK)
    tasks.send_password_reset_task(inactive.pk, LINK)
    tasks.send_account_deletion_task(inactive.pk, LINK)
    tasks.send_password_reset_task(10**9, LINK)
    assert mailoutbox == []
    waiting = make_user(is_confirmed=False)
    tasks.send_account_confirmation_task(waiting.pk, LINK)
    tasks.send_account_confirmation_task(waiting.pk, LINK)  # twice: two working links, no harm
    assert len(mailoutbox) == 2
    tokens = [message.body.split("token=")[1].split()[0] for message in mailoutbox]
    assert all(account_confirmation_tokens.check_token(waiting, token) for token in tokens)
    assert account_confirm(email=waiting.email, token=tokens[0]).is_confirmed
    assert refusal(lambda: account_confirm(email=waiting.email, token=tokens[1])) == [("token", "INVALID")]


def test_confirming_an_address_brings_the_guest_orders_placed_under_it():
    user = make_user(email="lan@example.test", is_confirmed=False)
    guest_order = make_order(user_email="Lan@Example.test")
    someone_elses = make_order(user=make_user(), user_email="lan@example.test")
    other_address = make_order(user_email="hoa@example.test")

    account_confirm(email=user.email, token=account_confirmation_tokens.make_token(user))

    assert list(user.orders.all()) == [guest_order]
    someone_elses.refresh_from_db()
    other_address.refresh_from_db()
    assert someone_elses.user != user and other_address.user is None


def test_registering_alone_proves_no_address_and_brings_no_orders(settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    guest_order = make_order(user_email="lan@example.test")
    user_register(email="lan@example.test", password=PASSWORD)
    guest_order.refresh_from_db()
    assert guest_order.user is None


def test_a_password_reset_that_confirms_the_account_brings_its_guest_orders():
    user = make_user(email="lan@example.test", is_confirmed=False)
    guest_order = make_order(user_email="lan@example.test")
    password_reset_set(email=user.email, token=password_reset_tokens.make_token(user), password=PASSWORD)
    guest_order.refresh_from_db()
    assert guest_order.user == user
