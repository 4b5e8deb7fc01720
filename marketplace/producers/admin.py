from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.producers.models import Producer
from marketplace.producers.permissions import PRODUCER


@admin.register(Producer)
class ProducerAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Producers come from the registry: every field but the slug is read-only, and none is added or deleted here."""

    resource = PRODUCER
    list_display = ("name", "registry_id", "kind", "commune_today", "province_today", "phone")
    list_filter = ("kind", "province_today")
    search_fields = ("name", "registry_id", "tax_code")
    fieldsets = (
        (None, {"fields": ("registry_id", "name", "slug", "kind", "tax_code", "representative", "phone", "email")}),
        (
            _("Address in the registry"),
            {
                "fields": (
                    "address_line",
                    "address_commune",
                    "address_district",
                    "address_province",
                    "address_commune_code",
                    "latitude",
                    "longitude",
                )
            },
        ),
        (
            _("Address today"),
            {"fields": ("commune_today", "province_today", "commune_code_today", "address_note")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("created_at", "updated_at")
