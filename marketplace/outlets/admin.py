from django.contrib import admin
from django.db import models
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
    list_display = ("name", "kind", "commune", "province", "click_and_collect_option", "hold_days", "is_active")
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
