from django.apps import AppConfig


class OutletsConfig(AppConfig):
    name = "marketplace.outlets"
    label = "outlets"
