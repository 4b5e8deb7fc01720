from django.contrib import admin

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.channel.models import Channel
from marketplace.channel.permissions import CHANNEL


@admin.register(Channel)
class ChannelAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = CHANNEL
    list_display = ("name", "slug", "currency_code", "default_country", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
