import json
from typing import Any

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.certification.models import Certification
from marketplace.certification.permissions import CERTIFICATION


def render_json(value: Any) -> SafeString:
    """A JSON value as indented, escaped text, Vietnamese left readable."""
    return format_html(
        '<pre style="white-space: pre-wrap; margin: 0">{}</pre>', json.dumps(value, ensure_ascii=False, indent=2)
    )


def render_stars(stars: int | None) -> str:
    return "★" * stars if stars else "—"


@admin.register(Certification)
class CertificationAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Certificates as the registry issued them: read-only for everyone, never added or deleted here."""

    resource = CERTIFICATION
    list_display = (
        "certificate_id",
        "product",
        "producer",
        "stars_display",
        "status",
        "council_level",
        "valid_from",
        "valid_until",
        "revision",
        "quarantined",
    )
    list_filter = ("status", "stars", "council_level", ("quarantined_revision", admin.EmptyFieldListFilter))
    list_select_related = ("product", "producer")
    search_fields = ("certificate_id", "decision_number", "product__name", "product__registry_id", "producer__name")
    date_hierarchy = "valid_until"
    fieldsets = (
        (None, {"fields": ("certificate_id", "revision", "registry_updated_at", "status", "quarantined_revision")}),
        (_("Rating"), {"fields": ("stars", "score", "council_level")}),
        (_("Decision"), {"fields": ("decision_number", "decision_date", "issuer", "valid_from", "valid_until")}),
        (_("Subject"), {"fields": ("product", "producer", "supersedes")}),
        (_("Registry record"), {"fields": ("raw_pretty", "created_at", "updated_at")}),
    )
    readonly_fields = ("raw_pretty", "created_at", "updated_at")

    @admin.display(description=_("stars"), ordering="stars")
    def stars_display(self, obj: Certification) -> str:
        return render_stars(obj.stars)

    @admin.display(description=_("quarantined"), boolean=True, ordering="quarantined_revision")
    def quarantined(self, obj: Certification) -> bool:
        return obj.quarantined_revision is not None

    @admin.display(description=_("registry record"))
    def raw_pretty(self, obj: Certification) -> SafeString:
        return render_json(obj.raw)
