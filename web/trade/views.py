"""The department of trade's console. Read-only over what the registry owns; its writes are closing a report and
publishing a rating round.

Trade staff see their province (the selectors scope every read); operators see everything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import scope_province_wide
from marketplace.certification.models import MisuseReport, MisuseReportStatus
from marketplace.core.dates import day_text, local_today
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.core.money import format_vnd
from marketplace.counter.selectors import OutletDay
from marketplace.events.models import Event
from marketplace.events.selectors import published_announcements, rating_rounds
from marketplace.events.services import rating_round_publish
from marketplace.ledger.selectors import last_months, monthly_totals
from web.access import SignedInRequest, role_required
from web.trade import selectors
from web.trade.charts import bar_chart_svg
from web.trade.exports import outlet_days_csv, sales_csv, sales_xlsx
from web.trade.forms import (
    DEFAULT_OUTLET_DAYS,
    DEFAULT_SALES_DAYS,
    DelistingFilterForm,
    ExpiryWindowForm,
    MisuseReportHandleForm,
    OutletDaysForm,
    ProducerSearchForm,
    QuarantineFilterForm,
    ReportStatusFilterForm,
    SalesPeriodForm,
)
from web.trade.selectors import EXPIRY_WINDOWS
from web.trade.services import misuse_report_handle

PAGE_SIZE = 20
CHART_BARS = 15  # bars a sales chart draws at most, the largest (rows come largest first)
OUTLET_DAYS_PAGE_SIZE = 50

trade_staff_only = role_required(Role.TRADE_STAFF, Role.OPERATOR)


def _page(request: SignedInRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@trade_staff_only
def home(request: SignedInRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "trade/home.html",
        {
            "summary": selectors.trade_summary(user=user),
            "sync_runs": selectors.recent_sync_runs(user=user, limit=5),
        },
    )


@trade_staff_only
def producers(request: SignedInRequest) -> HttpResponse:
    """The producers with where each stands today (selling, certified but not selling, lapsing, lapsed) and the
    nearest end of its valid certificates; filtered and sorted from the query string."""
    form = ProducerSearchForm(request.GET)
    first_sync = selectors.first_sync_day(user=request.user)
    standing, month, order = form.standing_value(), form.month_value(), form.order_value()
    page = _page(
        request,
        selectors.producers_with_products(
            user=request.user,
            search=form.search(),
            standing=standing,
            month=month,
            order=order,
            first_sync=first_sync,
        ),
    )
    return render(
        request,
        "trade/producers.html",
        {
            "form": form,
            "page": page,
            "standing": standing,
            "month_first": month,
            "month_last": selectors.month_bounds(month)[1],
            "order": order,
            "first_sync": first_sync,
            "today": local_today(),
        },
    )


@trade_staff_only
def expiring(request: SignedInRequest) -> HttpResponse:
    form = ExpiryWindowForm(request.GET)
    days, month = form.window(), form.month()
    if month is not None:
        certifications = selectors.expiring_certifications(user=request.user, month=month)
    else:
        certifications = selectors.expiring_certifications(user=request.user, days=days or EXPIRY_WINDOWS[0])
    context = {"form": form, "days": days, "month": month, "page": _page(request, certifications)}
    if month is not None:
        context["month_last"] = selectors.month_bounds(month)[1]
    return render(request, "trade/expiring.html", context)


@trade_staff_only
def delistings(request: SignedInRequest) -> HttpResponse:
    form = DelistingFilterForm(request.GET)
    page = _page(request, selectors.listing_events(user=request.user, **form.filters()))
    return render(request, "trade/delistings.html", {"form": form, "page": page})


@trade_staff_only
def quarantine(request: SignedInRequest) -> HttpResponse:
    form = QuarantineFilterForm(request.GET)
    page = _page(request, selectors.quarantined_records(user=request.user, include_released=form.include_released()))
    return render(request, "trade/quarantine.html", {"form": form, "page": page})


@dataclass(frozen=True)
class ReportCard:
    """A misuse report on the page, with the form that closes it while it is new (or the refused one)."""

    report: MisuseReport
    handle_form: MisuseReportHandleForm | None


def _report_cards(
    page: Page, failed: tuple[int, MisuseReportHandleForm] | None
) -> tuple[list[ReportCard], MisuseReportHandleForm | None]:
    """The page's reports, the refused form beside its report; that form comes back too when its report is not
    on this page."""
    failed_pk, failed_form = failed or (None, None)
    cards = []
    for report in page:
        form: MisuseReportHandleForm | None = None
        if report.pk == failed_pk:
            form, failed_form = failed_form, None
        elif report.status == MisuseReportStatus.NEW:
            form = MisuseReportHandleForm(prefix=f"report-{report.pk}")
        cards.append(ReportCard(report=report, handle_form=form))
    return cards, failed_form


def _reports_page(
    request: SignedInRequest, *, failed: tuple[int, MisuseReportHandleForm] | None = None
) -> HttpResponse:
    bound = "status" in request.GET
    filter_form = ReportStatusFilterForm(request.GET if bound else None, initial={"status": MisuseReportStatus.NEW})
    page = _page(request, selectors.misuse_reports(user=request.user, status=filter_form.status_value()))
    cards, failed_form = _report_cards(page, failed)
    return render(
        request,
        "trade/reports.html",
        # A refused form whose report is not on this page (closed meanwhile) is summarised at the top.
        {"filter_form": filter_form, "page": page, "cards": cards, "failed_form": failed_form},
        status=400 if failed else 200,
    )


@trade_staff_only
def reports(request: SignedInRequest) -> HttpResponse:
    return _reports_page(request)


@require_POST
@trade_staff_only
def report_handle(request: SignedInRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.misuse_reports(user=request.user), pk=pk)
    form = MisuseReportHandleForm(request.POST, prefix=f"report-{report.pk}")
    if form.is_valid():
        try:
            misuse_report_handle(
                report=report,
                by_user=request.user,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("trade:reports")
        except DomainError as error:
            for detail in error.details:
                form.add_error(detail.field if detail.field in form.fields else None, detail.message)
        else:
            messages.success(
                request, gettext("Report about certificate %(id)s closed.") % {"id": report.certificate_id}
            )
            return redirect("trade:reports")
    return _reports_page(request, failed=(report.pk, form))


def _sales(request: SignedInRequest) -> tuple[SalesPeriodForm, selectors.SalesReport]:
    form = SalesPeriodForm(request.GET)
    start, end = form.period(default_days=DEFAULT_SALES_DAYS)
    report = selectors.sales_report(
        user=request.user,
        start=start,
        end=end,
        channel=form.channel(),
        language=get_language() or "vi",
        unknown=gettext("Not known"),
        delivered=gettext("Delivered to the buyer"),
    )
    return form, report


def _charts(report: selectors.SalesReport) -> list[dict]:
    language = get_language() or "vi"
    period = {"start": day_text(report.start), "end": day_text(report.end)}
    breakdowns = (
        ("commune", gettext("Revenue by commune"), report.by_commune),
        ("group", gettext("Revenue by OCOP product group"), report.by_group),
        ("stars", gettext("Revenue by stars"), report.by_stars),
        ("outlet", gettext("Revenue by outlet"), report.by_outlet),
        ("producer", gettext("Revenue by producer"), report.by_producer),
    )
    charts = []
    for key, title, rows in breakdowns:
        description = gettext("Revenue in đồng from %(start)s to %(end)s; the table below gives the figures.") % period
        if len(rows) > CHART_BARS:
            # A province has a hundred producers or more: the chart draws the largest, the table lists them all.
            description = gettext(
                "Revenue in đồng from %(start)s to %(end)s, the %(bars)d largest; the table gives every figure."
            ) % {**period, "bars": CHART_BARS}
        svg = bar_chart_svg(
            chart_id=f"chart-{key}",
            title=title,
            description=description,
            bars=[(row.label, row.revenue) for row in rows[:CHART_BARS]],
            value_text=lambda amount: format_vnd(amount, language),
        )
        charts.append({"key": key, "title": title, "rows": rows, "svg": svg, "drawn": min(len(rows), CHART_BARS)})
    return charts


@trade_staff_only
def sales(request: SignedInRequest) -> HttpResponse:
    form, report = _sales(request)
    period = {"from": report.start.isoformat(), "to": report.end.isoformat()}
    export_query = urlencode({**period, "channel": report.channel})
    return render(
        request,
        "trade/sales.html",
        {"form": form, "report": report, "charts": _charts(report), "export_query": export_query},
    )


def _filename(report: selectors.SalesReport, extension: str) -> str:
    channel = "" if report.channel == selectors.SalesChannel.ALL else f"-{report.channel}"
    return f"ocop-sales{channel}-{report.start.isoformat()}-{report.end.isoformat()}.{extension}"


@trade_staff_only
def sales_export_csv(request: SignedInRequest) -> HttpResponse:
    _form, report = _sales(request)
    response = HttpResponse(sales_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


@trade_staff_only
def sales_export_xlsx(request: SignedInRequest) -> HttpResponse:
    _form, report = _sales(request)
    response = HttpResponse(
        sales_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@dataclass(frozen=True)
class OutletDaysView:
    """What the outlet-days page and its CSV show: the filter, the period it settled on, and the days."""

    form: OutletDaysForm
    start: datetime.date
    end: datetime.date
    outlet_id: int | None
    days: list[OutletDay]

    @property
    def query(self) -> str:
        chosen = {"outlet": str(self.outlet_id)} if self.outlet_id else {}
        return urlencode({"from": self.start.isoformat(), "to": self.end.isoformat(), **chosen})


def _outlet_days(request: SignedInRequest) -> OutletDaysView:
    form = OutletDaysForm(request.GET, outlets=list(selectors.scoped_outlets(user=request.user)))
    start, end = form.period(default_days=DEFAULT_OUTLET_DAYS)
    outlet_id = form.outlet_id()
    days = selectors.outlet_days(user=request.user, start=start, end=end, outlet_id=outlet_id)
    return OutletDaysView(form=form, start=start, end=end, outlet_id=outlet_id, days=days)


@trade_staff_only
def outlet_days(request: SignedInRequest) -> HttpResponse:
    """Each outlet's days at the counter: sales by payment method, refunds, online orders handed over, and the
    close of the day (read-only: outlets close their days in the outlet console)."""
    shown = _outlet_days(request)
    page = _page(request, shown.days, per_page=OUTLET_DAYS_PAGE_SIZE)
    return render(request, "trade/outlet_days.html", {"shown": shown, "form": shown.form, "page": page})


@trade_staff_only
def outlet_days_export_csv(request: SignedInRequest) -> HttpResponse:
    shown = _outlet_days(request)
    response = HttpResponse(outlet_days_csv(shown.days), content_type="text/csv; charset=utf-8")
    filename = f"ocop-outlet-days-{shown.start.isoformat()}-{shown.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@trade_staff_only
def announcements(request: SignedInRequest) -> HttpResponse:
    """The rating rounds of the province's certificates, each published as an announcement or ready to be."""
    published = {a.decision_number: a for a in published_announcements()}
    rounds = [
        (rating_round, published.get(rating_round.decision_number)) for rating_round in rating_rounds(user=request.user)
    ]
    return render(request, "trade/announcements.html", {"rounds": rounds})


