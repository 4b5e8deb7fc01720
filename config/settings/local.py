"""Settings for one developer machine: debug on, everything local."""

from config.env import env_bool, env_str
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The demo's VietQR collection account (the numbers of no real account) and the bank webhook's secret, unless the
# environment names others: the server `make run` starts and `manage.py bank_credit`, which plays the bank, read
# the same values.
OCOP_VIETQR_BANK_BIN = env_str("OCOP_VIETQR_BANK_BIN", "970436")
OCOP_VIETQR_BANK_NAME = env_str("OCOP_VIETQR_BANK_NAME", "Vietcombank")
OCOP_VIETQR_ACCOUNT_NUMBER = env_str("OCOP_VIETQR_ACCOUNT_NUMBER", "0071000000001")
OCOP_VIETQR_ACCOUNT_NAME = env_str("OCOP_VIETQR_ACCOUNT_NAME", "SAN OCOP DONG NAI DEMO")
OCOP_BANK_WEBHOOK_SECRET = env_str("OCOP_BANK_WEBHOOK_SECRET", "bank_ocop_demo")
