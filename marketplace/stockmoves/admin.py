"""Counts, write-offs and transfers in the back office, for operators: read-only records of what the outlets did."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.stockmoves.models import StockCount, StockCountLine, StockTransfer
from marketplace.stockmoves.permissions import STOCK_COUNT, STOCK_TRANSFER


class StockCountLineInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = STOCK_COUNT
    model = StockCountLine
    extra = 0
    can_delete = False
    fields = (
        "product_name",
        "variant_name",
        "product_sku",
        "quantity_before",
        "quantity_counted",
        "variance",
        "reason",
        "note",
        "unit_price_amount",
        "value_amount",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)


@admin.register(StockCount)
class StockCountAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = STOCK_COUNT
    list_display = ("__str__", "outlet", "kind", "created_at", "counted_by")
    list_filter = ("kind", ("outlet", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("outlet", "counted_by")
    date_hierarchy = "created_at"
    inlines = [StockCountLineInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in StockCount._meta.fields]


@admin.register(StockTransfer)
class StockTransferAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = STOCK_TRANSFER
    list_display = (
        "number",
        "from_outlet",
        "to_outlet",
        "variant",
        "status",
        "quantity_requested",
        "quantity_sent",
        "quantity_received",
        "requested_at",
    )
    list_filter = (
        "status",
        ("from_outlet", admin.RelatedOnlyFieldListFilter),
        ("to_outlet", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("variant__sku", "variant__product__name", "order__number")
    date_hierarchy = "requested_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[StockTransfer]:
        return super().get_queryset(request).select_related("from_outlet", "to_outlet", "variant__product")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in StockTransfer._meta.fields]
