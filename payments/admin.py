from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from marketplace.accounts.permissions import RoleScopedAdminMixin
from payments.models import TransactionEvent, TransactionItem
from payments.permissions import PAYMENT


class TransactionEventInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = PAYMENT
    model = TransactionEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "amount", "psp_reference", "message", "created_by")
    readonly_fields = fields


@admin.register(TransactionItem)
class TransactionItemAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Payments as the gateways reported them (read-only)."""

    resource = PAYMENT
    list_display = (
        "created_at",
        "gateway",
        "psp_reference",
        "order",
        "amount_requested",
        "charged_amount",
        "refunded_amount",
        "status",
    )
    list_filter = ("gateway", "status")
    search_fields = ("psp_reference", "order__number")
    list_select_related = ("order",)
    inlines = [TransactionEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in TransactionItem._meta.fields]
