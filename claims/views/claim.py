"""The claim page: triage, research (assignment, notes, evidence), audit history."""

from __future__ import annotations

import zlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.exceptions import ClaimTrackerError, ConflictError, PermissionDeniedError
from claims.forms import (
    AssignForm,
    ClaimSpeakerForm,
    CorrectionForm,
    DismissForm,
    EvidenceForm,
    NoteForm,
    SendBackForm,
    VerdictForm,
)
from claims.models import Article, Claim, EvidenceSource, Verdict
from claims.selectors.partials import claim_notes, evidence_panel
from claims.selectors.queue import assignable_users
from claims.selectors.workspace import (
    claim_appearances,
    claim_audit,
    claim_detail,
    known_domains_for,
    rating_labels_for,
)
from claims.services.claims import can_review, claim_assign, claim_dismiss, claim_select
from claims.services.evidence import evidence_add, evidence_refetch, evidence_remove
from claims.services.notes import claim_note_add
from claims.services.verdict_checks import may_approve
from claims.services.verdicts import EDITABLE

from .base import run_action, safe_next, workspace_view
from .text import article_segments, sentence_segments


def verdict_of(claim: Claim) -> Verdict | None:
    try:
        return claim.verdict
    except Verdict.DoesNotExist:
        return None


def claim_context(request: HttpRequest, claim: Claim, **overrides) -> dict:
    """Everything the claim page shows; a fixed number of queries whatever the row counts."""
    verdict = verdict_of(claim)
    evidence = list(verdict.evidence.all()) if verdict else []
    known = known_domains_for([e.domain for e in evidence])
    labels = rating_labels_for(claim, keep_label_id=verdict.rating_label_id if verdict else None)
    version = verdict.version if verdict else 0
    context = {
        "claim": claim,
        "article": claim.article,
        "verdict": verdict,
        "evidence": [(e, known.get(e.domain)) for e in evidence],
        "evidence_pending": any(
            e.fetch_status == EvidenceSource.FetchStatus.PENDING for e in evidence
        ),
        "notes": list(claim.notes.all()),
        "corrections": list(verdict.corrections.all()) if verdict else [],
        "appearances": claim_appearances(claim=claim),
        "audit": claim_audit(claim=claim),
        "users": assignable_users(),
        "sentence": sentence_segments(claim),
        "article_text": article_segments(claim),
        "dismiss_form": DismissForm(),
        "assign_form": AssignForm(),
        "note_form": NoteForm(),
        "evidence_form": EvidenceForm(),
        "claim_speaker_form": ClaimSpeakerForm(initial={"speaker": claim.speaker_id}),
        "editable": verdict is None or verdict.status in EDITABLE,
        "can_review": can_review(request.user),
        "may_approve": verdict is not None and may_approve(request.user, verdict),
        "verdict_form": VerdictForm(
            labels=labels,
            initial={
                "version": version,
                "rating_label": verdict.rating_label_id if verdict else None,
                "summary": verdict.summary if verdict else "",
                "explanation": verdict.explanation if verdict else "",
            },
        ),
        "send_back_form": SendBackForm(initial={"version": version}),
        "correction_form": CorrectionForm(
            labels=labels,
            initial={
                "version": version,
                "rating_label": verdict.rating_label_id if verdict else None,
                "summary": verdict.summary if verdict else "",
                "explanation": verdict.explanation if verdict else "",
            },
        ),
        "dismiss_reasons": Claim.DismissReason.choices,
    }
    context.update(overrides)
    return context


def load_claim(claim_id: int) -> Claim:
    claim = claim_detail(claim_id=claim_id)
    if claim is None:
        raise Http404(_("No such claim."))
    return claim


@workspace_view()
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = load_claim(claim_id)
    return render(request, "claims/claim_detail.html", claim_context(request, claim))


def claim_url(claim_id: int) -> str:
    return reverse("claims:claim", args=[claim_id])


@workspace_view(methods=("POST",))
def claim_select_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: claim_select(actor=request.user, claim_id=claim_id),
        success=_("Selected for checking."),
        redirect_to=safe_next(request, claim_url(claim_id)),
    )


@workspace_view(methods=("POST",))
def claim_dismiss_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return run_action(
        request,
        lambda: claim_dismiss(actor=request.user, claim_id=claim_id, reason=reason),
        success=_("Claim dismissed."),
        redirect_to=safe_next(request, claim_url(claim_id)),
    )


@workspace_view(methods=("POST",))
def claim_assign_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    from .queue import assignee_from

    value = request.POST.get("assignee", "")
    return run_action(
        request,
        lambda: claim_assign(
            actor=request.user, claim_id=claim_id, assignee_id=assignee_from(request, value)
        ),
        success=_("Assignment saved."),
        redirect_to=safe_next(request, claim_url(claim_id)),
    )


