from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "marketplace.accounts"
    label = "accounts"

    def ready(self) -> None:
        from marketplace.accounts import permissions

        # Each app declares the back-office rules of its own models in its `permissions` module.
        permissions.autodiscover()


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the back office as its default site (named in INSTALLED_APPS)."""

    default = False
    default_site = "marketplace.accounts.admin_site.BackOfficeSite"
