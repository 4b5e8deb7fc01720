from django.apps import AppConfig


class OutletDeskConfig(AppConfig):
    """The outlet staff's console: orders to prepare and waiting, the pickup counter, the outlet's stock."""

    name = "web.outletdesk"
    label = "outletdesk"
