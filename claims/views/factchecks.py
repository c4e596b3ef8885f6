"""htmx partial for the claim page: "checked elsewhere" (known fact-checks matched to the claim),
confirm/reject with one key, cite a confirmed match as evidence, and evidence suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.exceptions import ClaimTrackerError, PermissionDeniedError
from claims.models import Claim, KnownFactCheckMatch
from claims.selectors.factchecks import claim_evidence_suggestions, claim_factcheck_matches
from claims.services.factchecks.review import (
    factcheck_match_cite,
    factcheck_match_confirm,
    factcheck_match_reject,
)

from .base import workspace_view


def _claim(claim_id: int) -> Claim:
    claim = Claim.objects.filter(pk=claim_id, candidate=True).only("id", "group_id").first()
    if claim is None:
        raise Http404(_("No such claim."))
    return claim


def _panel(request: HttpRequest, claim: Claim, **extra) -> HttpResponse:
    matches = claim_factcheck_matches(claim.pk)
    context = {
        "claim": claim,
        "factcheck_matches": matches,
        "first_pending": next(
            (m.pk for m in matches if m.decision == KnownFactCheckMatch.Decision.PENDING), None
        ),
        "evidence_suggestions": claim_evidence_suggestions(claim),
        **extra,
    }
    return render(request, "claims/partials/factchecks_panel.html", context)


@workspace_view()
def factchecks_panel(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _panel(request, _claim(claim_id))


def _act(request: HttpRequest, claim_id: int, match_id: int, action, success: str):
    claim = _claim(claim_id)
    if not KnownFactCheckMatch.objects.filter(pk=match_id, claim_id=claim.pk).exists():
        raise Http404(_("No such fact-check match."))
    error = None
    try:
        action(actor=request.user, match_id=match_id)
    except PermissionDeniedError:
        raise
    except ClaimTrackerError as exc:
        error = exc.message
    if getattr(request, "htmx", False):
        return _panel(request, claim, error=error, notice=None if error else success)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(reverse("claims:claim", args=[claim_id]), status=303)


@workspace_view(methods=("POST",))
def factcheck_confirm(request: HttpRequest, claim_id: int, match_id: int) -> HttpResponse:
    return _act(
        request,
        claim_id,
        match_id,
        factcheck_match_confirm,
        _("Confirmed: this fact-check is about the same claim."),
    )


@workspace_view(methods=("POST",))
def factcheck_reject(request: HttpRequest, claim_id: int, match_id: int) -> HttpResponse:
    return _act(
        request,
        claim_id,
        match_id,
        factcheck_match_reject,
        _("Rejected: this fact-check will not be shown again."),
    )


@workspace_view(methods=("POST",))
def factcheck_cite(request: HttpRequest, claim_id: int, match_id: int) -> HttpResponse:
    return _act(
        request,
        claim_id,
        match_id,
        factcheck_match_cite,
        _("Cited as evidence on the verdict draft."),
    )
