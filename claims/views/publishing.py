"""Safe publishing: the editor sees exactly what will be public (the page, its ClaimReview, the
feed entry) and what still blocks it, then confirms. Publishing never happens in one click."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from claims.claimreview import claim_review
from claims.exceptions import ClaimTrackerError, ConflictError, PermissionDeniedError
from claims.models import Verdict
from claims.public.feeds import atom_entry
from claims.public.views import public_verdict_context
from claims.selectors.public import verdict_for_preview
from claims.services.claims import REVIEW_VERDICT
from claims.services.verdict_checks import may_approve, publication_blockers
from claims.services.verdicts import slug_for, verdict_publish

from .base import workspace_view
from .claim import claim_url
from .security import WORKSPACE_CSP

# The preview may be shown only inside our own editor page (its iframe), never elsewhere.
PREVIEW_CSP = WORKSPACE_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


def _as_it_will_be(verdict_id: int) -> Verdict:
    """The verdict as publishing would make it: its slug and a publication time (now, unless
    it is already public). Only in memory: nothing is saved."""
    verdict = verdict_for_preview(verdict_id)
    if verdict is None:
        raise Http404(_("No such verdict."))
    verdict.slug = slug_for(verdict)
    verdict.published_at = verdict.published_at or timezone.now()
    # What the feed's selector annotates (claims.selectors.public.verdicts_corrected_or_published).
    corrections = [c.created_at for c in verdict.corrections.all()]
    verdict.last_correction_at = max(corrections, default=None)
    verdict.changed_at = max(
        verdict.published_at, verdict.last_correction_at or verdict.published_at
    )
    return verdict


@never_cache
@xframe_options_sameorigin
@workspace_view(perm=REVIEW_VERDICT)
def verdict_preview(request: HttpRequest, verdict_id: int) -> HttpResponse:
    """The public verdict page as it will be, rendered by the public page's own template and
    context; never indexed, never cached, framed only by our own editor page."""
    verdict = _as_it_will_be(verdict_id)
    response = render(
        request, "public/verdict_detail.html", public_verdict_context(verdict, request)
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@never_cache
@workspace_view(perm=REVIEW_VERDICT)
def verdict_preview_page(request: HttpRequest, verdict_id: int) -> HttpResponse:
    """The editor's last look before publishing: the page, the ClaimReview JSON-LD and the
    Atom entry exactly as they will be public, the blockers, and the confirmation."""
    verdict = _as_it_will_be(verdict_id)
    blockers = publication_blockers(verdict)
    approvable = may_approve(request.user, verdict)
    context = {
        "verdict": verdict,
        "claim": verdict.claim,
        "blockers": blockers,
        "may_approve": approvable,
        "can_publish": (approvable and not blockers and verdict.status == Verdict.Status.IN_REVIEW),
        "claimreview_json": json.dumps(claim_review(verdict), ensure_ascii=False, indent=2),
        "atom_entry": atom_entry(verdict, request),
        "preview_url": reverse("claims:verdict_preview", args=[verdict.pk]),
        "claim_url": claim_url(verdict.claim_id),
        "nav": "review",
    }
    response = render(request, "claims/verdict_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _preview_page_url(verdict_id: int) -> str:
    return reverse("claims:verdict_preview_page", args=[verdict_id])


@workspace_view(perm=REVIEW_VERDICT, methods=("GET", "POST"))
def verdict_publish_view(request: HttpRequest, verdict_id: int) -> HttpResponse:
    """Publish after the preview's confirmation (POST confirm=publish); anything else, a GET
    or an old one-click form included, is sent to the preview first."""
    if request.method != "POST" or request.POST.get("confirm") != "publish":
        return HttpResponseRedirect(_preview_page_url(verdict_id), status=303)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        verdict = verdict_publish(actor=request.user, verdict_id=verdict_id, version=version)
    except (PermissionDeniedError, ConflictError, ClaimTrackerError) as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_preview_page_url(verdict_id), status=303)
    messages.success(request, _("Published. The verdict now has its public page."))
    return HttpResponseRedirect(claim_url(verdict.claim_id), status=303)
