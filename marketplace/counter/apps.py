from django.apps import AppConfig


class CounterConfig(AppConfig):
    name = "marketplace.counter"
    label = "counter"
    verbose_name = "Showroom counter"