@workspace_view(methods=("POST",))
def claim_note_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        # The form again with its error beside the field: the notes partial for htmx (answered
        # 200 so htmx swaps it in), the whole page otherwise.
        if request.htmx:
            found = claim_notes(claim_id=claim_id)
            if found is None:
                raise Http404(_("No such claim."))
            claim, notes = found
            return render(
                request,
                "claims/partials/notes.html",
                {"claim": claim, "notes": notes, "note_form": form},
            )
        claim = load_claim(claim_id)
        return render(
            request,
            "claims/claim_detail.html",
            claim_context(request, claim, note_form=form),
            status=400,
        )
    text = form.cleaned_data["text"]
    if request.htmx:
        # Partial update: answer with the refreshed notes list (or the error) only.
        from claims.exceptions import InvalidInputError

        try:
            claim_note_add(actor=request.user, claim_id=claim_id, text=text)
        except InvalidInputError as exc:
            return render(
                request, "claims/partials/error.html", {"message": exc.message}, status=400
            )
        found = claim_notes(claim_id=claim_id)
        if found is None:
            raise Http404(_("No such claim."))
        claim, notes = found
        return render(
            request,
            "claims/partials/notes.html",
            {"claim": claim, "notes": notes, "note_form": NoteForm()},
        )
    try:
        claim_note_add(actor=request.user, claim_id=claim_id, text=text)
    except (PermissionDeniedError, ConflictError):
        raise
    except ClaimTrackerError as exc:
        # Refused by the service: beside the form, not at the top of a page opened at #notes.
        form.add_error("text", exc.message)
        context = claim_context(request, load_claim(claim_id), note_form=form)
        return render(request, "claims/claim_detail.html", context, status=400)
    messages.success(request, _("Note added."))
    return HttpResponseRedirect(claim_url(claim_id) + "#notes", status=303)


@workspace_view(methods=("POST",))
def evidence_add_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        claim = load_claim(claim_id)
        return render(
            request,
            "claims/claim_detail.html",
            claim_context(request, claim, evidence_form=form),
            status=400,
        )
    data = form.cleaned_data
    try:
        evidence_add(
            actor=request.user,
            claim_id=claim_id,
            url=data["url"],
            stance=data["stance"],
            quote=data["quote"],
            title=data["title"],
            publisher=data["publisher"],
        )
    except (PermissionDeniedError, ConflictError):
        raise
    except ClaimTrackerError as exc:
        # Refused by the service: beside the form, not at the top of a page opened at #evidence.
        form.add_error(None, exc.message)
        context = claim_context(request, load_claim(claim_id), evidence_form=form)
        if not context["editable"]:  # no form any more (the verdict moved on): say it on top
            messages.error(request, exc.message)
            return HttpResponseRedirect(claim_url(claim_id), status=303)
        return render(request, "claims/claim_detail.html", context, status=400)
    messages.success(request, _("Evidence added; its page is being fetched and archived."))
    return HttpResponseRedirect(claim_url(claim_id) + "#evidence", status=303)


@workspace_view()
def evidence_list(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The evidence partial; htmx polls it while a source is still being fetched, so it reads
    only what it shows (see claims.selectors.partials)."""
    panel = evidence_panel(claim_id=claim_id)
    if panel is None:
        raise Http404(_("No such claim."))
    context = {
        "claim": panel.claim,
        "evidence": panel.evidence,
        "evidence_pending": panel.pending,
        "editable": panel.verdict is None or panel.verdict.status in EDITABLE,
    }
    return render(request, "claims/partials/evidence_list.html", context)


@workspace_view(methods=("POST",))
def evidence_remove_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceSource.objects.select_related("verdict"), pk=evidence_id)
    return run_action(
        request,
        lambda: evidence_remove(actor=request.user, evidence_id=evidence_id),
        success=_("Evidence removed."),
        redirect_to=claim_url(evidence.verdict.claim_id) + "#evidence",
    )


@workspace_view(methods=("POST",))
def evidence_refetch_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceSource.objects.select_related("verdict"), pk=evidence_id)
    return run_action(
        request,
        lambda: evidence_refetch(actor=request.user, evidence_id=evidence_id),
        success=_("Fetching the page again."),
        redirect_to=claim_url(evidence.verdict.claim_id) + "#evidence",
    )


# Archived pages are untrusted HTML: served inert, in a sandbox with no scripts, no same-origin
# access and no external requests, and never sniffed into another type.
ARCHIVE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


INLINE_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


def _stored(blob) -> bytes:
    data = bytes(blob)
    try:
        return zlib.decompress(data)
    except zlib.error:  # stored uncompressed by an older version or an import
        return data


def _inert(content: bytes, content_type: str) -> HttpResponse:
    inline = (content_type or "").startswith(INLINE_TYPES)
    response = HttpResponse(
        content, content_type=content_type if inline else "application/octet-stream"
    )
    if not inline:  # PDFs and the like are downloaded, never rendered from our origin
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = ARCHIVE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@workspace_view()
def evidence_archive(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceSource, pk=evidence_id)
    if not evidence.archived_copy:
        raise Http404(_("No archived copy yet."))
    return _inert(_stored(evidence.archived_copy), evidence.archived_content_type)


@workspace_view()
def article_copy(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article as stored: the fetched page if we have it, else its extracted text."""
    article = get_object_or_404(Article, pk=article_id)
    if article.raw_page:
        return _inert(_stored(article.raw_page), article.raw_content_type)
    return _inert(article.text.encode(), "text/plain; charset=utf-8")
