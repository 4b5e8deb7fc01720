from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "marketplace.events"
    label = "events"
    verbose_name = _("Fairs and events")

    def ready(self) -> None:
        from marketplace.events import permissions  # noqa: F401  (the back office's rules)
