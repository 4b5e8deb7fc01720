from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.orders.models import Fulfillment, Order, OrderEvent, OrderLine
from marketplace.orders.permissions import ORDER


class _ReadOnlyInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = ORDER
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


class OrderLineInline(_ReadOnlyInline):
    model = OrderLine
    fields = (
        "product_name",
        "variant_name",
        "product_sku",
        "producer",
        "certificate_id",
        "quantity",
        "quantity_fulfilled",
        "unit_price_amount",
        "total_price_amount",
    )


class FulfillmentInline(_ReadOnlyInline):
    model = Fulfillment
    fields = (
        "fulfillment_order",
        "producer",
        "outlet",
        "status",
        "subtotal_amount",
        "commission_amount",
        "payout_amount",
        "tracking_number",
    )


class OrderEventInline(_ReadOnlyInline):
    model = OrderEvent
    fields = ("date", "type", "user", "parameters")


@admin.register(Order)
class OrderAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Orders as they stand, with their lines, fulfilments (each producer's share) and history. Read-only:
    orders change through their services (the storefront API and the consoles)."""

    resource = ORDER
    list_display = (
        "number",
        "created_at",
        "status",
        "payment_method",
        "charge_status",
        "total_amount",
        "collection_point_name",
        "user_email",
    )
    list_filter = ("status", "payment_method", "charge_status", "collection_point")
    search_fields = ("number", "user_email", "pickup_code")
    list_select_related = ("collection_point",)
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, FulfillmentInline, OrderEventInline]
    fieldsets = (
        (None, {"fields": ("number", "status", "created_at", "user_email", "language_code", "customer_note")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "collection_point_name",
                    "shipping_method_name",
                    "shipping_address",
                    "ready_estimate",
                    "ready_at",
                    "collect_by",
                    "handed_over_at",
                )
            },
        ),
        (
            _("Money (đồng)"),
            {
                "fields": (
                    "subtotal_amount",
                    "shipping_amount",
                    "total_amount",
                    "commission_percent",
                    "payment_method",
                    "charge_status",
                    "total_charged_amount",
                    "total_refunded_amount",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Order._meta.fields]
