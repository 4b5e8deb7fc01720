from django.contrib.auth import views as auth_views
from django.urls import path

from web import account_links, accounts, content, events, newly_certified, robots, sitemap, views
from web.login import LoginView

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.catalogue, name="catalogue"),
    path("products/<slug:slug>/", views.product_redirect, name="product_redirect"),
    path("p/<slug:slug>/", views.provenance, name="provenance"),
    path("p/<slug:slug>/qr.svg", views.provenance_qr, name="provenance_qr"),
    path("p/<slug:slug>/share.png", views.provenance_share_image, name="provenance_share_image"),
    path("share.png", views.site_share_image, name="site_share_image"),
    path("outlets/", views.outlets, name="outlets"),
    path("outlets/<slug:slug>/", views.outlet, name="outlet"),
    path("producers/<slug:slug>/", views.producer, name="producer"),
    path("collections/<slug:slug>/", content.collection, name="collection"),
    path("pages/<slug:slug>/", content.content_page, name="content_page"),
    path("events/", events.events, name="events"),
    path("events/<slug:slug>/", events.event, name="event"),
    path("announcements/<slug:slug>/", events.announcement, name="announcement"),
    path("newly-certified/", newly_certified.page, name="newly_certified"),
    path("newly-certified/feed.atom", newly_certified.feed, name="newly_certified_feed"),
    path("verify/", views.verify, name="verify"),
    path("robots.txt", robots.robots_txt, name="robots"),
    path("feeds/<str:name>", views.feed_file, name="feed"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<str:name>", views.feed_file, name="open_data_file"),
    path("sitemap.xml", sitemap.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>-<int:page>.xml", sitemap.sitemap_section, name="sitemap_section"),
    path("verify/<str:certificate_id>/", views.verify_certificate, name="verify_certificate"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", accounts.register, name="register"),
    path("accounts/orders/", accounts.my_orders, name="my_orders"),
    path("accounts/addresses/", accounts.addresses, name="addresses"),
    path("accounts/addresses/<int:address_id>/", accounts.address_change, name="address_change"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
    path("accounts/delete/confirm/", accounts.delete_account_confirm, name="delete_account_confirm"),
    path("accounts/confirm/", account_links.confirm_email, name="account_confirm"),
    path("accounts/reset/", account_links.reset_password, name="password_reset"),
    path("accounts/reset/request/", accounts.password_reset_request, name="password_reset_request"),
]
