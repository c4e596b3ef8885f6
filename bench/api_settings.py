"""Settings for bench/bench_api.py: production-like (DEBUG off), PostgreSQL, Redis cache.

The production quotas stay as they are (anonymous: 120/min per address). The load generator
plays many readers instead: every request comes from one of 20,000 addresses
(``X-Forwarded-For``, see bench/api_clients.lua), so none is throttled and DRF's throttle keeps
the short per-address history it keeps in production. (Raising the quota for one address
instead makes the throttle store every request of the last minute under one key: tens of
thousands of timestamps read and written per request, which measures an artefact.)
"""

from claimtracker.cache import with_reusing_backend
from claimtracker.settings.base import *  # noqa: F403
from claimtracker.settings.base import env

DEBUG = False
# wrk stands in for the proxy that sets X-Forwarded-For (one entry per simulated reader).
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 1}  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.api_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The shared cache as in production (claimtracker.settings.production): Redis, a database of its
# own, emptied by the benchmark when it starts.
CACHES = {
    "default": with_reusing_backend(
        env.cache_url("BENCH_API_CACHE_URL", default="redis://127.0.0.1:6379/11")
    ),
}
