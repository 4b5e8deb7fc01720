"""Settings shared by every environment. Each value comes from one environment variable."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_fee_schedule, env_float, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SHARED_DIR = Path(env_str("OCOP_SHARED_DIR", str(BASE_DIR.parent / "shared")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-before-deploying")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "marketplace.accounts.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "marketplace.accounts",
    "marketplace.channel",
    "marketplace.producers",
    "marketplace.catalogue",
    "marketplace.certification",
    "marketplace.outlets",
    "marketplace.inventory",
    "marketplace.shipping",
    "marketplace.discounts",
    "marketplace.checkout",
    "marketplace.orders",
    "marketplace.counter",
    "marketplace.stockmoves",
    "marketplace.deliveries",
    "marketplace.ledger",
    "marketplace.outbox",
    "marketplace.content",
    "marketplace.events",
    "marketplace.demo",
    "payments",
    "catalog_sync",
    "search",
    "web",
    "web.trade",
    "web.portal",
    "web.cart",
    "web.outletdesk",
    "ops",
]

MIDDLEWARE = [
    # Operations (ops/): request metrics around everything, then the request id every log line carries.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ops.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (config/security_headers.py).
    "config.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # `?hl=en` sets a request's language from its address (web/languages.py): the sitemap's second language.
    "web.languages.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "storefront_api.account.middleware.JWTAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An upload over its limit is refused by its Content-Length before the CSRF check reads it (web/uploads.py).
    "web.uploads.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Carts, checkouts, accounts and consoles answer `X-Robots-Tag: noindex` (web/robots.py).
    "web.robots.NoIndexMiddleware",
    # A database outage met by a view or an API operation answers 503, never a traceback (config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_marketplace"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before a request reuses it: after a PostgreSQL restart the request gets a
        # new connection instead of failing on the stale one (config/middleware.py answers 503 while it is down).
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# Seconds a new database connection may take (libpq's connect_timeout, at least 2): a silent server fails a
# request, and /health/ready/, in that time instead of hanging it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
# Server-side parameter binding: psycopg prepares a statement on the server once a connection has run it
# DATABASE_PREPARE_THRESHOLD times, and the kept connection (CONN_MAX_AGE) then skips parsing and planning it
# again. Measured on 100,000 products (bench/README.md, issue 12) it takes a quarter to a third off each checkout
# step and a third off a cached search; lists of ids are bound as one array (marketplace.core.db.AnyOf) so
# that a statement's text does not change with their length. Turn it off behind a pooler in transaction mode,
# which cannot keep prepared statements.
if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
    DATABASES["default"]["OPTIONS"].update(
        server_side_binding=True, prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 2)
    )
# Django's PostgreSQL backend, with timestamps read by the C `datetime.fromisoformat` (marketplace/core/postgresql).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "marketplace.core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# dd/mm/yyyy and 24-hour time in both languages (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ocop_language"

LOGIN_URL = "web:login"
LOGOUT_REDIRECT_URL = "web:home"
# Limits on guessing (marketplace/core/throttling.py, docs/reliability.md#sign-in-limits-and-the-http-edge).
# Sign-in (the pages and tokenCreate together) is refused for a while after this many failures for one account,
# or LOGIN_MAX_FAILURES_PER_ADDRESS from one client address, within the window.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Password reset e-mails asked for (requestPasswordReset) per client address and per e-mail address in that window.
PASSWORD_RESET_MAX_REQUESTS = env_int("PASSWORD_RESET_MAX_REQUESTS", 5)
# The public forms: misuse reports per client address, and certificate numbers that do not exist looked up.
OCOP_MISUSE_REPORTS_PER_WINDOW = env_int("OCOP_MISUSE_REPORTS_PER_WINDOW", 5)
OCOP_MISUSE_REPORT_WINDOW_SECONDS = env_int("OCOP_MISUSE_REPORT_WINDOW_SECONDS", 60 * 60)
OCOP_VERIFY_MAX_MISSES = env_int("OCOP_VERIFY_MAX_MISSES", 30)
OCOP_VERIFY_MISS_WINDOW_SECONDS = env_int("OCOP_VERIFY_MISS_WINDOW_SECONDS", 15 * 60)
# The proxies whose X-Forwarded-For names the client (addresses or networks); nobody else's header is believed.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", "")
# Where browsers report what the Content-Security-Policy refused (config/security_headers.py); empty: nowhere.
CSP_REPORT_URI = env_str("CSP_REPORT_URI", "")
# Request bodies: at most this many bytes besides uploaded files (Django refuses more before reading a form or
# the API's JSON). Uploads (a producer's photos) are refused by their Content-Length, before they are read, past
# OCOP_IMAGE_MAX_BYTES (web/uploads.py); an upload kept is spooled to a temporary file past the memory size.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Django's RedisCache, for which Redis being away is a miss (marketplace/core/cache.py).
        "BACKEND": "marketplace.core.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ocop",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}

# Celery: Redis is the broker; beat's schedule lives here.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer is given up at once (the outbox keeps the work; beat hands it over later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
}
# Work for the worker goes through the outbox (marketplace/outbox): beat drains what the broker missed this often.
OCOP_OUTBOX_DRAIN_SECONDS = env_int("OCOP_OUTBOX_DRAIN_SECONDS", 30)

# The OCOP rating registry (see ../shared/registry/CONTRACT.md).
OCOP_REGISTRY_URL = env_str("OCOP_REGISTRY_URL", "http://127.0.0.1:8765")
# Where the marketplace is reached from outside: the links of the product feeds and the open data, which are
# written by a task, not in answer to a request.
OCOP_SITE_URL = env_str("OCOP_SITE_URL", "http://127.0.0.1:8000")
OCOP_FEEDS_REFRESH_MINUTES = env_int("OCOP_FEEDS_REFRESH_MINUTES", 60)
OCOP_OPEN_DATA_LICENCE = env_str("OCOP_OPEN_DATA_LICENCE", "Creative Commons Attribution 4.0 International (CC BY 4.0)")
OCOP_OPEN_DATA_LICENCE_URL = env_str("OCOP_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
OCOP_REGISTRY_TOKEN = env_str("OCOP_REGISTRY_TOKEN", "dev-token")
OCOP_REGISTRY_TIMEOUT_SECONDS = env_float("OCOP_REGISTRY_TIMEOUT_SECONDS", 20.0)
OCOP_REGISTRY_MAX_ATTEMPTS = env_int("OCOP_REGISTRY_MAX_ATTEMPTS", 6)
OCOP_REGISTRY_BACKOFF_SECONDS = env_float("OCOP_REGISTRY_BACKOFF_SECONDS", 1.0)
OCOP_REGISTRY_MAX_WAIT_SECONDS = env_float("OCOP_REGISTRY_MAX_WAIT_SECONDS", 60.0)
OCOP_REGISTRY_PAGE_SIZE = env_int("OCOP_REGISTRY_PAGE_SIZE", 200)
OCOP_SYNC_INTERVAL_MINUTES = env_int("OCOP_SYNC_INTERVAL_MINUTES", 15)
OCOP_SYNC_IMAGES = env_bool("OCOP_SYNC_IMAGES", True)

# Images from the registry: what we accept and what we make of them.
OCOP_IMAGE_MAX_BYTES = env_int("OCOP_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
OCOP_IMAGE_MAX_PIXELS = env_int("OCOP_IMAGE_MAX_PIXELS", 40_000_000)
OCOP_IMAGE_RENDITION_SIZES = [256, 512, 1024]
# A producer's own photo (portal or back office) needs at least this many pixels on its shorter side.
OCOP_PHOTO_MIN_SIDE = env_int("OCOP_PHOTO_MIN_SIDE", 600)

GRAPHENE = {"SCHEMA": "storefront_api.schema.schema"}

# The sender of the shop's e-mails (order confirmations, pickup codes, reminders, cancellations).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP Marketplace <no-reply@localhost>")

# The storefront's JSON Web Tokens (HS256): signed with JWT_SECRET, or SECRET_KEY when it is empty.
JWT_SECRET = env_str("JWT_SECRET", "")
JWT_ACCESS_TTL_SECONDS = env_int("JWT_ACCESS_TTL_SECONDS", 5 * 60)
JWT_REFRESH_TTL_SECONDS = env_int("JWT_REFRESH_TTL_SECONDS", 30 * 24 * 60 * 60)

# Storefront accounts (Saleor's account mutations). A new account confirms its e-mail address before it can
# sign in, unless this is off (Saleor's "enable account confirmation by email").
ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = env_bool("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", True)
# Hosts that the links in account e-mails may lead to (a client's `redirectUrl`), as Django's ALLOWED_HOSTS
# spells hosts (".example.com" for its subdomains too); Saleor's setting of the same name.
ALLOWED_CLIENT_HOSTS = env_list("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
# How long the one-time links are valid, in seconds: confirming an account, a new password, deleting an account.
ACCOUNT_CONFIRMATION_TIMEOUT = env_int("ACCOUNT_CONFIRMATION_TIMEOUT", 7 * 24 * 60 * 60)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 60 * 60)
ACCOUNT_DELETION_TIMEOUT = env_int("ACCOUNT_DELETION_TIMEOUT", 24 * 60 * 60)
# A second request for a password reset e-mail within this many seconds sends nothing (Saleor's lock time).
RESET_PASSWORD_LOCK_SECONDS = env_int("RESET_PASSWORD_LOCK_SECONDS", 15 * 60)

# The sales channel the catalogue is listed in, created by a migration (marketplace.channel 0002) with this
# slug and name, selling in đồng to Vietnam.
OCOP_CHANNEL_SLUG = env_str("OCOP_CHANNEL_SLUG", "default-channel")
OCOP_CHANNEL_NAME = env_str("OCOP_CHANNEL_NAME", "OCOP Đồng Nai")

# Checkout and orders.
OCOP_CHECKOUT_MAX_LINE_QUANTITY = env_int("OCOP_CHECKOUT_MAX_LINE_QUANTITY", 50)
OCOP_PLATFORM_COMMISSION_PERCENT = env_str("OCOP_PLATFORM_COMMISSION_PERCENT", "5")
OCOP_TRANSFER_DAYS = env_int("OCOP_TRANSFER_DAYS", 2)
# A walk-in sale can be returned at the counter against its receipt for this many days after the day of the sale.
OCOP_COUNTER_RETURN_DAYS = env_int("OCOP_COUNTER_RETURN_DAYS", 7)
# A VietQR sale at the counter holds its goods this many minutes for the transfer, then is cancelled.
OCOP_COUNTER_TRANSFER_HOLD_MINUTES = env_int("OCOP_COUNTER_TRANSFER_HOLD_MINUTES", 30)
# The outlet console warns of lots received whose best-before date falls within this many days (or has passed).
OCOP_BEST_BEFORE_WARNING_DAYS = env_int("OCOP_BEST_BEFORE_WARNING_DAYS", 7)

# Product search: an Elasticsearch 8 URL, or empty for PostgreSQL full-text search.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
# The index the Elasticsearch backend reads and writes (re-created by rebuild_search_index).
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "ocop-products")

# Stripe takes card payments; payments/stripe/ is the only code that talks to it.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# Empty = Stripe's own API; http://127.0.0.1:8420 = localstripe (python -m payments.stripe.localstripe_server).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
# Seconds to wait for Stripe to accept a connection (each of the SDK's 3 tries); an answer may take 30 s more.
STRIPE_CONNECT_TIMEOUT_SECONDS = env_float("STRIPE_CONNECT_TIMEOUT_SECONDS", 3.0)
STRIPE_JS_URL = env_str("STRIPE_JS_URL", "https://js.stripe.com/v3/")  # localstripe: <its URL>/js.stripe.com/v3/
# What each payment gateway charges per payment, recorded in the payout ledger as the platform's cost
# (marketplace/ledger/fees.py): `<gateway id>=<percent>+<fixed đồng>`, comma-separated; gateways not named cost 0.
OCOP_GATEWAY_FEES = env_fee_schedule("OCOP_GATEWAY_FEES", "saleor.app.payment.stripe=3.0+0")
# A test gateway (Saleor's Dummy Payment app, `saleor.io.dummy-payment-app`) that "pays" a checkout without
# moving money, for the demo and the storefront's test checkout. Production settings refuse to start with it.
OCOP_DUMMY_PAYMENTS = env_bool("OCOP_DUMMY_PAYMENTS", False)
# The payment reconciliation (payments/reconciliation.py, every minute) settles what is older than this: card
# payments whose webhook never came, checkouts paid and never completed (placed, or given back), within the window.
OCOP_PAYMENT_RECONCILE_AFTER_MINUTES = env_int("OCOP_PAYMENT_RECONCILE_AFTER_MINUTES", 5)
OCOP_PAYMENT_RECONCILE_WINDOW_HOURS = env_int("OCOP_PAYMENT_RECONCILE_WINDOW_HOURS", 72)

# VietQR bank transfers (payments/vietqr, docs/checkout-and-payments.md): the platform's collection account that
# buyers transfer to. With no account number the gateway is not offered.
OCOP_VIETQR_BANK_BIN = env_str("OCOP_VIETQR_BANK_BIN", "")  # the bank's 6-digit NAPAS BIN, e.g. 970436
OCOP_VIETQR_BANK_NAME = env_str("OCOP_VIETQR_BANK_NAME", "")  # as buyers know it, e.g. "Vietcombank"
OCOP_VIETQR_ACCOUNT_NUMBER = env_str("OCOP_VIETQR_ACCOUNT_NUMBER", "")
OCOP_VIETQR_ACCOUNT_NAME = env_str("OCOP_VIETQR_ACCOUNT_NAME", "")  # the holder, as the bank shows it
# An order paid by transfer keeps its stock this long; then, with no money received, it is cancelled.
OCOP_TRANSFER_HOLD_HOURS = env_int("OCOP_TRANSFER_HOLD_HOURS", 24)
# The bank-notification service signs each webhook with this secret (HMAC-SHA256 of "<t>.<raw body>"); a
# notification signed more than this many seconds ago (or ahead) is refused as a replay.
OCOP_BANK_WEBHOOK_SECRET = env_str("OCOP_BANK_WEBHOOK_SECRET", "")
OCOP_BANK_WEBHOOK_TOLERANCE_SECONDS = env_int("OCOP_BANK_WEBHOOK_TOLERANCE_SECONDS", 300)
# The columns of a bank statement file, as JSON {"reference": [...], "date": [...], "credit": [...],
# "description": [...]}: each a list of header names to look for. Empty: the headings of the common Vietnamese
# banks' exports (payments/vietqr/statement.py, DEFAULT_COLUMNS).
OCOP_BANK_STATEMENT_COLUMNS = env_str("OCOP_BANK_STATEMENT_COLUMNS", "")

CELERY_BEAT_SCHEDULE = {
    "drain-outbox": {
        "task": "marketplace.outbox.tasks.drain_outbox_task",
        "schedule": timedelta(seconds=OCOP_OUTBOX_DRAIN_SECONDS),
    },
    "prune-outbox": {
        "task": "marketplace.outbox.tasks.prune_outbox_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "sync-registry": {
        "task": "catalog_sync.tasks.sync_registry_task",
        "schedule": timedelta(minutes=OCOP_SYNC_INTERVAL_MINUTES),
    },
    "requeue-pending-images": {
        "task": "catalog_sync.tasks.requeue_pending_images_task",
        "schedule": timedelta(hours=1),
    },
    "index-marked-products": {
        "task": "search.tasks.index_marked_products_task",
        "schedule": timedelta(minutes=1),
    },
    "delist-expired-certificates": {
        "task": "marketplace.catalogue.tasks.delist_expired_task",
        # Just after midnight in Asia/Ho_Chi_Minh (Celery's timezone is TIME_ZONE).
        "schedule": crontab(hour=0, minute=5),
    },
    "refresh-feeds": {
        "task": "web.tasks.refresh_feeds_task",
        "schedule": timedelta(minutes=OCOP_FEEDS_REFRESH_MINUTES),
    },
    "refresh-automatic-collections": {
        "task": "marketplace.catalogue.tasks.refresh_automatic_collections_task",
        "schedule": timedelta(hours=1),
    },
    # The day before an order's last day to collect, at a decent hour for the buyer.
    "send-pickup-reminders": {
        "task": "marketplace.orders.tasks.send_pickup_reminders_task",
        "schedule": crontab(hour=9, minute=0),
    },
    # Hourly, not daily: the run at 00:15 cancels what expired at midnight; the later ones retry an
    # order whose cancellation failed (a refund the gateway refused) and catch up if beat was down.
    "expire-uncollected-orders": {
        "task": "marketplace.orders.tasks.expire_uncollected_orders_task",
        "schedule": crontab(minute=15),
    },
    "reconcile-payments": {
        "task": "payments.tasks.reconcile_payments_task",
        "schedule": timedelta(minutes=1),
    },
    "cancel-unpaid-transfers": {
        "task": "payments.tasks.cancel_unpaid_transfers_task",
        "schedule": timedelta(minutes=5),
    },
}

# Operations (ops/, docs/operations.md#monitoring). Each check of /health/ready/ gives up after this many
# seconds; the registry sync counts as stale after three of its intervals without a success.
HEALTH_CHECK_TIMEOUT_SECONDS = env_float("HEALTH_CHECK_TIMEOUT_SECONDS", 2.0)
# /metrics answers a scrape carrying this bearer token, or one made straight (no proxy headers) from an address
# in these networks; empty token: the networks alone.
METRICS_BEARER_TOKEN = env_str("METRICS_BEARER_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list(
    "METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
)

# Logs: `text` (readable lines) or `json` (one object a line; production's default). Every line carries the
# request id (ops/request_id.py), and the scrub filter blanks tokens, passwords and card numbers that a message
# or a traceback would carry by mistake. SQL is never logged (its parameters hold addresses and hashes).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ops.logs.RequestIdFilter"},
        "scrub": {"()": "ops.logs.ScrubFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "ops.logs.JSONFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "scrub"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Stripe's SDK logs request and response bodies (payment methods, client secrets) at DEBUG and INFO.
    "loggers": {"httpx": {"level": "WARNING"}, "stripe": {"level": "WARNING"}, "django.db.backends": {"level": "INFO"}},
}
