from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from catalog_sync.models import SYNC_COUNTERS, QuarantinedRecord, RegistryCursor, SyncRun
from catalog_sync.permissions import QUARANTINED_RECORD, REGISTRY_CURSOR, SYNC_RUN
from catalog_sync.validation import reason_texts
from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.certification.admin import render_json


@admin.register(SyncRun)
class SyncRunAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """What each sync did, counted. Written by the sync only."""

    resource = SYNC_RUN
    list_display = (
        "id",
        "status",
        "trigger",
        "started_at",
        "finished_at",
        "pages",
        *SYNC_COUNTERS,
    )
    list_filter = ("status", "trigger")
    date_hierarchy = "started_at"
    fieldsets = (
        (None, {"fields": ("registry_url", "trigger", "status", "started_at", "finished_at", "error")}),
        (_("Cursor"), {"fields": ("cursor_before", "cursor_after")}),
        (
            _("Counts"),
            {"fields": ("pages", *SYNC_COUNTERS)},
        ),
    )
    readonly_fields = ("started_at",)


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Records that failed validation, kept whole with the reasons, until a valid revision replaces them."""

    resource = QUARANTINED_RECORD
    list_display = ("certificate_id", "revision", "reasons_summary", "received_at", "released_at", "sync_run")
    list_filter = (("released_at", admin.EmptyFieldListFilter),)
    list_select_related = ("sync_run",)
    search_fields = ("certificate_id",)
    date_hierarchy = "received_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "certificate_id",
                    "revision",
                    "sync_run",
                    "received_at",
                    "released_at",
                    "released_by_revision",
                )
            },
        ),
        (_("Why"), {"fields": ("reasons_display", "reasons_pretty")}),
        (_("Record as received"), {"fields": ("raw_pretty",)}),
    )
    readonly_fields = ("received_at", "reasons_display", "reasons_pretty", "raw_pretty")

    @admin.display(description=_("reasons"))
    def reasons_summary(self, obj: QuarantinedRecord) -> str:
        reasons = reason_texts(obj.reasons)
        summary = "; ".join(reasons[:3])
        return summary + (f" (+{len(reasons) - 3})" if len(reasons) > 3 else "")

    @admin.display(description=_("reasons"))
    def reasons_display(self, obj: QuarantinedRecord) -> SafeString:
        items = format_html_join("", "<li>{}</li>", ((reason,) for reason in reason_texts(obj.reasons)))
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("reasons (as recorded)"))
    def reasons_pretty(self, obj: QuarantinedRecord) -> SafeString:
        return render_json(obj.reasons)

    @admin.display(description=_("record as received"))
    def raw_pretty(self, obj: QuarantinedRecord) -> SafeString:
        return render_json(obj.raw)


@admin.register(RegistryCursor)
class RegistryCursorAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = REGISTRY_CURSOR
    list_display = ("registry_url", "cursor", "updated_at")
    fields = ("registry_url", "cursor", "updated_at")
    readonly_fields = ("updated_at",)
