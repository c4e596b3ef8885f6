from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from claims.api import views
from claims.api.errors import json_not_found
from claims.api.factchecks import (
    ClaimKnownFactChecksView,
    KnownFactCheckDetailView,
    KnownFactCheckListView,
)
from claims.api.matching import ClaimGroupDetailView
from claims.api.speakers import SpeakerDetailView, SpeakerListView
from claims.api.webhooks import WebhookDeliveryListView, WebhookDetailView, WebhookListView

app_name = "api"

# The API documentation pages load nothing from another host: ReDoc and Swagger UI come from
# drf-spectacular-sidecar, ReDoc without its Google Fonts links (templates/api/redoc.html), and the
# browser is told to refuse any other font or connection (the pages need their inline code, so
# the workspace's strict policy does not apply to them).
DOCS_CSP = "font-src 'self' data:; connect-src 'self'; img-src 'self' data: blob:"


def _local_only(view):
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response

    return wrapped


v1 = [
    path("verdicts/", views.VerdictListView.as_view(), name="verdict-list"),
    path("verdicts/<int:pk>/", views.VerdictDetailView.as_view(), name="verdict-detail"),
    path(
        "verdicts/<int:pk>/claimreview",
        views.VerdictClaimReviewView.as_view(),
        name="verdict-claimreview",
    ),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("speakers/", SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<int:pk>/", SpeakerDetailView.as_view(), name="speaker-detail"),
    path("groups/<int:pk>/", ClaimGroupDetailView.as_view(), name="group-detail"),
    path(
        "claims/<int:pk>/known-factchecks/",
        ClaimKnownFactChecksView.as_view(),
        name="claim-known-factchecks",
    ),
    path("known-factchecks/", KnownFactCheckListView.as_view(), name="known-factcheck-list"),
    path(
        "known-factchecks/<int:pk>/",
        KnownFactCheckDetailView.as_view(),
        name="known-factcheck-detail",
    ),
    path("articles/", views.ArticleSubmitView.as_view(), name="article-submit"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("webhooks/", WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", WebhookDetailView.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:pk>/deliveries/",
        WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
]

urlpatterns = [
    *[path("v1/" + str(p.pattern), p.callback, name=p.name) for p in v1],
    path("schema/", SpectacularAPIView.as_view(urlconf=None), name="schema"),
    path(
        "docs/",
        _local_only(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        _local_only(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    re_path(r"^[\s\S]*$", json_not_found),  # [\s\S]: paths may hold newlines
]
