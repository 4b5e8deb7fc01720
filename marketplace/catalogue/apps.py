from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "marketplace.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from marketplace.catalogue import receivers

        receivers.connect()
