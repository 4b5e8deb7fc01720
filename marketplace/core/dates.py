import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    """Today in the marketplace's time zone (Asia/Ho_Chi_Minh), the day certificates are judged by."""
    return timezone.localdate()
