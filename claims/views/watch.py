"""The watchlist page and the Follow / Unfollow buttons (claim page: its group; article page:
its outlet)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims.exceptions import (
    ClaimTrackerError,
    ConflictError,
    InvalidInputError,
    PermissionDeniedError,
)
from claims.models import ClaimGroup, Outlet, Speaker, WatchRule
from claims.services.watch import watch_rule_add, watch_rule_remove
from claims.views.base import run_action, safe_next


@login_required
@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    return _watchlist_page(request)


def _watchlist_page(
    request: HttpRequest, *, topic: str = "", topic_error: str = "", status: int = 200
) -> HttpResponse:
    rules = WatchRule.objects.filter(user=request.user).select_related(
        "speaker", "outlet", "group__representative"
    )
    context = {
        "rules": rules,
        "kinds": WatchRule.Kind.choices,
        "topic": topic,
        "topic_error": topic_error,
        "nav": "watchlist",
    }
    return render(request, "claims/watchlist.html", context, status=status)


def _follow(request: HttpRequest) -> WatchRule:
    kind = request.POST.get("kind", "")
    target = request.POST.get("target", "").strip()
    targets = {}
    if kind == WatchRule.Kind.TOPIC:
        targets["topic"] = target
    elif kind in (WatchRule.Kind.SPEAKER, WatchRule.Kind.OUTLET, WatchRule.Kind.GROUP):
        if not target.isdigit():
            raise InvalidInputError(_("Say what to follow."))
        model = {"speaker": Speaker, "outlet": Outlet, "group": ClaimGroup}[kind]
        targets[kind] = get_object_or_404(model, pk=int(target))
    return watch_rule_add(user=request.user, kind=kind, **targets)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    if request.POST.get("kind") == WatchRule.Kind.TOPIC and not getattr(request, "htmx", False):
        # The watchlist's own topic form: a refusal stands beside the field (issue #14).
        try:
            _follow(request)
        except (PermissionDeniedError, ConflictError):
            raise
        except ClaimTrackerError as exc:
            topic = request.POST.get("target", "")
            return _watchlist_page(request, topic=topic, topic_error=exc.message, status=400)
        messages.success(request, _("You follow it now."))
        return HttpResponseRedirect(reverse("notifications:watchlist"), status=303)
    return run_action(
        request,
        lambda: _follow(request),
        success=_("You follow it now."),
        redirect_to=safe_next(request, reverse("notifications:watchlist")),
    )


@login_required
@require_POST
def unfollow(request: HttpRequest, rule_id: int) -> HttpResponse:
    return run_action(
        request,
        lambda: watch_rule_remove(user=request.user, rule_id=rule_id),
        success=_("You no longer follow it."),
        redirect_to=safe_next(request, reverse("notifications:watchlist")),
    )
