"""Test settings: fast hashing, in-memory SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import CLAIMTRACKER_FETCH, DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
if not env("DATABASE_URL", default=""):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Test-only allowlist so a worker process started by the integration fixtures may fetch pages from
# the tests' local HTTP server. Empty unless the fixture sets it; never read outside test settings.
CLAIMTRACKER_FETCH = {
    **CLAIMTRACKER_FETCH,
    "ALLOWED_PRIVATE_NETWORKS": tuple(
        env.list("CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS", default=[])
    ),
}

# A task that fails in eager mode fails its test (the quick start only logs it).
CELERY_TASK_EAGER_PROPAGATES = True

# Serve static files from the app folders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Anonymous public API answers are not cached by default in tests (the cache outlives a test's
# database); tests/api turns the cache on and clears it around every test.
CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 0

# Browser tests: the live server and the test share one in-memory SQLite connection; requests
# and the test's queries take turns (tests/e2e/db_lock.py). Uncontended everywhere else.
MIDDLEWARE = ["tests.e2e.db_lock.SerializeRequestsMiddleware", *MIDDLEWARE]
