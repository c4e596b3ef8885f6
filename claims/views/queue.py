"""The claim queue: filters in the URL, saved filters, bulk and keyboard actions."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.exceptions import (
    ClaimTrackerError,
    ConflictError,
    InvalidInputError,
    PermissionDeniedError,
)
from claims.forms import BulkForm, SavedFilterForm
from claims.models import Claim
from claims.selectors.factchecks import factcheck_badges
from claims.selectors.groups import claim_group_summary, claim_suggestion_count, group_verdicts
from claims.selectors.partials import saved_filters_of
from claims.selectors.queue import PAGE_SIZE, CappedPaginator, assignable_users, claim_queue
from claims.services.claims import claims_bulk_assign, claims_bulk_dismiss
from claims.services.saved_filters import clean_query, saved_filter_delete, saved_filter_save

from .base import run_action, safe_next, workspace_view


def home(request: HttpRequest) -> HttpResponse:
    """`/`: the queue for people who work claims, the login page for everybody else."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('login')}?next={reverse('claims:queue')}")
    return HttpResponseRedirect(reverse("claims:queue"))


@workspace_view()
def queue(request: HttpRequest) -> HttpResponse:
    context = queue_context(request, request.GET, current_url=request.get_full_path())
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "claims/partials/queue_results.html", context)
    return render(request, "claims/queue.html", context)


def queue_context(
    request: HttpRequest,
    params: QueryDict,
    *,
    current_url: str,
    bulk_form: BulkForm | None = None,
    saved_filter_form: SavedFilterForm | None = None,
) -> dict:
    """The queue page for ``params``; also shown again, with the posted form's errors, by the
    queue's own forms (issue #14), so the error stands beside the field that caused it."""
    filterset = claim_queue(user=request.user, params=params)
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    # One reverse() per page instead of four per row (a fifth of the render time at 50 rows).
    base = reverse("claims:claim", args=[0]).removesuffix("0/")
    rows = list(page.object_list)
    group_ids = [c.group_id for c in rows if c.group_id]
    summaries = claim_group_summary(group_ids)
    checked = group_verdicts(group_ids)
    suggestions = claim_suggestion_count(c.pk for c in rows)
    factchecks = factcheck_badges(c.pk for c in rows)
    for claim in rows:
        claim.href = f"{base}{claim.pk}/"
        claim.group_summary = summaries.get(claim.group_id)
        claim.checked_verdict = checked.get(claim.group_id)
        claim.suggestion_count = suggestions.get(claim.pk, 0)
        claim.factcheck_badge = factchecks.get(claim.pk)
    params = params.copy()
    params.pop("page", None)
    query = clean_query(params.urlencode())
    users = assignable_users()
    return {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "query": query,
        "page_query": query,
        "users": users,
        "bulk_form": bulk_form or BulkForm(users=users),
        "bulk_checked": bulk_form.checked_ids() if bulk_form else set(),
        "saved_filter_form": saved_filter_form or SavedFilterForm(),
        "saved_filters": saved_filters_of(user=request.user),
        "dismiss_reasons": Claim.DismissReason.choices,
        "current_url": current_url,
        "nav": "queue",
    }


def queue_again(request: HttpRequest, current_url: str, **forms) -> HttpResponse:
    """The queue at ``current_url`` with an invalid form: 400, the user's input kept."""
    params = QueryDict(urlsplit(current_url).query)
    context = queue_context(request, params, current_url=current_url, **forms)
    return render(request, "claims/queue.html", context, status=400)


@workspace_view(methods=("POST",))
def queue_bulk(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("claims:queue"))
    form = BulkForm(request.POST, users=assignable_users())
    if not form.is_valid():
        return queue_again(request, back, bulk_form=form)
    ids = form.cleaned_data["ids"]
    try:
        if form.cleaned_data["action"] == "dismiss":
            count = claims_bulk_dismiss(
                actor=request.user, claim_ids=ids, reason=form.cleaned_data.get("reason") or ""
            )
        else:
            try:
                assignee_id = assignee_from(request, form.cleaned_data.get("assignee") or "")
            except InvalidInputError as exc:
                form.add_error("assignee", exc.message)
                return queue_again(request, back, bulk_form=form)
            count = claims_bulk_assign(actor=request.user, claim_ids=ids, assignee_id=assignee_id)
    except (PermissionDeniedError, ConflictError):
        raise
    except ClaimTrackerError as exc:
        form.add_error(None, exc.message)
        return queue_again(request, back, bulk_form=form)
    messages.success(
        request,
        ngettext("%(count)d claim updated.", "%(count)d claims updated.", count) % {"count": count},
    )
    return HttpResponseRedirect(back, status=303)


def assignee_from(request: HttpRequest, value: str) -> int | None:
    """ "me", "none"/"" or a user id, as posted by the assign controls."""
    value = value.strip()
    if value == "me":
        return request.user.pk
    if value in ("", "none"):
        return None
    if value.isdigit():
        return int(value)
    raise InvalidInputError(_("Choose a person from the list."))


@workspace_view(methods=("POST",))
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    query = clean_query(request.POST.get("query", ""))
    back = f"{reverse('claims:queue')}?{query}" if query else reverse("claims:queue")
    if form.is_valid():
        try:
            saved_filter_save(actor=request.user, name=form.cleaned_data["name"], query=query)
        except (PermissionDeniedError, ConflictError):
            raise
        except ClaimTrackerError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Filter saved."))
            return HttpResponseRedirect(back, status=303)
    return queue_again(request, back, saved_filter_form=form)


@workspace_view(methods=("POST",))
def saved_filter_remove(request: HttpRequest, filter_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: saved_filter_delete(actor=request.user, filter_id=filter_id),
        success=_("Filter deleted."),
        redirect_to=reverse("claims:queue"),
    )


def queue_url(**params: str) -> str:
    return f"{reverse('claims:queue')}?{urlencode(params)}"
