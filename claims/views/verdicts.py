"""Verdict drafting and submission (reviewers), the editor's review, publishing, corrections."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.exceptions import ClaimTrackerError, ConflictError, PermissionDeniedError
from claims.forms import CorrectionForm, SendBackForm, VerdictForm
from claims.models import Claim, Verdict
from claims.selectors.workspace import rating_labels_for, recently_published, review_queue
from claims.services.claims import REVIEW_VERDICT
from claims.services.verdicts import (
    verdict_correct,
    verdict_draft_get_or_create,
    verdict_save,
    verdict_send_back,
    verdict_submit,
)

from .base import run_action, workspace_view
from .claim import claim_context, claim_url, load_claim


def _rerender(request: HttpRequest, claim_id: int, status: int, **forms) -> HttpResponse:
    """The claim page again with the user's input kept in the form: nothing typed is lost."""
    claim = load_claim(claim_id)
    return render(
        request, "claims/claim_detail.html", claim_context(request, claim, **forms), status=status
    )


def _labels_for(claim_id: int) -> list:
    """The labels the verdict form accepts: the claim's desk scale (and its current label)."""
    claim = Claim.objects.select_related("article__outlet").filter(pk=claim_id).first()
    if claim is None:
        raise Http404(_("No such claim."))
    current = Verdict.objects.filter(claim_id=claim_id).values_list("rating_label_id", flat=True)
    return rating_labels_for(claim, keep_label_id=current.first())


@workspace_view(methods=("POST",))
def verdict_save_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Save the draft; with action=submit also send it for review."""
    form = VerdictForm(request.POST, labels=_labels_for(claim_id))
    if not form.is_valid():
        return _rerender(request, claim_id, 400, verdict_form=form)
    data = form.cleaned_data
    try:
        posted_version = data["version"]
        verdict = verdict_draft_get_or_create(actor=request.user, claim_id=claim_id)
        # Version 0 means "there was no verdict when the form was loaded": a fresh, empty
        # draft (version 1) is fine to fill; anything else was saved by someone else meanwhile.
        version = 1 if posted_version == 0 else posted_version
        verdict = verdict_save(
            actor=request.user,
            verdict_id=verdict.pk,
            version=version,
            rating_label_id=data["rating_label"],
            summary=data["summary"],
            explanation=data["explanation"],
        )
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return _rerender(request, claim_id, 409, verdict_form=form, conflict=True)
    except PermissionDeniedError:
        raise
    except ClaimTrackerError as exc:
        form.add_error(None, exc.message)
        return _rerender(request, claim_id, 400, verdict_form=form)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved."))
        return HttpResponseRedirect(claim_url(claim_id) + "#verdict", status=303)
    try:
        verdict_submit(actor=request.user, verdict_id=verdict.pk, version=verdict.version)
    except PermissionDeniedError:
        raise
    except ClaimTrackerError as exc:
        # The saved draft in the form again, each missing piece said beside its field, and the
        # first one focused (autofocus: the browser scrolls it into view).
        form = _incomplete_verdict_form(verdict, request.POST, reason=exc.message)
        return _rerender(request, claim_id, 400, verdict_form=form)
    messages.success(request, _("Submitted for review. An editor will approve it or send it back."))
    return HttpResponseRedirect(claim_url(claim_id), status=303)


def _incomplete_verdict_form(verdict: Verdict, posted, *, reason: str) -> VerdictForm:
    data = posted.copy()
    data["version"] = str(verdict.version)  # the draft was saved: the next save continues it
    form = VerdictForm(data, labels=_labels_for(verdict.claim_id))
    form.is_valid()
    missing = False
    if verdict.rating_label_id is None:
        form.add_error("rating_label", _("Choose a rating to submit."))
        missing = True
    if not verdict.summary.strip():
        form.add_error("summary", _("Write a short verdict to submit."))
        missing = True
    if not verdict.evidence.exists():
        form.add_error(None, _("Add at least one evidence source (Evidence, below) to submit."))
        missing = True
    if not missing:
        form.add_error(None, reason)
    form.add_error(None, _("The draft is saved; it was not submitted."))
    return form


@workspace_view(perm=REVIEW_VERDICT)
def review_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "claims/review_list.html",
        {
            "verdicts": list(review_queue()),
            "published": list(recently_published()),
            "nav": "review",
        },
    )


@workspace_view(perm=REVIEW_VERDICT, methods=("POST",))
def verdict_send_back_view(request: HttpRequest, verdict_id: int) -> HttpResponse:
    verdict = get_object_or_404(Verdict.objects.only("id", "claim_id"), pk=verdict_id)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _rerender(request, verdict.claim_id, 400, send_back_form=form)
    return run_action(
        request,
        lambda: verdict_send_back(
            actor=request.user,
            verdict_id=verdict_id,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        ),
        success=_("Sent back to the author with your comment."),
        redirect_to=reverse("claims:review"),
    )


@workspace_view(perm=REVIEW_VERDICT, methods=("POST",))
def verdict_correct_view(request: HttpRequest, verdict_id: int) -> HttpResponse:
    verdict = get_object_or_404(Verdict.objects.only("id", "claim_id"), pk=verdict_id)
    form = CorrectionForm(request.POST, labels=_labels_for(verdict.claim_id))
    if not form.is_valid():
        return _rerender(request, verdict.claim_id, 400, correction_form=form)
    data = form.cleaned_data
    try:
        verdict_correct(
            actor=request.user,
            verdict_id=verdict_id,
            version=data["version"],
            note=data["note"],
            rating_label_id=data["rating_label"],
            summary=data["summary"],
            explanation=data["explanation"],
        )
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return _rerender(request, verdict.claim_id, 409, correction_form=form, conflict=True)
    except PermissionDeniedError:
        raise
    except ClaimTrackerError as exc:
        form.add_error(None, exc.message)
        return _rerender(request, verdict.claim_id, 400, correction_form=form)
    messages.success(request, _("Correction published with its note."))
    return HttpResponseRedirect(claim_url(verdict.claim_id) + "#corrections", status=303)
