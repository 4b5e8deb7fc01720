"""The console's forms: filters read from the query string, and closing a misuse report."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import ListingReason, ListingState
from marketplace.certification.models import MisuseReportStatus
from marketplace.core.dates import local_today
from marketplace.outlets.models import Outlet
from web.trade.selectors import EXPIRY_WINDOWS, SalesChannel
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


class ProducerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, tax code, registry id or commune"), required=False, max_length=200)

    def search(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class ExpiryWindowForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        choices=[(days, _("%(days)d days") % {"days": days}) for days in EXPIRY_WINDOWS],
    )

    def window(self) -> int:
        return (self.cleaned_data.get("days") if self.is_valid() else None) or EXPIRY_WINDOWS[0]


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
