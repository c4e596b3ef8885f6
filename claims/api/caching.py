"""Conditional GET, cache headers, and a shared cache of anonymous answers on public endpoints.

Every successful GET gets a strong ETag over its body, and Last-Modified when the view knows it;
a matching ``If-None-Match``/``If-Modified-Since`` gets ``304 Not Modified`` with no body.
Anonymous answers are ``public`` for a short time (shared caches and CDNs may keep them);
answers to authenticated requests are ``private`` and must be revalidated.

``PublicResponseCacheMixin`` keeps anonymous 200 answers of the published-verdict endpoints in
Django's cache (Redis in production), keyed by the full URL and the Accept header, and
valid only while the "published verdicts version" (claims.services.public_cache) is the one
they were built under: publishing or correcting replaces the version, so the next request sees
the change. A request with any credentials (an ``Authorization`` header or a session cookie)
never reads or fills this cache. The anonymous quota is counted on every request, cached or
not, exactly as without the cache.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.permissions import AllowAny

from claims.api.throttling import AnonymousQuota
from claims.services.public_cache import VERSION_KEY, public_cache, published_verdicts_version

PUBLIC_MAX_AGE = 60
KEY_PREFIX = "claimtracker:api-response:"

logger = logging.getLogger(__name__)


class ConditionalGetMixin:
    """For DRF views. Set ``self.last_modified`` (aware datetime) in the handler if known."""

    last_modified: datetime | None = None
    public_max_age: int = PUBLIC_MAX_AGE

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        # Hashing the body costs ~20 µs for a 50-row page, and it is computed once per cache
        # fill: an ETag that is exactly the body cannot go stale, whatever changed the body.
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        last_modified = None
        if self.last_modified is not None:
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        if request.user and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = f"public, max-age={self.public_max_age}"
        patch_vary_headers(response, ("Authorization", "Cookie"))
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional


def _has_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def _timeout() -> int:
    # Also the longest a change that does not bump the version (e.g. a new appearance found by
    # claim matching) stays invisible, the same as the public max-age clients may cache for.
    return getattr(settings, "CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT", PUBLIC_MAX_AGE)


def _cache_key(request) -> str:
    # The full URL (scheme and host too: pagination links are absolute) and the Accept header
    # as sent (it decides the renderer, a 406, or an ``indent``), so a hit answers exactly what
    # DRF's content negotiation answered for the same request.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = f"{request.META.get('HTTP_ACCEPT', '')}|{url}"
    return KEY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _cached_response(request, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )


class PublicResponseCacheMixin:
    """For DRF views of published verdicts that anyone may read (before ``ConditionalGetMixin``).

    A hit is answered before DRF wraps the request: with no credentials there is nothing to
    authenticate, the view allows anyone, and negotiation was settled when the entry was stored
    for the same Accept header; the per-IP quota is still counted (``AnonymousQuota``).
    A miss, or a client over its quota, takes DRF's normal path, and a 200 public answer is
    stored for the next request.
    """

    def dispatch(self, request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or _has_credentials(request)
            or not all(p is AllowAny for p in self.permission_classes)
        ):
            return super().dispatch(request, *args, **kwargs)
        key = _cache_key(request)
        quota = AnonymousQuota(request, self)
        # DRF's throttles keep their histories in the default cache: read them in the same
        # round trip when that is also where public answers are kept.
        prefetch = getattr(settings, "CLAIMTRACKER_PUBLIC_CACHE", "default") == "default"
        version, entry, histories = self._lookup(key, quota.keys if prefetch else [])
        if version is None:  # no cache: DRF's path, throttles and all
            return super().dispatch(request, *args, **kwargs)
        if quota.allow(histories, prefetched=prefetch):
            if entry is not None:
                return _cached_response(request, entry)
            # Counted: DRF's check_throttles need not read and write the history again. (Unlike
            # DRF, a request that then fails content negotiation has been counted too.)
            request._anonymous_quota_counted = True
        # A miss, or a client over its quota: DRF's path (which answers 429 in the API's shape;
        # a refused request was not counted above, so it is not counted twice).
        response = super().dispatch(request, *args, **kwargs)
        if entry is None and not self.request.user.is_authenticated:
            self._store(key, version, response)
        return response

    def check_throttles(self, request):
        if getattr(request._request, "_anonymous_quota_counted", False):
            return
        super().check_throttles(request)

    def _lookup(
        self, key: str, quota_keys: list[str]
    ) -> tuple[str | None, dict | None, dict[str, list[float]]]:
        """(current version, the entry if built under it, quota histories): one round trip."""
        try:
            found = public_cache().get_many([VERSION_KEY, key, *quota_keys])
            version = published_verdicts_version(current=found.get(VERSION_KEY))
        except Exception:  # the cache is an optimisation: without it, answer from the database
            logger.warning("Public response cache unavailable", exc_info=True)
            return None, None, {}
        entry = found.get(key)
        if entry is None or entry.get("version") != version:
            entry = None
        return version, entry, found

    def _store(self, key: str, version: str, response) -> None:
        timeout = _timeout()
        if (
            timeout <= 0
            or response.status_code != 200
            or not response.get("Cache-Control", "").startswith("public")
        ):
            return
        last_modified = None
        if self.last_modified is not None:
            last_modified = int(self.last_modified.timestamp())
        entry = {
            "version": version,
            "content": response.content,
            "headers": list(response.items()),
            "etag": response["ETag"],
            "last_modified": last_modified,
        }
        try:
            public_cache().set(key, entry, timeout=timeout)
        except Exception:
            logger.warning("Public response cache unavailable", exc_info=True)
