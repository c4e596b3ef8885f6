"""Settings shared by every environment. Everything comes from the environment (django-environ).

Defaults make the quick start work with nothing set: SQLite in the project folder and, with no
broker configured, Celery tasks run eagerly in the calling process.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from claimtracker.cache import with_reusing_backend

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

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

# --- Celery ---------------------------------------------------------------------------------
# No broker configured = the embedded quick start: tasks run eagerly in the calling process,
# through the same task code. With Redis configured, real workers do the work.
_BROKER = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# Eager tasks never reach a broker; "memory://" keeps kombu from looking for one on localhost.
CELERY_BROKER_URL = _BROKER or "memory://"
if _BROKER.startswith("filesystem://"):
    # The quick start's broker (bin/start): messages are files in a folder, so a worker runs the
    # tasks off the request without any service to install. Not for production (no acks: a
    # killed worker's message is recovered by the stale-work sweep only).
    _BROKER_DIR = Path(
        env("CLAIMTRACKER_BROKER_DIR", default=str(BASE_DIR / ".quickstart" / "broker"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS_FILESYSTEM = {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Load the models when a worker starts rather than on its first article (bin/start turns it on).
CLAIMTRACKER_WORKER_WARMUP = env.bool("CLAIMTRACKER_WORKER_WARMUP", default=False)
# A prefork child warming up needs longer than the 4 s Celery gives it to report ready.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 180.0 if CLAIMTRACKER_WORKER_WARMUP else 4.0
# The quick start keeps a page working when an eager task fails (the error is logged); tests
# turn this on so a failing task fails its test.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it finished, and put back when its worker dies, so a killed
# worker's article is processed again (the default early ack loses it; see docs/deployment.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The backstop for a task without limits of its own; every ClaimTracker task has its queue's
# limits (CLAIMTRACKER_TIME_LIMITS below).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# (soft, hard) seconds per queue, read by the worker that runs the task (claims.tasks leaves
# them out of the message, which would carry the sender's). The soft limit ends the article
# failed with a reason; the hard one kills the pool process, and the stale-work sweep retries
# it within the stage's attempt cap. docs/deployment.md lists them.
CLAIMTRACKER_TIME_LIMITS = {
    queue: (
        env.int(f"CLAIMTRACKER_{queue.upper()}_SOFT_TIME_LIMIT", default=soft),
        env.int(f"CLAIMTRACKER_{queue.upper()}_TIME_LIMIT", default=hard),
    )
    for queue, soft, hard in (("fetch", 120, 150), ("nlp", 120, 150), ("default", 60, 90))
}
# Redis re-delivers an unacknowledged message after the visibility timeout: it must exceed the
# longest task and the longest retry countdown (600 s), or a slow task runs twice. A killed
# worker's article does not wait for it: its lease in the dispatch ledger expires first
# (claims/dispatch.py).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # kombu sweeps for abandoned messages every interval * throttle seconds (default 10 * 10).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
if _BROKER.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS_FILESYSTEM
# How long a killed worker's article waits before the stale-work sweep sends it again: a
# running task's lease in the dispatch ledger, renewed every quarter of it (claims/dispatch.py).
CLAIMTRACKER_LEASE_SECONDS = env.int("CLAIMTRACKER_LEASE_SECONDS", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "claims.tasks.article_fetch_task": {"queue": "fetch"},
    "claims.tasks.feed_poll_task": {"queue": "fetch"},
    "claims.tasks.feeds_poll_due_task": {"queue": "fetch"},
    "claims.tasks.evidence_fetch_task": {"queue": "fetch"},
    "claims.tasks.article_extract_claims_task": {"queue": "nlp"},
    "claims.tasks.claim_match_article_task": {"queue": "nlp"},
    "claims.tasks.webhook_deliver_task": {"queue": "fetch"},
    "claims.tasks.webhooks_retry_due_task": {"queue": "fetch"},
    "claims.tasks.webhooks_emit_task": {"queue": "fetch"},
    "claims.tasks.factcheck_source_poll_task": {"queue": "fetch"},
    "claims.tasks.factcheck_sources_poll_due_task": {"queue": "fetch"},
    "claims.tasks.factchecks_match_claims_task": {"queue": "nlp"},
}
CELERY_BEAT_SCHEDULE = {
    "poll-due-feeds": {"task": "claims.tasks.feeds_poll_due_task", "schedule": 60.0},
    # The database is the source of truth for pending work: this sweep sends again, within
    # seconds, what has no live message (claims/dispatch.py).
    "requeue-stale-articles": {
        "task": "claims.tasks.articles_requeue_stale_task",
        "schedule": env.float("CLAIMTRACKER_REQUEUE_INTERVAL", default=15.0),
    },
    "retry-due-webhooks": {"task": "claims.tasks.webhooks_retry_due_task", "schedule": 60.0},
    # Notification emails whose message was lost (broker or worker restart) go out again.
    "retry-due-notification-emails": {
        "task": "claims.tasks.notification_emails_retry_due_task",
        "schedule": 300.0,
    },
    # Alerts of matched articles whose alert task was lost (broker or worker restart).
    "requeue-stale-alerts": {"task": "claims.tasks.alerts_requeue_stale_task", "schedule": 120.0},
    # The daily digest, at CLAIMTRACKER_DIGEST_HOUR (CELERY_TIMEZONE); once a day per user.
    "daily-digest": {
        "task": "claims.tasks.notifications_digest_task",
        "schedule": crontab(minute=0, hour=env.int("CLAIMTRACKER_DIGEST_HOUR", default=7)),
    },
    # Adds newly embedded claims to the shared vector index (docs/matching.md); searches scan
    # the claims embedded since exactly, so the interval trades write volume for scan time.
    "update-vector-index": {
        "task": "claims.tasks.vector_index_update_task",
        "schedule": env.float("CLAIMTRACKER_VECTOR_INDEX_INTERVAL", default=120.0),
    },
    # The known fact-checks' shared index (docs/known-factchecks.md), on the same interval.
    "update-factcheck-index": {
        "task": "claims.tasks.factcheck_index_update_task",
        "schedule": env.float("CLAIMTRACKER_VECTOR_INDEX_INTERVAL", default=120.0),
    },
    # Known fact-checks: each active sitemap/feed/API source is polled at its own interval.
    "poll-due-factcheck-sources": {
        "task": "claims.tasks.factcheck_sources_poll_due_task",
        "schedule": 300.0,
    },
}
CELERY_TASK_ROUTES["claims.tasks.notification_email_task"] = {"queue": "fetch"}
CELERY_TASK_ROUTES["claims.tasks.notification_emails_retry_due_task"] = {"queue": "fetch"}
# Alerts are evaluated by the NLP worker right after an article's claims are stored and matched.
CELERY_TASK_ROUTES["claims.tasks.article_alerts_task"] = {"queue": "nlp"}
# A checked claim the extraction did not find check-worthy is embedded when its verdict is
# published, so its repeats are matched (and alerted) like any other.
CELERY_TASK_ROUTES["claims.tasks.claim_embed_task"] = {"queue": "nlp"}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL is django-environ's email URL: smtp://user:password@host:587/?tls=True,
# smtp+ssl://..., or consolemail:// (the quick start's default: emails are printed).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="ClaimTracker <claimtracker@localhost>"
)
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)

# --- Alerts (docs/alerts.md) ------------------------------------------------------------------
CLAIMTRACKER_ALERTS = {
    # Trend: a claim group with at least this many appearances within this many hours, from at
    # least this many outlets (articles without an outlet count as one each).
    "TREND_APPEARANCES": env.int("CLAIMTRACKER_TREND_APPEARANCES", default=5),
    "TREND_HOURS": env.int("CLAIMTRACKER_TREND_HOURS", default=24),
    "TREND_MIN_OUTLETS": env.int("CLAIMTRACKER_TREND_MIN_OUTLETS", default=2),
    # Repeat: a published verdict counts as "false or misleading" when its label's normalised
    # rating is at most this, or its name says so (claims/services/alerts_repeats.py, FALSE_WORDS).
    "REPEAT_MAX_NORMALISED": env.float("CLAIMTRACKER_REPEAT_MAX_NORMALISED", default=0.25),
    # Repeat of a published false verdict's own claim, by any unit of a new article (check-worthy
    # or not): the matching core's score from which it alerts (claims/services/alerts_repeats.py;
    # chosen on the dev pairs, docs/alerts.md).
    "REPEAT_MATCH_MIN": env.float("CLAIMTRACKER_REPEAT_MATCH_MIN", default=0.05),
    # The digest's length per section.
    "DIGEST_TOP": env.int("CLAIMTRACKER_DIGEST_TOP", default=10),
}

# --- ClaimTracker ---------------------------------------------------------------------------
# Articles one feed poll queues at most; the rest follow in later polls a minute apart.
CLAIMTRACKER_FEED_MAX_NEW_PER_POLL = env.int("CLAIMTRACKER_FEED_MAX_NEW_PER_POLL", default=100)
CLAIMTRACKER_FETCH = {
    "MAX_BYTES": env.int("CLAIMTRACKER_FETCH_MAX_BYTES", default=10 * 1024 * 1024),
    "TIMEOUT": env.float("CLAIMTRACKER_FETCH_TIMEOUT", default=20.0),
    "MAX_REDIRECTS": env.int("CLAIMTRACKER_FETCH_MAX_REDIRECTS", default=5),
    # Test-only escape hatch for serving pages from 127.0.0.1; never set in production.
    "ALLOWED_PRIVATE_NETWORKS": (),
}
# Known fact-checks (docs/known-factchecks.md): pages one sitemap/feed poll reads at most, and
# the optional Google Fact Check Tools API key.
CLAIMTRACKER_FACTCHECK_MAX_PAGES_PER_POLL = env.int(
    "CLAIMTRACKER_FACTCHECK_MAX_PAGES_PER_POLL", default=200
)
CLAIMTRACKER_FACTCHECK_API_KEY = env.str("CLAIMTRACKER_FACTCHECK_API_KEY", default="")
CLAIMTRACKER_FACTCHECK_API_URL = env.str("CLAIMTRACKER_FACTCHECK_API_URL", default="")
# Match new claims against earlier ones (claim groups, "already checked") after extraction.
CLAIMTRACKER_MATCHING_ENABLED = env.bool("CLAIMTRACKER_MATCHING_ENABLED", default=True)
# Score thresholds for "confirmed" (joins the group) and "suggested" (a reviewer decides);
# unset = the values chosen on dev data (docs/model-card-matching.md).
CLAIMTRACKER_MATCHING = {
    "CONFIRMED": env.float("CLAIMTRACKER_MATCH_CONFIRMED", default=None),
    "SUGGESTED": env.float("CLAIMTRACKER_MATCH_SUGGESTED", default=None),
    # English claims matched with the English-only encoder too (unset = on; docs/matching.md).
    "ENGLISH_SIGNAL": env.bool("CLAIMTRACKER_MATCH_ENGLISH_SIGNAL", default=None),
}
# The shared vector index of matching: files one writer updates and every worker process on the
# machine memory-maps (docs/deployment.md). Each machine keeps its own copy; the database holds
# the vectors, so the directory can be deleted and rebuilt (`manage.py matching_index`).
CLAIMTRACKER_VECTOR_INDEX_DIR = env.path(
    "CLAIMTRACKER_VECTOR_INDEX_DIR", default=BASE_DIR / "var" / "vector-index"
)
CLAIMTRACKER_VECTOR_INDEX = {
    # Claims newer than the index are scanned exactly; past this many a search updates it first.
    "SCAN_LIMIT": env.int("CLAIMTRACKER_VECTOR_INDEX_SCAN_LIMIT", default=5000),
    "DTYPE": env("CLAIMTRACKER_VECTOR_INDEX_DTYPE", default="i8"),  # i8 | f16 | f32
    # Claims the writer reads and inserts per batch: its memory beside the index it writes.
    "BATCH": env.int("CLAIMTRACKER_VECTOR_INDEX_BATCH", default=10_000),
}
CLAIMTRACKER_FETCH_MAX_RETRIES = env.int("CLAIMTRACKER_FETCH_MAX_RETRIES", default=3)
CLAIMTRACKER_ORGANIZATION = {
    "name": env("CLAIMTRACKER_ORG_NAME", default="ClaimTracker Desk"),
    # Unset: the desk's home page at the site's address (claims/site_urls.py).
    "url": env("CLAIMTRACKER_ORG_URL", default=""),
}
# Shared material (seed article, datasets) sits beside the checkout and is never committed.
CLAIMTRACKER_SEED_DIR = env.path(
    "CLAIMTRACKER_SEED_DIR", default=BASE_DIR.parent / "shared" / "seeds"
)
CLAIMTRACKER_DATASETS_DIR = env.path(
    "CLAIMTRACKER_DATASETS", default=BASE_DIR.parent / "shared" / "datasets"
)
# The public address for absolute links (API, feeds, exports, sitemap, ClaimReview, webhooks).
# Unset: each link follows the request it answers, and work outside a request (webhooks sent by a
# worker) uses http://CLAIMTRACKER_ADDR, where bin/start serves. Production requires it.
CLAIMTRACKER_SITE_URL = env("CLAIMTRACKER_SITE_URL", default="")
CLAIMTRACKER_ADDR = env("CLAIMTRACKER_ADDR", default="127.0.0.1:8000")

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
