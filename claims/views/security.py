"""Content-Security-Policy for the workspace and the login pages.

Strict: scripts and styles only from our own origin (htmx is vendored, our shortcuts live in
one static file), nothing inline, no framing, forms only to ourselves. Article text is
untrusted and escaped; this is the second wall if an escape is ever missed. Django's admin and
the API docs are left alone because they rely on inline code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

WORKSPACE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
EXEMPT_PREFIXES = ("/admin/", "/api/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and not request.path.startswith(
            EXEMPT_PREFIXES
        ):
            response["Content-Security-Policy"] = WORKSPACE_CSP
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        return response
