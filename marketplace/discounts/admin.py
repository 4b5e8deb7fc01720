from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.discounts.models import Voucher, VoucherCode, VoucherCustomer
from marketplace.discounts.permissions import VOUCHER, VOUCHER_CUSTOMER


class VoucherCodeInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = VOUCHER
    model = VoucherCode
    extra = 1
    fields = ("code", "is_active")


class VoucherCustomerInline(RoleScopedAdminMixin, admin.TabularInline):
    """Who used a once-per-customer voucher (written when their order is placed)."""

    resource = VOUCHER_CUSTOMER
    model = VoucherCustomer
    extra = 0
    fields = ("customer_email", "voucher_code", "created_at")
    readonly_fields = fields


@admin.register(Voucher)
class VoucherAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Operators set up vouchers: the discount, when and where it is valid, what it applies to, who pays it."""

    resource = VOUCHER
    list_display = ("name", "codes_list", "discount", "channel", "start_date", "end_date", "used", "usage_limit")
    list_filter = ("channel", "discount_value_type", "paid_by")
    search_fields = ("name", "name_en", "codes__code")
    autocomplete_fields = ("products", "collections", "categories", "producers", "event")
    readonly_fields = ("used",)
    inlines = [VoucherCodeInline, VoucherCustomerInline]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "channel")}),
        (_("Discount"), {"fields": ("discount_value_type", "discount_value", "paid_by")}),
        (
            _("Conditions"),
            {
                "fields": (
                    "start_date",
                    "end_date",
                    "event",
                    "min_spent_amount",
                    "usage_limit",
                    "used",
                    "apply_once_per_customer",
                )
            },
        ),
        (
            _("Limited to (empty: every product)"),
            {"fields": ("products", "collections", "categories", "producers")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Voucher]:
        return super().get_queryset(request).prefetch_related("codes").select_related("channel")

    @admin.display(description=_("codes"))
    def codes_list(self, voucher: Voucher) -> str:
        return ", ".join(code.code for code in voucher.codes.all())

    @admin.display(description=_("discount"))
    def discount(self, voucher: Voucher) -> str:
        if voucher.discount_value_type == "percentage":
            return f"{voucher.discount_value}%"
        return f"{voucher.discount_value:,} ₫".replace(",", ".")
