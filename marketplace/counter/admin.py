"""The counter in the back office, for operators: every outlet's walk-in sales with their lines and returns, and
the closes of day, read-only (they are made at the counter, in the outlet console)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.core.money import format_vnd
from marketplace.counter.models import CounterReturn, CounterSale, CounterSaleLine, DayClose
from marketplace.counter.permissions import COUNTER


class _ReadOnly(RoleScopedAdminMixin):
    resource = COUNTER

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]  # type: ignore[attr-defined]


class CounterSaleLineInline(_ReadOnly, admin.TabularInline):
    model = CounterSaleLine
    extra = 0
    fields = ("product_name", "variant_name", "product_sku", "producer", "quantity", "unit_price_amount")


class CounterReturnInline(_ReadOnly, admin.TabularInline):
    model = CounterReturn
    extra = 0
    fields = ("created_at", "refund_method", "refund_amount", "reason")


@admin.register(CounterSale)
class CounterSaleAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("receipt", "created_at", "outlet", "payment_method", "status", "total_shown")
    list_filter = ("status", "payment_method", "outlet")
    search_fields = ("=id", "card_slip_reference", "lines__product_name")
    list_select_related = ("outlet",)
    date_hierarchy = "created_at"
    inlines = [CounterSaleLineInline, CounterReturnInline]

    @admin.display(description=_("receipt"), ordering="pk")
    def receipt(self, sale: CounterSale) -> str:
        return sale.receipt_number

    @admin.display(description=_("total"), ordering="total_amount")
    def total_shown(self, sale: CounterSale) -> str:
        return format_vnd(sale.total_amount)


@admin.register(DayClose)
class DayCloseAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("day", "outlet", "cash_expected", "cash_counted", "difference_shown", "closed_by")
    list_filter = ("outlet",)
    date_hierarchy = "day"
    list_select_related = ("outlet", "closed_by")

    @admin.display(description=_("difference"))
    def difference_shown(self, close: DayClose) -> str:
        return format_vnd(close.difference)
