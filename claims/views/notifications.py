"""The inbox, the unread count in the top bar (an htmx partial), marking read, email settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims.models import Notification, NotificationPreference
from claims.services.notifications import (
    notification_mark_read,
    notification_preferences_update,
    notifications_unread,
)
from claims.views.base import safe_next


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).only(
        "id", "kind", "title", "body", "url", "read_at", "created_at"
    )
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/inbox.html",
        {"page": page, "unread_only": bool(request.GET.get("unread")), "nav": "inbox"},
    )


@login_required
@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The top bar's badge; htmx polls it."""
    count = notifications_unread(user=request.user).count()
    return render(request, "claims/partials/unread_count.html", {"unread_count": count})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=notification_id)
    if getattr(request, "htmx", False):
        count = notifications_unread(user=request.user).count()
        response = render(
            request, "claims/partials/unread_count.html", {"unread_count": count, "oob": True}
        )
        return response
    return HttpResponseRedirect(safe_next(request, reverse("notifications:inbox")), status=303)


@login_required
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link and mark it read on the way."""
    note = Notification.objects.filter(recipient=request.user, pk=notification_id).first()
    if note is None:
        return HttpResponseRedirect(reverse("notifications:inbox"))
    notification_mark_read(user=request.user, notification_id=note.pk)
    target = note.url if note.url.startswith("/") and not note.url.startswith("//") else ""
    return HttpResponseRedirect(target or reverse("notifications:inbox"))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = NotificationPreference.objects.filter(user=request.user).first()
    kinds = Notification.Kind.choices
    if request.method == "POST":
        wanted = [k for k, _label in kinds if request.POST.get(f"email_{k}")]
        # The language chosen, else the UI language in use now: the user's last-used language.
        language = request.POST.get("language") or getattr(request, "LANGUAGE_CODE", None)
        if language not in dict(settings.LANGUAGES):
            language = None
        notification_preferences_update(user=request.user, email_kinds=wanted, language=language)
        messages.success(request, _("Your notification settings were saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"), status=303)
    choices = [
        {"kind": k, "label": label, "on": pref is None or pref.emails(k)} for k, label in kinds
    ]
    return render(
        request,
        "claims/notification_settings.html",
        {
            "choices": choices,
            "has_email": bool(request.user.email),
            "nav": "inbox",
            "languages": settings.LANGUAGES,
            "language": pref.language if pref else getattr(request, "LANGUAGE_CODE", ""),
        },
    )
