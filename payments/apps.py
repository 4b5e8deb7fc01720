from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"

    def ready(self) -> None:
        from marketplace.orders.signals import order_canceled
        from payments.receivers import refund_canceled_order

        order_canceled.connect(refund_canceled_order, dispatch_uid="payments.refund_canceled_order")
