from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.accounts.permissions import USER, RoleScopedAdminMixin

# Roles decide who does what, not Django's groups and per-model permissions.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(RoleScopedAdminMixin, DjangoUserAdmin):
    resource = USER
    list_display = (
        "username",
        "email",
        "role",
        "producer",
        "outlet",
        "province",
        "is_staff",
        "is_active",
        "is_confirmed",
    )
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "is_confirmed")
    list_select_related = ("producer", "outlet")
    search_fields = ("username", "email", "first_name", "last_name")
    raw_id_fields = ("producer", "outlet")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language_code")}),
        (_("Role"), {"fields": ("role", "producer", "outlet", "province")}),
        (_("Access"), {"fields": ("is_active", "is_confirmed", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "usable_password", "password1", "password2")}),
        (_("Role"), {"fields": ("role", "producer", "outlet", "province", "is_staff")}),
    )
    filter_horizontal = ()