@require_POST
@trade_staff_only
def announcement_publish(request: SignedInRequest) -> HttpResponse:
    try:
        announcement = rating_round_publish(decision_number=request.POST.get("decision", ""), by_user=request.user)
    except DomainError:
        messages.error(request, gettext("No certificate of your province carries this decision number."))
        return redirect("trade:announcements")
    messages.success(
        request, gettext("The rating round %(decision)s is published.") % {"decision": announcement.decision_number}
    )
    return redirect("trade:announcements")


@trade_staff_only
def events(request: SignedInRequest) -> HttpResponse:
    """The province's fairs and events, published or not; they are created and edited in the back office."""
    page = _page(
        request, scope_province_wide(request.user, Event.objects.select_related("booth")).order_by("-starts_on", "pk")
    )
    return render(request, "trade/events.html", {"page": page, "today": local_today()})


LEDGER_MONTHS = 12


@trade_staff_only
def payouts(request: SignedInRequest) -> HttpResponse:
    """What the producers of the province earned, gave back and were paid, month by month, and what the platform
    owed them at each month's end (the payout ledger, read-only)."""
    months = monthly_totals(
        months=last_months(today=local_today(), count=LEDGER_MONTHS),
        producers=selectors.scoped_producers(user=request.user),
    )
    return render(request, "trade/payouts.html", {"months": months})
