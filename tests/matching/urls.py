"""The project's URLs plus the matching ones, as the lead wires them (see docs/matching.md)."""

from django.urls import include, path

from claims.api.matching import ClaimGroupDetailView
from claimtracker.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/groups/<int:pk>/", ClaimGroupDetailView.as_view(), name="api-group-detail"),
    path("claims/", include("claims.urls_matching")),
    *project_urlpatterns,
]
