from django.urls import path

from web.outletdesk import counter, deliveries, views

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
    path("day/", counter.close_of_day, name="close-of-day"),
    path("deliveries/", deliveries.deliveries, name="deliveries"),
    path("deliveries/new/", deliveries.delivery_new, name="delivery-new"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery, name="delivery"),
]
