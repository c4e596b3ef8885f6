"""Claim-page known fact-check partials. Included by claimtracker/urls.py under "claims/"."""

from django.urls import path

from claims.views import factchecks

app_name = "factchecks"

urlpatterns = [
    path("<int:claim_id>/factchecks/", factchecks.factchecks_panel, name="panel"),
    path(
        "<int:claim_id>/factchecks/<int:match_id>/confirm/",
        factchecks.factcheck_confirm,
        name="confirm",
    ),
    path(
        "<int:claim_id>/factchecks/<int:match_id>/reject/",
        factchecks.factcheck_reject,
        name="reject",
    ),
    path(
        "<int:claim_id>/factchecks/<int:match_id>/cite/",
        factchecks.factcheck_cite,
        name="cite",
    ),
]
