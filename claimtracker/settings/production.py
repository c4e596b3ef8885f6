"""Production: secrets and hosts come from the environment without defaults and fail loudly."""

from django.core.exceptions import ImproperlyConfigured

from claimtracker.cache import with_reusing_backend

from .base import *  # noqa: F403
from .base import env, postgres_options

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
postgres_options(DATABASES["default"])
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=None))
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("Set CELERY_BROKER_URL (or REDIS_URL) in production.")
CELERY_TASK_ALWAYS_EAGER = False
# Behind a proxy the request may not carry the public name: links in feeds, exports, ClaimReview
# and webhooks must not depend on it.
CLAIMTRACKER_SITE_URL = env("CLAIMTRACKER_SITE_URL", default="").rstrip("/")
if not CLAIMTRACKER_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Set CLAIMTRACKER_SITE_URL to the desk's public address (e.g. https://claims.example.org)"
        " in production: every absolute link (API, feeds, exports, ClaimReview) is built from it."
    )
CLAIMTRACKER_REFUSE_DEMO_PASSWORDS = True  # the demo accounts' passwords never log in here
# One cache for every web worker (quotas, public API answers): Redis, by default the broker's.
CACHES = {
    "default": with_reusing_backend(env.cache_url("DJANGO_CACHE_URL", default=CELERY_BROKER_URL))
}

# Email: a local MTA unless EMAIL_URL names a relay (its password belongs in EMAIL_URL).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
