"""htmx partials for the claim page: "already checked", the claim's group, suggestions, merge/split.

The claim page loads the panel with `hx-get` (see docs/matching.md); every action answers with
the re-rendered panel for htmx requests and redirects back to the claim page otherwise.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.exceptions import ClaimTrackerError, InvalidInputError, PermissionDeniedError
from claims.models import Claim, ClaimMatch
from claims.selectors.groups import (
    already_checked,
    claim_group_by_id,
    claim_group_summary,
    claim_pending_matches,
    group_appearances,
    group_repeat_counts,
)
from claims.selectors.partials import claim_match_by_id, matching_claim
from claims.services.matching import (
    CHANGE_GROUP,
    claim_group_split,
    claim_groups_merge,
    claim_match_confirm,
    claim_match_reject,
)

from .base import workspace_view

APPEARANCES_SHOWN = 50


def _claim(claim_id: int) -> Claim:
    claim = matching_claim(claim_id=claim_id)
    if claim is None:
        raise Http404(_("No such claim."))
    return claim


def matching_context(request: HttpRequest, claim: Claim) -> dict:
    """What the panel shows; a fixed number of queries whatever the group size."""
    verdict = already_checked(claim)
    context: dict = {
        "claim": claim,
        "checked_verdict": verdict,
        # "already checked" is about an earlier verdict, not the claim's own
        "checked_elsewhere": verdict is not None and verdict.claim_id != claim.pk,
        "suggestions": claim_pending_matches(claim),
        "can_merge": request.user.has_perm(CHANGE_GROUP),
        "group": claim.group,
    }
    if claim.group_id is not None:
        counts = group_repeat_counts(claim.group_id)
        peak = max((n for _day, n in counts.per_day), default=0)
        context.update(
            summary=claim_group_summary([claim.group_id]).get(claim.group_id),
            appearances=list(group_appearances(claim.group_id, limit=APPEARANCES_SHOWN)),
            repeat_counts=counts,
            peak=peak,
        )
    return context


def _panel(request: HttpRequest, claim: Claim, **extra) -> HttpResponse:
    context = matching_context(request, claim)
    context.update(extra)
    return render(request, "claims/partials/matching_panel.html", context)


@workspace_view()
def matching_panel(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _panel(request, _claim(claim_id))


def _act(request: HttpRequest, claim_id: int, action, success: str) -> HttpResponse:
    """Run a service; answer with the panel (htmx) or a redirect to the claim page."""
    error = None
    try:
        action()
    except PermissionDeniedError:
        raise
    except ClaimTrackerError as exc:
        error = exc.message
    claim = _claim(claim_id)
    if getattr(request, "htmx", False):
        # 200 either way: htmx does not swap 4xx answers, and the panel carries the message.
        return _panel(request, claim, error=error, notice=None if error else success)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(reverse("claims:claim", args=[claim_id]), status=303)


def _match_for(claim_id: int, match_id: int) -> ClaimMatch:
    """A suggestion shown on this claim's page: the claim's own, or one into its group."""
    claim = _claim(claim_id)
    match = claim_match_by_id(match_id=match_id)
    if match is None or not (
        match.claim_id == claim.pk or (claim.group_id and match.group_id == claim.group_id)
    ):
        raise Http404(_("No such suggestion."))
    return match


@workspace_view(methods=("POST",))
def match_confirm(request: HttpRequest, claim_id: int, match_id: int) -> HttpResponse:
    match = _match_for(claim_id, match_id)
    return _act(
        request,
        claim_id,
        lambda: claim_match_confirm(actor=request.user, match_id=match.pk),
        _("Confirmed: the claim joined the group."),
    )


@workspace_view(methods=("POST",))
def match_reject(request: HttpRequest, claim_id: int, match_id: int) -> HttpResponse:
    match = _match_for(claim_id, match_id)
    return _act(
        request,
        claim_id,
        lambda: claim_match_reject(actor=request.user, match_id=match.pk),
        _("Rejected: this suggestion will not come back."),
    )


@workspace_view(methods=("POST",))
def group_split(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    return _act(
        request,
        claim_id,
        lambda: claim_group_split(actor=request.user, claim=claim),
        _("The claim was taken out of its group."),
    )


def _merge(request: HttpRequest, claim: Claim) -> None:
    if claim.group_id is None:
        raise InvalidInputError(_("This claim is not in a group."))
    try:
        other_id = int(request.POST.get("group", ""))
    except ValueError:
        raise InvalidInputError(_("Give the number of the group to merge.")) from None
    other = claim_group_by_id(group_id=other_id)
    if other is None:
        raise InvalidInputError(_("There is no group %(id)s.") % {"id": other_id})
    claim_groups_merge(actor=request.user, source=other, target=claim.group)


@workspace_view(perm=CHANGE_GROUP, methods=("POST",))
def groups_merge(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Merge another group (by number) into this claim's group. Editors only."""
    claim = _claim(claim_id)
    return _act(request, claim_id, lambda: _merge(request, claim), _("The groups were merged."))
