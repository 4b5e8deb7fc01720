from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "marketplace.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from marketplace.outbox import tasks  # noqa: F401  (registers the runner, which services look up by name)
