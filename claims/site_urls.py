"""Absolute URLs of this desk: the one place that decides scheme and host.

Every absolute link we hand out (API, Atom feed, CSV/JSONL exports, sitemap, ClaimReview,
webhooks) goes through ``site_base()``:

1. ``CLAIMTRACKER_SITE_URL`` when set: the public address a deployment declares (production
   requires it, since behind a proxy the request may not know the public name);
2. otherwise the request being answered (``scheme://host:port`` as the client reached us), so a
   quick start on another port or host links to where it really runs;
3. otherwise, outside any request (a Celery task sending a webhook, a management command),
   ``http://`` + ``CLAIMTRACKER_ADDR`` (the address ``bin/start`` serves on, default
   ``127.0.0.1:8000``).

Views that have the request pass it; code deeper down (serializers, ClaimReview) finds the current
request through ``SiteUrlMiddleware``. A streamed response runs after the middleware has returned,
so its view takes ``site_base(request)`` first and passes the base along explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse

_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "claimtracker_current_request", default=None
)


def configured_base() -> str:
    """``CLAIMTRACKER_SITE_URL`` without its trailing slash, or "" when unset."""
    return (getattr(settings, "CLAIMTRACKER_SITE_URL", "") or "").rstrip("/")


def fallback_base() -> str:
    """The base outside any request when no site URL is configured: where ``bin/start`` serves."""
    host, _, port = settings.CLAIMTRACKER_ADDR.rpartition(":")
    if not host:  # "8000" alone, as runserver accepts it
        host, port = "127.0.0.1", settings.CLAIMTRACKER_ADDR
    if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104 - a bind-all address is not a link
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def site_base(request: HttpRequest | None = None) -> str:
    """``scheme://host[:port]`` of absolute links, without a trailing slash (see module doc)."""
    configured = configured_base()
    if configured:
        return configured
    request = request if request is not None else _current_request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return fallback_base()


def site_url(path: str, request: HttpRequest | None = None, *, base: str | None = None) -> str:
    """An absolute URL for a site-relative ``path`` ("/verdicts/x/")."""
    return (base if base is not None else site_base(request)) + path


@lru_cache(maxsize=64)
def _url_template(name: str, kwarg: str, sentinel: str, base: str, prefix: str, urlconf) -> str:
    return base + reverse(name, kwargs={kwarg: sentinel})


def absolute_url(name: str, *, base: str | None = None, **kwargs: int | str) -> str:
    """``site_url(reverse(name, kwargs=...))`` for one kwarg, without resolving every time.

    A list page builds two URLs per row; ``reverse()`` costs tens of microseconds each, so the
    pattern is reversed once (with a sentinel) and filled in by string replacement.
    """
    ((kwarg, value),) = kwargs.items()
    sentinel = "0123456789" if isinstance(value, int) else "sentinel-slug-0123456789"
    template = _url_template(
        name,
        kwarg,
        sentinel,
        base if base is not None else site_base(),
        get_script_prefix(),
        get_urlconf(),
    )
    return template.replace(sentinel, str(value), 1)


class SiteUrlMiddleware:
    """Makes the request being answered known to ``site_base()`` for the time of the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
