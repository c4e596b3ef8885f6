"""Rate limits: per IP for anonymous clients, per key for API keys, per user for sessions.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``anon``, ``api_key``,
``user``), read at request time so settings overrides (tests, deployments) take effect.
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from claims.api.permissions import request_api_key

logger = logging.getLogger(__name__)
_CACHE_ERRORS = (OSError, RedisError)

_FALLBACK = {"anon": "120/min", "api_key": "1200/min", "user": "1200/min"}


class _DynamicRate(SimpleRateThrottle):
    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope, _FALLBACK[self.scope])

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except _CACHE_ERRORS:
            # Quotas live in the shared cache (Redis in production). Without it, serve rather
            # than fail every API request; the outage is logged.
            logger.warning("Rate limiting skipped: the cache is unreachable", exc_info=True)
            return True


class AnonThrottle(_DynamicRate):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyThrottle(_DynamicRate):
    scope = "api_key"

    def get_cache_key(self, request, view):
        key = request_api_key(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}


class UserThrottle(_DynamicRate):
    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        if request_api_key(request) is not None or not (user and user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


THROTTLES = [AnonThrottle, ApiKeyThrottle, UserThrottle]


class AnonymousQuota:
    """DRF's ``check_throttles`` for a request that carries no credentials at all, in two steps
    so that the caller can read the quota's history in the same cache round trip as its own
    keys (claims.api.caching answers cached public requests before DRF wraps them).

    Such a request has no key and no user, so only the per-IP ``anon`` throttles apply (the
    others have no cache key for it and pass). ``allow`` is ``SimpleRateThrottle.allow_request``
    with the history passed in: the same sliding window, the request counted when allowed and
    not counted when refused.
    """

    def __init__(self, request, view) -> None:
        self.throttles = []
        for throttle_class in view.throttle_classes:
            if getattr(throttle_class, "scope", None) != AnonThrottle.scope:
                continue
            throttle = throttle_class()
            if throttle.rate is None:
                continue
            # AnonThrottle.get_cache_key, minus its look at request.user: there is no user
            # (evaluating Django's lazy user is a tenth of a cached answer's time).
            ident = throttle.get_ident(request)
            throttle.key = throttle.cache_format % {"scope": throttle.scope, "ident": ident}
            self.throttles.append(throttle)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.throttles]

    def allow(self, histories: dict[str, list[float]], *, prefetched: bool) -> bool:
        """``histories``: what the cache holds for ``keys`` (absent = none yet) if
        ``prefetched``, else the throttles read their own."""
        for throttle in self.throttles:
            if prefetched:
                history = histories.get(throttle.key)
            else:
                history = throttle.cache.get(throttle.key)
            throttle.history = list(history or [])
            throttle.now = throttle.timer()
            while throttle.history and throttle.history[-1] <= throttle.now - throttle.duration:
                throttle.history.pop()
            if len(throttle.history) >= throttle.num_requests:
                return False
        try:
            for throttle in self.throttles:
                throttle.throttle_success()
        except _CACHE_ERRORS:
            logger.warning("Rate limiting skipped: the cache is unreachable", exc_info=True)
        return True
