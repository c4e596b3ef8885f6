"""The "published verdicts version": one token that changes whenever the public record changes.

The API keeps anonymous answers about published verdicts in Django's cache (Redis in
production) under keys that carry this version (claims.api.caching). The verdict services call
``published_verdicts_changed()`` inside their transaction when they publish or correct; after the
commit the token is replaced, so every cached answer is stale at once and the next request
rebuilds it from the database.

A random token rather than a counter: if the cache loses the key (eviction, Redis restart), a
counter would start again at a value that older cached answers may still carry.
"""

from __future__ import annotations

import logging
from uuid import uuid4

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

VERSION_KEY = "claimtracker:published-verdicts-version"

logger = logging.getLogger(__name__)


def public_cache() -> BaseCache:
    """The cache alias for public answers (setting ``CLAIMTRACKER_PUBLIC_CACHE``)."""
    return caches[getattr(settings, "CLAIMTRACKER_PUBLIC_CACHE", "default")]


def published_verdicts_version(*, current: str | None = None) -> str:
    """The current token, creating one if the cache has none (``current``: a value just read)."""
    if current is not None:
        return current
    cache = public_cache()
    cache.add(VERSION_KEY, uuid4().hex, timeout=None)  # atomic: concurrent first readers agree
    return cache.get(VERSION_KEY) or ""


def _bump() -> None:
    try:
        public_cache().set(VERSION_KEY, uuid4().hex, timeout=None)
    except Exception:  # the change is committed; a dead cache must not turn it into an error
        # Cached answers then live until their timeout (CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT).
        logger.exception("Could not bump the published verdicts version")


def published_verdicts_changed() -> None:
    """Mark every cached public answer stale once the current transaction commits.

    After commit, not before: a reader that fetched the new version while the change was still
    uncommitted would otherwise cache the old rows under the new version.
    """
    transaction.on_commit(_bump)
