"""Settings shared by every environment. Everything comes from the environment (django-environ).

Defaults make the quick start work with nothing set: SQLite in the project folder and, with no
broker configured, Celery tasks run eagerly in the calling process.
"""

from django.utils.translation import gettext_lazy as _

from claimtracker.cache import with_reusing_backend

from .desk import *  # noqa: F403
from .environment import BASE_DIR, env
from .workers import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="django-insecure-quickstart-only-change-me-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "claims.views.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware, which has checked the Host header against ALLOWED_HOSTS.
    "claims.site_urls.SiteUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads a form before the CSRF check does, to answer a too large one with a clear message.
    "claims.views.limits.FormTooLargeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimtracker.urls"
WSGI_APPLICATION = "claimtracker.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web process and eager tasks share the file: wait for locks instead of failing at once.
    # WAL lets readers (the web process) run while a worker writes, and with synchronous=NORMAL
    # a commit is an append to the WAL without an fsync (the WAL is synced at checkpoints): a
    # process crash loses nothing, a power loss or OS crash may lose the last commits but never
    # corrupts the file. With the default rollback
    # journal every commit costs several fsyncs (5-25 ms here), most of a matched claim's time.
    # journal_mode=WAL is stored in the file, synchronous is per connection; "timeout" is the
    # busy timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


def postgres_options(database: dict) -> None:
    """Connection options for PostgreSQL (no-op for other engines).

    gin_pending_list_limit=64kB: rows inserted into a GIN index (the full-text indexes of claims
    and verdicts) wait in a pending list that every search scans linearly, until it passes this
    size (default 4 MB) or (auto)vacuum runs. At 4 MB the per-claim full-text query of matching
    spent 7 ms in that scan instead of 0.04 ms; at 64 kB an insert now and then merges the list.
    """
    if "postgresql" not in database["ENGINE"]:
        return
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c gin_pending_list_limit=64kB".strip()


postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "claims.security.demo_accounts.DemoPasswordRefusingBackend",
]
# On in production: no login with a demo account's password (claims/security/demo_accounts.py).
CLAIMTRACKER_REFUSE_DEMO_PASSWORDS = env.bool("CLAIMTRACKER_REFUSE_DEMO_PASSWORDS", default=False)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Login protection: lock a username+IP pair after 5 failures for 15 minutes, never for good, so an
# attacker cannot lock a colleague out permanently (axes defaults to no cool-off).
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True
# The beat schedule (settings/workers.py) runs in the desk's time zone.
CELERY_TIMEZONE = TIME_ZONE

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL is django-environ's email URL: smtp://user:password@host:587/?tls=True,
# smtp+ssl://..., or consolemail:// (the quick start's default: emails are printed).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="ClaimTracker <claimtracker@localhost>"
)
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)

# --- Cache -----------------------------------------------------------------------------------
# API throttling counters and the shared cache of anonymous public API answers
# (claims.api.caching). The quick start keeps them in process memory; in production set
# DJANGO_CACHE_URL to Redis (e.g. redis://127.0.0.1:6379/1) so that all web workers share one
# cache and one set of quotas (production defaults to the broker's Redis).
# redis:// URLs use claimtracker.cache.RedisCache (Django's, minus a client built per call).
CACHES = {
    "default": with_reusing_backend(env.cache_url("DJANGO_CACHE_URL", default="locmemcache://"))
}
CLAIMTRACKER_PUBLIC_CACHE = "default"  # the alias that holds public API answers
# Seconds an anonymous answer is kept. Publishing and correcting invalidate at once; this bounds
# changes that do not (a new appearance of the claim, an admin edit).
CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = env.int("CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT", default=60)

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "api_key": "1200/min", "user": "1200/min"},
    # Anonymous quotas are per client address. How many proxies (nginx, a load balancer) sit in
    # front of the app decides which X-Forwarded-For entry is the client's; with 0 the header is
    # ignored (DRF's default would trust it whole, so any client could pick its own address).
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "claims.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ClaimTracker API",
    "DESCRIPTION": "Published fact-check verdicts as JSON and schema.org ClaimReview.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.strict_request_bodies",
        "claims.api.schema.no_nul_in_strings",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimTypeEnum": "claims.models.Claim.Type",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ArticleStatusEnum": "claims.models.Article.Status",
        "WebhookEventEnum": "claims.models.WebhookSubscription.Event",
        "WebhookDeliveryStatusEnum": "claims.models.WebhookDelivery.Status",
    },
}
