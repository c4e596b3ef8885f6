"""The project's URLs plus the matching ones, as the lead wires them (see docs/matching.md)."""

from django.urls import include, path

from claims.api.matching import ClaimGroupDetailView
from claimtracker.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/groups/<int:pk>/", ClaimGroupDetailView.as_view(), name="api-group-detail"),
    path("claims/", include("claims.urls_matching")),
    *project_urlpatterns,
]


def matching_host_page(request, claim_id: int):
    """A bare page hosting the panel the way the claim page will (the lead's one-line hx-get)."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    token = get_token(request)
    return HttpResponse(
        "<!doctype html><html><head><title>panel</title>"
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, '
        '"allowEval": false, "allowScriptTags": false}\'>'
        '<script src="/static/vendor/htmx-2.0.11.min.js" defer></script>'
        '<script src="/static/js/matching.js" defer></script></head>'
        f'<body hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>'
        f'<div hx-get="/claims/{claim_id}/matching/" hx-trigger="load" hx-swap="outerHTML">'
        "</div></body></html>"
    )


urlpatterns.insert(0, path("test-matching/<int:claim_id>/", matching_host_page))
