from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "marketplace.orders"
    label = "orders"

    def ready(self) -> None:
        from marketplace.orders import receivers  # noqa: F401  (connects the e-mail receivers)
