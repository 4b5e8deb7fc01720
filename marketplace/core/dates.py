import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    """Today in the marketplace's time zone (Asia/Ho_Chi_Minh), the day certificates are judged by."""
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Dates and times are written one way in both languages, on pages (config/formats), in e-mails, exports and
# messages (these two): dd/mm/yyyy and the 24-hour clock.
DAY = "%d/%m/%Y"
MOMENT = "%d/%m/%Y %H:%M"


def day_text(day: datetime.date) -> str:
    """13/09/2024."""
    return day.strftime(DAY)


def moment_text(moment: datetime.datetime) -> str:
    """04/12/2026 22:40, in the marketplace's time zone."""
    return timezone.localtime(moment).strftime(MOMENT) if timezone.is_aware(moment) else moment.strftime(MOMENT)
