from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The producer cooperatives' console: their products, certificates and orders."""

    name = "web.portal"
    label = "portal"
