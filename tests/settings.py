"""Settings for the test suite: the portal's own, with test-only speed-ups and no TLS redirects.

DATABASE_URL and CELERY_BROKER_URL come from the environment as in production (set by .ci/run).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_DEBUG", "false")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures around it
# are still synchronous and single-threaded.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SECURE_SSL_REDIRECT = False
# Serve static files from the finders: tests do not run collectstatic.
WHITENOISE_AUTOREFRESH = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tests run tasks in-process unless a test starts a real worker (tests/celery_helpers.py switches it off).
CELERY_TASK_ALWAYS_EAGER = True
# The throttles stay in place but have no rate: tests/common/test_throttling.py gives them one.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "partner_key": None},
}
