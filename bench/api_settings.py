"""Settings for bench/bench_api.py: production-like (DEBUG off), PostgreSQL, no quotas.

Throttle rates are raised so the load generator measures the API, not the rate limiter (the
throttle classes still run and still hit the cache on every request).
"""

from claimtracker.settings.base import *  # noqa: F403
from claimtracker.settings.base import REST_FRAMEWORK

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.api_urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/min", "api_key": "100000000/min",
                               "user": "100000000/min"},
}  # fmt: skip
LOGGING = {"version": 1, "disable_existing_loggers": False}
