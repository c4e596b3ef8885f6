"""The project URLconf plus the matching and article routes, as the lead wires them."""

from django.urls import include, path

from claimtracker.urls import urlpatterns as project

urlpatterns = [
    path("claims/", include("claims.urls_matching")),
    path("articles/", include("claims.urls_articles")),
    *project,
]
