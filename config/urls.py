from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from ops import views as ops_views
from payments.views import bank_webhook, stripe_webhook
from storefront_api.core.views import StorefrontGraphQLView
from storefront_api.schema import schema


def health(request):
    """Liveness: the process answers. Touches no database, cache or broker (readiness is /health/ready/)."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("health/ready/", ops_views.ready, name="health-ready"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("outlet/", include("web.outletdesk.urls")),
    path("", include("web.cart.urls")),
    path("portal/", include("web.portal.urls")),
    path("trade/", include("web.trade.urls")),
    path("", include("web.urls")),
    path("payments/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("payments/bank/webhook/", bank_webhook, name="bank-webhook"),
    path(
        "graphql/",
        csrf_exempt(StorefrontGraphQLView.as_view(schema=schema)),
        name="graphql",
    ),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage met outside a view (e.g. by a middleware) answers 503 too: config/middleware.py.
handler500 = "config.middleware.server_error"
