"""The console's forms: filters read from the query string, and closing a misuse report."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import ListingReason, ListingState
from marketplace.certification.models import MisuseReportStatus
from marketplace.core.dates import add_months, local_today
from marketplace.outlets.models import Outlet
from web.trade.selectors import EXPIRY_WINDOWS, ProducerOrder, ProducerStanding, SalesChannel
from web.trade.templatetags.trade_console import in_language

DEFAULT_SALES_DAYS = 30
DEFAULT_OUTLET_DAYS = 7
MAX_PERIOD_DAYS = 3 * 366
# The days a period may start or end on: the marketplace's years, with room on both sides. Beyond them lie
# only typing slips (and, at year 1 or 9999, dates a day's arithmetic cannot step past).
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """`from` and `to` (local days, both included). Python cannot name a field `from`, so they are added here."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bounds = [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=_DateInput(), validators=bounds)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=_DateInput(), validators=bounds)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period comes before its start."))
        elif start and end and (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("from", _("Choose a period of at most three years."))
        return cleaned

    def requested_period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The period asked for; either end may be left open."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("from"), data.get("to")

    def period(self, *, default_days: int) -> tuple[datetime.date, datetime.date]:
        """The period asked for; its end defaults to today and its start to `default_days` days back from it."""
        start, end = self.requested_period()
        end = end or local_today()
        return start or end - datetime.timedelta(days=default_days - 1), end


class SalesPeriodForm(PeriodForm):
    """The period, and which sales to count: online orders, walk-in sales at the counter, or both (the default)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"] = forms.ChoiceField(
            label=_("Sold"), required=False, choices=SalesChannel.choices, initial=SalesChannel.ALL
        )

    def channel(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("channel") or SalesChannel.ALL


class OutletDaysForm(PeriodForm):
    """The period (by default the last `DEFAULT_OUTLET_DAYS` days) and, optionally, one of the user's outlets."""

    def __init__(self, *args, outlets: list[Outlet], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outlet"] = forms.TypedChoiceField(
            label=_("Outlet"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Every outlet")), *((outlet.pk, in_language(outlet)) for outlet in outlets)],
        )
        self.order_fields(["outlet", "from", "to"])

    def outlet_id(self) -> int | None:
        return self.cleaned_data.get("outlet") if self.is_valid() else None


class DelistingFilterForm(PeriodForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"] = forms.ChoiceField(
            label=_("Show"),
            required=False,
            choices=[
                ("", _("Delistings")),
                (ListingState.LISTED, _("Listings")),
                ("all", _("Every change")),
            ],
        )
        self.fields["reason"] = forms.ChoiceField(
            label=_("Reason"), required=False, choices=[("", _("Any reason")), *ListingReason.choices]
        )
        self.order_fields(["state", "reason", "from", "to"])

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state") or ListingState.DELISTED
        start, end = self.requested_period()
        return {
            "to_state": "" if state == "all" else state,
            "reason": data.get("reason") or "",
            "start": start,
            "end": end,
        }


class _MonthInput(forms.DateInput):
    """A month picker (`<input type="month">`, YYYY-MM; a plain text box where browsers have none)."""

    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    """A month, as YYYY-MM (what the month picker sends); its value is the month's first day."""

    widget = _MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class ProducerSearchForm(forms.Form):
    """Find producers: by name and the like, by where they stand today, and sorted by name or nearest expiry."""

    q = forms.CharField(label=_("Name, tax code, registry id or commune"), required=False, max_length=200)
    standing = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("Every producer")), *ProducerStanding.choices]
    )
    month = MonthField(
        label=_("Lapsing in (month)"),
        required=False,
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=ProducerOrder.choices)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not data.get("month"):
            data = data.copy()  # the picker shows the month the list uses: this one
            data["month"] = local_today().strftime("%Y-%m")
        super().__init__(data, **kwargs)

    def _cleaned(self, name: str) -> Any:
        """One field's value, even when another field is wrong (that one is then left out)."""
        self.is_valid()
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    def search(self) -> str:
        return (self._cleaned("q") or "").strip()

    def standing_value(self) -> str:
        return self._cleaned("standing") or ""

    def month_value(self) -> datetime.date:
        """The month asked for (its first day), this month by default."""
        return self._cleaned("month") or local_today().replace(day=1)

    def order_value(self) -> str:
        return self._cleaned("sort") or ProducerOrder.NAME


class ExpiryWindow(models.TextChoices):
    """The windows of the expiring certificates' page besides the days ahead (`EXPIRY_WINDOWS`)."""

    THIS_MONTH = "this-month", _("this month")
    NEXT_MONTH = "next-month", _("next month")


class ExpiryWindowForm(forms.Form):
    days = forms.ChoiceField(
        label=_("Within"),
        required=False,
        choices=[
            *((str(days), _("%(days)d days") % {"days": days}) for days in EXPIRY_WINDOWS),
            *ExpiryWindow.choices,
        ],
    )

    def choice(self) -> str:
        return (self.cleaned_data.get("days") if self.is_valid() else None) or str(EXPIRY_WINDOWS[0])

    def window(self) -> int | None:
        """The days ahead chosen, or None when a month was."""
        choice = self.choice()
        return int(choice) if choice.isdigit() else None

    def month(self) -> datetime.date | None:
        """The first day of the month chosen (this month or the next), or None when days ahead were."""
        this_month = local_today().replace(day=1)
        if self.choice() == ExpiryWindow.THIS_MONTH:
            return this_month
        if self.choice() == ExpiryWindow.NEXT_MONTH:
            return add_months(this_month, 1)
        return None


class QuarantineFilterForm(forms.Form):
    released = forms.BooleanField(label=_("Also show records released by a later valid revision"), required=False)

    def include_released(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("released"))


class ReportStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *MisuseReportStatus.choices],
    )

    def status_value(self) -> str:
        if not self.is_bound:
            return MisuseReportStatus.NEW
        return self.cleaned_data.get("status", "") if self.is_valid() else MisuseReportStatus.NEW


class MisuseReportHandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (MisuseReportStatus.HANDLED, _("Handled: action was taken")),
            (MisuseReportStatus.DISMISSED, _("Dismissed: nothing to act on")),
        ],
    )
    resolution = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
