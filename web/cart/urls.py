from django.urls import path

from web.cart import views

app_name = "cart"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="add"),
    path("cart/lines/<uuid:line_id>/", views.cart_line_update, name="line"),
    path("cart/promo-code/", views.cart_promo_code, name="promo"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/card/", views.checkout_card, name="card"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order"),
]
