from django.urls import path

from web.outletdesk import counter, deliveries, stockmoves, views

app_name = "outlet"

urlpatterns = [
    path("", views.home, name="home"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("orders/<uuid:order_id>/ready/", views.mark_ready, name="mark-ready"),
    path("handover/", views.handover, name="handover"),
    path("handover/confirm/", views.handover_confirm, name="handover-confirm"),
    path("stock/", views.stock, name="stock"),
    path("sell/", counter.sell, name="sell"),
    path("sell/complete/", counter.sell_complete, name="sell-complete"),
    path("sales/<int:sale_id>/", counter.receipt, name="receipt"),
    path("sales/<int:sale_id>/return/", counter.sale_return, name="sale-return"),
    path("sales/<int:sale_id>/pay/", counter.sale_pay, name="sale-pay"),
    path("sales/<int:sale_id>/cancel/", counter.sale_cancel, name="sale-cancel"),
    path("sales/<int:sale_id>/email/", counter.receipt_email, name="receipt-email"),
    path("day/", counter.close_of_day, name="close-of-day"),
    path("count/", stockmoves.count, name="count"),
    path("count/write-off/", stockmoves.write_off, name="write-off"),
    path("count/history/", stockmoves.count_history, name="count-history"),
    path("transfers/", stockmoves.transfers, name="transfers"),
    path("transfers/request/", stockmoves.transfer_request_page, name="transfer-request"),
    path("transfers/<int:transfer_id>/send/", stockmoves.transfer_send_view, name="transfer-send"),
    path("transfers/<int:transfer_id>/decline/", stockmoves.transfer_decline_view, name="transfer-decline"),
    path("transfers/<int:transfer_id>/receive/", stockmoves.transfer_receive_view, name="transfer-receive"),
    path("transfers/<int:transfer_id>/cancel/", stockmoves.transfer_cancel_view, name="transfer-cancel"),
    path("deliveries/", deliveries.deliveries, name="deliveries"),
    path("deliveries/new/", deliveries.delivery_new, name="delivery-new"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery, name="delivery"),
]
