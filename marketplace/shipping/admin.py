from django.contrib import admin

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.shipping.models import ShippingMethod, ShippingZone
from marketplace.shipping.permissions import SHIPPING_ZONE


class ShippingMethodInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = SHIPPING_ZONE
    model = ShippingMethod
    extra = 0
    fields = (
        "name",
        "name_en",
        "price_amount",
        "minimum_order_amount",
        "maximum_order_amount",
        "minimum_delivery_days",
        "maximum_delivery_days",
        "is_active",
    )


@admin.register(ShippingZone)
class ShippingZoneAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Operators set up home delivery: zones of provinces (today's codes) and their flat rates in đồng."""

    resource = SHIPPING_ZONE
    list_display = ("name", "provinces")
    filter_horizontal = ("channels",)
    inlines = [ShippingMethodInline]
