from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "marketplace.outbox"
    label = "outbox"
    verbose_name = "Outbox"
