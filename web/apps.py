from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered pages: the storefront and the shared layout, sign-in and language switch."""

    name = "web"
    label = "web"
