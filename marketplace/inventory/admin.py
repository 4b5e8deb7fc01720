from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.inventory.models import Stock
from marketplace.inventory.permissions import STOCK


class StockForm(forms.ModelForm):
    """A stock row: what it counts is fixed once it exists, and it never holds fewer than are promised to orders."""

    class Meta:
        model = Stock
        fields = ("variant", "outlet", "quantity")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in STOCK.fixed_after_add:
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if quantity < self.instance.quantity_allocated:
            raise forms.ValidationError(
                _("%(allocated)s are promised to orders; the quantity cannot be lower."),
                code="below_allocated",
                params={"allocated": self.instance.quantity_allocated},
            )
        return quantity


class StockInline(RoleScopedAdminMixin, admin.TabularInline):
    """A variant's stock at each outlet (on the variant's page)."""

    resource = STOCK
    model = Stock
    form = StockForm
    fields = ("outlet", "quantity", "quantity_allocated")
    readonly_fields = ("quantity_allocated",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stock]:
        return super().get_queryset(request).select_related("outlet", "variant__product")


@admin.register(Stock)
class StockAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = STOCK
    form = StockForm
    list_display = ("sku", "product_name", "outlet", "quantity", "quantity_allocated", "available")
    list_filter = (
        ("outlet", admin.RelatedOnlyFieldListFilter),
        ("variant__product__producer", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("variant__product", "outlet")
    search_fields = ("variant__sku", "variant__product__name", "variant__product__registry_id", "outlet__name")
    fields = ("variant", "outlet", "quantity", "quantity_allocated")
    readonly_fields = ("quantity_allocated",)

    @admin.display(description=_("SKU"), ordering="variant__sku")
    def sku(self, obj: Stock) -> str:
        return obj.variant.sku

    @admin.display(description=_("product"), ordering="variant__product__name")
    def product_name(self, obj: Stock) -> str:
        return obj.variant.product.name

    @admin.display(description=_("available"))
    def available(self, obj: Stock) -> int:
        return obj.quantity_available
