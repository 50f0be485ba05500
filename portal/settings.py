"""Settings of the Cancéropôles portal, read from the environment.

Development (``make run``) sets ``DJANGO_DEBUG=true`` and needs nothing else: SQLite under ``var/``,
eager Celery, e-mail printed on the console. Production sets at least ``SECRET_KEY``, ``DATABASE_URL``,
``CELERY_BROKER_URL`` and ``ALLOWED_HOSTS``; a missing or malformed variable stops the start with a message
naming it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` (written by `make` for development, never deployed) may set any variable below.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=true for a development server."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, behind the portal's login and its second factor (accounts.admin_site).
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "common",
    "canceropoles",
    "accounts",
    "cop_contracts",
    "calls",
    "projects",
    "funding",
    "events",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "common.middleware.PrivateCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.second_factor.MfaEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")}
if not DATABASES["default"].get("ENGINE"):
    # django-environ only warns on a URL it cannot read; the portal would then fail on every request.
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database URL: use postgres://user:password@host:5432/name "
        "or sqlite:////absolute/path/portal.sqlite3."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the account or the address is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:my_space"
LOGOUT_REDIRECT_URL = "home"

# Failed logins (django-axes): AXES_FAILURE_LIMIT failures in a row lock the account (whatever the
# address) and, separately, the client address (whatever the account) for AXES_COOLOFF_MINUTES after
# the last failure; an administrator unlocks earlier by deleting the "access attempts" in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Behind N reverse proxies, the client address is the N-th from the right of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

# django-allauth: only its second-factor part (allauth.mfa) and the login stages it needs. Logging in
# with an e-mail and a password, and the password reset, stay the portal's own pages (accounts.views).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Password reset requests: per client address and per e-mail address (allauth's rate limiter, on the cache).
ACCOUNT_RATE_LIMITS = {"reset_password": env.str("PASSWORD_RESET_RATE", default="20/h/ip,5/h/key")}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A code is accepted during its 30 s and the one before and after (clock drift, typing time).
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Cancéropôles")
MFA_ALLOW_UNVERIFIED_EMAIL = True

# French first, English available. The language is the one the visitor chose (cookie), else French,
# whatever the browser asks for: see common.middleware.PreferredLanguageMiddleware.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The cache holds the rate-limit counters: give every web process the same one in production
# (CACHE_URL=redis://host:6379/1); the default is per process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files only a permission check may hand out (applications' attachments): no URL serves this directory.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# The largest attachment an application accepts, in bytes (10 MB by default).
try:
    CALLS_ATTACHMENT_MAX_BYTES = env.int("CALLS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
except ValueError:
    CALLS_ATTACHMENT_MAX_BYTES = 0
if CALLS_ATTACHMENT_MAX_BYTES <= 0:
    raise ImproperlyConfigured(
        "CALLS_ATTACHMENT_MAX_BYTES must be a positive whole number of bytes (10485760 for 10 MB)."
    )

# E-mail: printed on the console unless an SMTP URL is given (EMAIL_URL=smtp://user:pass@host:587/?tls=True).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portail@canceropoles.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis broker when CELERY_BROKER_URL is set, else tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers a message nobody acknowledged after this many seconds: a worker killed mid-task (its
# late acknowledgement never sent) has its message run again within minutes, not after Redis' default
# hour. Tasks are idempotent, so a task still running when the timeout passes may run twice, harmlessly.
# Short socket timeouts: with the broker down, a request gives up dispatching quickly (the outbox keeps
# the message for later) instead of hanging.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Periodic jobs: a static schedule (run `celery -A portal beat`).
CELERY_BEAT_SCHEDULE = {
    "nightly-indicator-rollup": {"task": "cop_contracts.rollup_all", "schedule": crontab(hour=2, minute=30)},
    # Computed indicators of the current year, as drafts for the poles to check and submit.
    "nightly-computed-indicators": {
        "task": "cop_contracts.compute_indicators",
        "schedule": crontab(hour=2, minute=0),
    },
    # Funded projects: leads reminded of their reports each morning, coordinators told of overdue ones weekly.
    "daily-report-reminders": {"task": "projects.reports_remind", "schedule": crontab(hour=7, minute=30)},
    "weekly-overdue-reports-digest": {
        "task": "projects.overdue_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Tasks whose after-commit dispatch failed (broker down) leave the outbox once the broker is back.
    "outbox-dispatch-pending": {"task": "common.outbox_dispatch_pending", "schedule": 60.0},
    # Calls open at their opening time and close at their deadline within a minute (submissions read the
    # clock themselves: this keeps the status that pages and the API show in step).
    "calls-follow-clock": {"task": "calls.follow_clock", "schedule": 60.0},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "common.schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # A partner key (Authorization: Api-Key …) first: a request that sends one is read as that key.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "accounts.api.PartnerKeysReadOnly",
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "EXCEPTION_HANDLER": "common.api.problem_exception_handler",
    # Visitors by address, users by account, partner keys by key; 429 with Retry-After beyond the rate.
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.AnonymousRateThrottle",
        "common.throttling.UserRateThrottle",
        "accounts.api.PartnerKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
        "partner_key": env.str("API_THROTTLE_PARTNER_KEY", default="1200/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cancéropôles portal API",
    "DESCRIPTION": "Read and write the data of the French network of the 7 cancéropôles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operations grouped by resource (values, rollups…), not all under "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets that share a field name ("kind", "status") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "FunderKindEnum": "funding.models.FunderKind",
        "CommitmentKindEnum": "funding.models.CommitmentKind",
        "DisbursementStatusEnum": "funding.models.DisbursementStatus",
        "OutcomeKindEnum": "projects.models.OutcomeKind",
        "ReportKindEnum": "projects.models.ReportKind",
        "ReportStatusEnum": "projects.models.ReportStatus",
        "MobilityStatusEnum": "projects.models.MobilityStatus",
        "ApplicationStatusEnum": "calls.models.ApplicationStatus",
        "AttachmentKindEnum": "calls.models.Attachment.Kind",
    },
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Production hardening: on unless DEBUG. Behind a TLS-terminating proxy, keep SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's own middleware): the portal's pages load their scripts, styles and
# images from the portal only, with no inline script or style; the QR code of the second factor is a
# data: image. Pages that need more say so with django.views.decorators.csp.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy (django-permissions-policy): no page needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    ]
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Demo accounts created by `manage.py seed_demo`.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="canceropole-demo")
