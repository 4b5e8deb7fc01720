import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ocop_marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**_: Any) -> None:
    """Workers and beat log as the web does (settings.LOGGING: JSON in production, each line with the request id
    of the request that queued the task), not with Celery's own formatter."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
