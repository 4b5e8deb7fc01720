from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` (the `seed_demo` command): outlets, prices, stock, one account per role."""

    name = "marketplace.demo"
    label = "demo"
