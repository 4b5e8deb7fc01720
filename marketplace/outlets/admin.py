from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.outlets.models import OpeningPeriod, Outlet
from marketplace.outlets.permissions import OUTLET


class OpeningPeriodInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = OUTLET
    model = OpeningPeriod
    extra = 0
    verbose_name_plural = _("opening hours (Vietnam time; a day without a period is closed)")


@admin.register(Outlet)
class OutletAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = OUTLET
    inlines = (OpeningPeriodInline,)
    list_display = (
        "name",
        "kind",
        "commune",
        "province",
        "address_complete",
        "click_and_collect_option",
        "hold_days",
        "is_active",
    )
    list_filter = ("kind", "is_active", "click_and_collect_option", "province")
    list_select_related = ("producer",)
    search_fields = ("name", "name_en", "commune", "operator")
    filter_horizontal = ("channels",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "name_en", "slug", "kind", "producer", "operator", "is_active", "channels")}),
        (
            _("Address"),
            {
                "fields": (
                    "address_line",
                    "commune",
                    "province",
                    "address_before_2025",
                    "latitude",
                    "longitude",
                    "coordinates_approximate",
                )
            },
        ),
        (_("Contact"), {"fields": ("phone", "email", "source_url")}),
        (
            _("Collection"),
            {
                "fields": (
                    "click_and_collect_option",
                    "hold_days",
                    "preparation_minutes",
                    "collects_from",
                    "collects_until",
                    "opening_hours",
                    "opening_hours_en",
                    "pickup_instructions",
                    "pickup_instructions_en",
                )
            },
        ),
    )

    @admin.display(description=_("address complete"), boolean=True)
    def address_complete(self, outlet: Outlet) -> bool:
        return outlet.address_is_complete

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Warns of the outlets a buyer cannot find from their address (checkout, the order page and the
        e-mails show it)."""
        incomplete = [outlet.name for outlet in self.get_queryset(request) if not outlet.address_is_complete]
        if incomplete and request.method == "GET":
            messages.warning(
                request,
                _(
                    "%(count)s outlets have no street address, commune or province: buyers collecting there see "
                    "only what is filled in. Complete them: %(names)s."
                )
                % {
                    "count": len(incomplete),
                    "names": ", ".join(incomplete[:10]) + ("…" if len(incomplete) > 10 else ""),
                },
            )
        return super().changelist_view(request, extra_context)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        outlet = context.get("original")
        if outlet is not None and not outlet.address_is_complete and request.method == "GET":
            messages.warning(
                request,
                _("This outlet's address is incomplete: give its street, commune and province, so buyers find it."),
            )
        return super().render_change_form(request, context, *args, **kwargs)
