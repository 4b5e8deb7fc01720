from django.apps import AppConfig


class ProducersConfig(AppConfig):
    name = "marketplace.producers"
    label = "producers"
