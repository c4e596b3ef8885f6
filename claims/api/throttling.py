"""Rate limits: per IP for anonymous clients, per key for API keys, per user for sessions.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``anon``, ``api_key``,
``user``), read at request time so settings overrides (tests, deployments) take effect.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from claims.api.permissions import request_api_key

_FALLBACK = {"anon": "120/min", "api_key": "1200/min", "user": "1200/min"}


class _DynamicRate(SimpleRateThrottle):
    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope, _FALLBACK[self.scope])


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
