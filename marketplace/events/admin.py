from django.contrib import admin

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.events.models import Event
from marketplace.events.permissions import EVENT


@admin.register(Event)
class EventAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = EVENT
    list_display = ("name", "kind", "starts_on", "ends_on", "venue", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("name", "name_en", "venue")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("producers", "products", "booth")
    date_hierarchy = "starts_on"
