from django.urls import path

from web.portal import deliveries, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/prices/", views.product_prices, name="product-prices"),
    path("products/<int:product_id>/packs/", views.product_packs, name="product-packs"),
    path("products/<int:product_id>/stock/", views.product_stock, name="product-stock"),
    path("products/<int:product_id>/descriptions/", views.product_descriptions, name="product-descriptions"),
    path("products/<int:product_id>/photos/", views.product_photo_add, name="product-photo-add"),
    path(
        "products/<int:product_id>/photos/<int:media_id>/remove/",
        views.product_photo_remove,
        name="product-photo-remove",
    ),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:fulfillment_id>/ship/", views.fulfillment_ship, name="fulfillment-ship"),
    path("statement/", views.statement, name="statement"),
    path("statements/<int:producer_id>/file/", views.producer_statement_file, name="statement-file"),
    path("payout-details/", views.payout_details, name="payout-details"),
    path("deliveries/", deliveries.deliveries, name="deliveries"),
    path("deliveries/announce/", deliveries.delivery_announce_page, name="delivery-announce"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery, name="delivery"),
    path("deliveries/<int:delivery_id>/cancel/", deliveries.delivery_cancel_view, name="delivery-cancel"),
]
