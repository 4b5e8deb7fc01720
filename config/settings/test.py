"""Settings for the test suite: the real PostgreSQL and Redis, fast hashing, quick retries."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
OCOP_REGISTRY_BACKOFF_SECONDS = 0.01
OCOP_REGISTRY_MAX_WAIT_SECONDS = 0.05
OCOP_REGISTRY_MAX_ATTEMPTS = 4
OCOP_REGISTRY_TIMEOUT_SECONDS = 5.0
# No collectstatic before the tests: WhiteNoise looks files up per request instead of warning that
# STATIC_ROOT is missing.
WHITENOISE_AUTOREFRESH = True
# Stripe is localstripe, started by tests/payments/conftest.py, whose fixture sets STRIPE_API_BASE to it. Until
# then the API base is a closed port: a test that forgets the fixture gets StripeUnavailable, never real Stripe.
STRIPE_SECRET_KEY = "sk_test_localstripe"
STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
STRIPE_WEBHOOK_SECRET = "whsec_test_localstripe"
STRIPE_API_BASE = "http://127.0.0.1:9"

# VietQR transfers to a collection account (the numbers of no real account).
OCOP_VIETQR_BANK_BIN = "970436"
OCOP_VIETQR_BANK_NAME = "Vietcombank"
OCOP_VIETQR_ACCOUNT_NUMBER = "0071000000001"
OCOP_VIETQR_ACCOUNT_NAME = "SAN OCOP DONG NAI"
OCOP_BANK_WEBHOOK_SECRET = "bank_webhook_test_secret"
