"""Account e-mails. Tasks take the user's id and the client's link, load the user and send the e-mail, whose
one-time token is made here (never carried through the broker).

Each skips a user who is gone or no longer in the state the e-mail is about (confirmed already, inactive).
Running one twice sends the e-mail twice, each link working: harmless. A refused or unreachable mail
server is retried, as for order e-mails.
"""

from __future__ import annotations

import logging

from celery import shared_task

from marketplace.accounts import emails
from marketplace.accounts.selectors import user_by_pk

logger = logging.getLogger(__name__)

_EMAIL_RETRIES = {
    "autoretry_for": (emails.EmailDeliveryError,),
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_EMAIL_RETRIES)
def send_account_confirmation_task(user_id: int, redirect_url: str) -> None:
    user = user_by_pk(user_id)
    if user is None or user.is_confirmed or not user.is_active:
        logger.info("user %s is gone, confirmed or inactive: no confirmation e-mail", user_id)
        return
    emails.send_account_confirmation(user, redirect_url=redirect_url)


@shared_task(**_EMAIL_RETRIES)
def send_password_reset_task(user_id: int, redirect_url: str) -> None:
    user = user_by_pk(user_id)
    if user is None or not user.is_active:
        logger.info("user %s is gone or inactive: no password reset e-mail", user_id)
        return
    emails.send_password_reset(user, redirect_url=redirect_url)


@shared_task(**_EMAIL_RETRIES)
def send_account_deletion_task(user_id: int, redirect_url: str) -> None:
    user = user_by_pk(user_id)
    if user is None or not user.is_active:
        logger.info("user %s is gone or inactive: no account deletion e-mail", user_id)
        return
    emails.send_account_deletion(user, redirect_url=redirect_url)
