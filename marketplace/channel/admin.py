from django.contrib import admin

from marketplace.accounts.permissions import Resource, RoleScopedAdminMixin
from marketplace.channel.models import Channel


@admin.register(Channel)
class ChannelAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = Resource.CHANNEL
    list_display = ("name", "slug", "currency_code", "default_country", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
