from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.web import views
from marketplace.web.login import LoginView

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
