"""Conditional GET and cache headers for public endpoints.

Every successful GET gets a strong ETag over its body, and Last-Modified when the view knows it;
a matching ``If-None-Match``/``If-Modified-Since`` gets ``304 Not Modified`` with no body.
Anonymous answers are ``public`` for a short time (shared caches and CDNs may keep them);
answers to authenticated requests are ``private`` and must be revalidated.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

PUBLIC_MAX_AGE = 60


class ConditionalGetMixin:
    """For DRF views. Set ``self.last_modified`` (aware datetime) in the handler if known."""

    last_modified: datetime | None = None
    public_max_age: int = PUBLIC_MAX_AGE

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
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
