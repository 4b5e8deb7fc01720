"""Deliveries in the back office, for operators to read: each with what was announced and received per line."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.deliveries.models import Delivery, DeliveryLine, StockLot
from marketplace.deliveries.permissions import DELIVERY, STOCK_LOT


class DeliveryLineInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = DELIVERY
    model = DeliveryLine
    extra = 0
    can_delete = False
    fields = (
        "product_name",
        "variant_name",
        "product_sku",
        "quantity_announced",
        "lot_announced",
        "best_before_announced",
        "quantity_received",
        "lot",
        "best_before",
        "discrepancy",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)

    @admin.display(description=_("discrepancy"))
    def discrepancy(self, line: DeliveryLine) -> str:
        difference = line.discrepancy
        return "" if difference is None else f"{difference:+d}"


@admin.register(Delivery)
class DeliveryAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = DELIVERY
    list_display = ("__str__", "producer", "outlet", "status", "expected_on", "received_at")
    list_filter = ("status", ("outlet", admin.RelatedOnlyFieldListFilter))
    search_fields = ("producer__name", "outlet__name", "lines__product_sku", "lines__product_name")
    list_select_related = ("producer", "outlet")
    date_hierarchy = "created_at"
    inlines = [DeliveryLineInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Delivery._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request).distinct()


@admin.register(StockLot)
class StockLotAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = STOCK_LOT
    list_display = ("variant", "outlet", "lot", "best_before", "quantity_received", "received_on")
    list_filter = (("outlet", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("variant__sku", "variant__product__name", "lot")
    list_select_related = ("variant__product", "outlet")
    date_hierarchy = "best_before"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in StockLot._meta.fields]
