"""Claim-page matching partials. Included by claimtracker/urls.py under "claims/"."""

from django.urls import path

from claims.views import matching

app_name = "matching"

urlpatterns = [
    path("<int:claim_id>/matching/", matching.matching_panel, name="panel"),
    path(
        "<int:claim_id>/matching/<int:match_id>/confirm/",
        matching.match_confirm,
        name="confirm",
    ),
    path(
        "<int:claim_id>/matching/<int:match_id>/reject/",
        matching.match_reject,
        name="reject",
    ),
    path("<int:claim_id>/matching/split/", matching.group_split, name="split"),
    path("<int:claim_id>/matching/merge/", matching.groups_merge, name="merge"),
]
