from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import can_access_admin


class BackOfficeSite(admin.AdminSite):
    """The Django admin as the back office: staff with a back-office role only, never a consumer."""

    site_header = _("OCOP Đồng Nai – back office")
    site_title = _("OCOP back office")
    index_title = _("Back office")

    def has_permission(self, request: HttpRequest) -> bool:
        return can_access_admin(request.user)
