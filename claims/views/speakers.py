"""Speakers in the desk: the list, a speaker's record, and the reviewers' corrections.

Reviewers and editors (``claims.work_claim``) see and change speakers; every change goes through
:mod:`claims.services.speaker_review`, which keeps the history.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.exceptions import ClaimTrackerError, ConflictError, PermissionDeniedError
from claims.forms import (
    ClaimSpeakerForm,
    SpeakerAliasForm,
    SpeakerForm,
    SpeakerMergeForm,
    SpeakerSplitForm,
)
from claims.models import Speaker
from claims.selectors.speakers import (
    ratings_by_month,
    speaker_claims,
    speaker_detail,
    speaker_history,
    speaker_list,
    speaker_repeated_groups,
)
from claims.services.speaker_review import (
    claim_speaker_set,
    speaker_alias_add,
    speaker_alias_remove,
    speaker_confirm,
    speaker_merge,
    speaker_split,
    speaker_update,
)

from .base import run_action, safe_next, workspace_view

PAGE_SIZE = 100
HISTORY_LIMIT = 30


def speaker_url(speaker_id: int) -> str:
    return reverse("claims:speaker", args=[speaker_id])


@workspace_view()
def speakers(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    rows = list(speaker_list(query=query, status=status)[:PAGE_SIZE])
    return render(
        request,
        "claims/speaker_list.html",
        {
            "speakers": rows,
            "q": query,
            "status": status,
            "statuses": Speaker.Status.choices,
            "nav": "speakers",
        },
    )


@workspace_view()
def speaker_page(request: HttpRequest, speaker_id: int) -> HttpResponse:
    return render(request, "claims/speaker_detail.html", speaker_context(speaker_id))


def speaker_context(speaker_id: int, **forms) -> dict:
    """The speaker page; ``forms`` replaces one of its forms by the posted, invalid one."""
    speaker = speaker_detail(speaker_id=speaker_id)
    if speaker is None:
        raise Http404(_("No such speaker."))
    claims = list(speaker_claims(speaker_id=speaker_id))
    labels, months = ratings_by_month(claims)
    history = speaker_history(speaker_id=speaker_id, limit=HISTORY_LIMIT)
    split_form = forms.get("split_form")
    return {
        "speaker": speaker,
        "claims": claims,
        "labels": labels,
        "months": months,
        "peak": max((m.total for m in months), default=0),
        "groups": list(speaker_repeated_groups(speaker_id=speaker_id)),
        "history": history,
        "form": forms.get("form")
        or SpeakerForm(
            initial={
                "name": speaker.name,
                "kind": speaker.kind,
                "role": speaker.role,
                "organisation": speaker.organisation,
                "wikidata_qid": speaker.wikidata_qid,
            }
        ),
        # One page, four forms: distinct ids so every label names its own field.
        "alias_form": forms.get("alias_form") or SpeakerAliasForm(auto_id="alias_%s"),
        "merge_form": forms.get("merge_form") or SpeakerMergeForm(auto_id="merge_%s"),
        "split_form": split_form or SpeakerSplitForm(auto_id="split_%s"),
        "split_checked": set(split_form.data.getlist("claims")) if split_form else set(),
        "nav": "speakers",
    }


def _invalid(request: HttpRequest, speaker_id: int, **forms) -> HttpResponse:
    """The speaker page again (400) with the posted form, its input and errors inline."""
    return render(
        request, "claims/speaker_detail.html", speaker_context(speaker_id, **forms), status=400
    )


def _act(
    request: HttpRequest,
    speaker_id: int,
    form_key: str,
    form,
    action,
    *,
    success: str,
    redirect_to: str,
) -> HttpResponse:
    """Run a service call; refused input shows beside the form that sent it."""
    try:
        action()
    except (PermissionDeniedError, ConflictError):
        raise
    except ClaimTrackerError as exc:
        form.add_error(None, exc.message)
        return _invalid(request, speaker_id, **{form_key: form})
    messages.success(request, success)
    return HttpResponseRedirect(redirect_to, status=303)


@workspace_view(methods=("POST",))
def speaker_edit_view(request: HttpRequest, speaker_id: int) -> HttpResponse:
    form = SpeakerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, speaker_id, form=form)
    return _act(
        request,
        speaker_id,
        "form",
        form,
        lambda: speaker_update(actor=request.user, speaker_id=speaker_id, **form.cleaned_data),
        success=_("Speaker saved."),
        redirect_to=speaker_url(speaker_id),
    )


@workspace_view(methods=("POST",))
def speaker_confirm_view(request: HttpRequest, speaker_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: speaker_confirm(actor=request.user, speaker_id=speaker_id),
        success=_("Speaker confirmed."),
        redirect_to=safe_next(request, speaker_url(speaker_id)),
    )


@workspace_view(methods=("POST",))
def speaker_alias_add_view(request: HttpRequest, speaker_id: int) -> HttpResponse:
    form = SpeakerAliasForm(request.POST, auto_id="alias_%s")
    if not form.is_valid():
        return _invalid(request, speaker_id, alias_form=form)
    return _act(
        request,
        speaker_id,
        "alias_form",
        form,
        lambda: speaker_alias_add(actor=request.user, speaker_id=speaker_id, **form.cleaned_data),
        success=_("Alias added."),
        redirect_to=speaker_url(speaker_id),
    )


@workspace_view(methods=("POST",))
def speaker_alias_remove_view(request: HttpRequest, speaker_id: int, alias_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: speaker_alias_remove(actor=request.user, alias_id=alias_id),
        success=_("Alias removed."),
        redirect_to=speaker_url(speaker_id),
    )


@workspace_view(methods=("POST",))
def speaker_merge_view(request: HttpRequest, speaker_id: int) -> HttpResponse:
    form = SpeakerMergeForm(request.POST, auto_id="merge_%s")
    if not form.is_valid():
        return _invalid(request, speaker_id, merge_form=form)
    into = form.cleaned_data["into"]
    return _act(
        request,
        speaker_id,
        "merge_form",
        form,
        lambda: speaker_merge(actor=request.user, speaker_id=speaker_id, into_id=into),
        success=_("Speakers merged."),
        redirect_to=speaker_url(into),
    )


@workspace_view(methods=("POST",))
def speaker_split_view(request: HttpRequest, speaker_id: int) -> HttpResponse:
    form = SpeakerSplitForm(request.POST, auto_id="split_%s")
    if not form.is_valid():
        return _invalid(request, speaker_id, split_form=form)
    data = form.cleaned_data
    return _act(
        request,
        speaker_id,
        "split_form",
        form,
        lambda: speaker_split(
            actor=request.user,
            speaker_id=speaker_id,
            claim_ids=data["claims"],
            name=data["name"],
            role=data["role"],
        ),
        success=_("The chosen claims now belong to a new speaker."),
        redirect_to=speaker_url(speaker_id),
    )


@workspace_view(methods=("POST",))
def claim_speaker_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    from .claim import claim_context, load_claim

    form = ClaimSpeakerForm(request.POST)
    back = safe_next(request, reverse("claims:claim", args=[claim_id]))
    if form.is_valid():
        try:
            claim_speaker_set(
                actor=request.user, claim_id=claim_id, speaker_id=form.cleaned_data["speaker"]
            )
        except (PermissionDeniedError, ConflictError):
            raise
        except ClaimTrackerError as exc:
            form.add_error("speaker", exc.message)
        else:
            messages.success(request, _("Speaker corrected."))
            return HttpResponseRedirect(back, status=303)
    # Shown again beside the field on the claim page, the input kept (issue #14).
    context = claim_context(request, load_claim(claim_id), claim_speaker_form=form)
    return render(request, "claims/claim_detail.html", context, status=400)
