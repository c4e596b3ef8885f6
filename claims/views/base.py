"""What every workspace view shares: login and role checks, domain errors to HTTP answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from claims.exceptions import ClaimTrackerError, ConflictError, PermissionDeniedError
from claims.services.claims import WORK_CLAIM, require_permission


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "claims/forbidden.html", {"message": message}, status=403)


def workspace_view(perm: str = WORK_CLAIM, methods: tuple[str, ...] = ("GET",)):
    """Login required (anonymous users go to the login page), then the role, checked by the
    same ``require_permission`` the services use; domain errors raised inside become answers."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                return HttpResponse(status=405, headers={"Allow": ", ".join(methods)})
            try:
                require_permission(request.user, perm)
                return view(request, *args, **kwargs)
            except PermissionDeniedError as exc:
                return forbidden(request, exc.message)
            except ConflictError as exc:
                return render(request, "claims/conflict.html", {"message": exc.message}, status=409)

        return wrapped

    return decorator


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def run_action(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str,
    redirect_to: str,
) -> HttpResponse:
    """Run a service call; success and domain errors become messages, then go back (303).

    Permission and conflict errors propagate to ``workspace_view`` (403 / 409). Other domain
    errors (invalid input) answer 400 for htmx requests, whose page stays as it is.
    """
    try:
        action()
    except (PermissionDeniedError, ConflictError):
        raise
    except ClaimTrackerError as exc:
        if getattr(request, "htmx", False):
            return render(
                request, "claims/partials/error.html", {"message": exc.message}, status=400
            )
        messages.error(request, exc.message)
        return HttpResponseRedirect(redirect_to, status=303)
    messages.success(request, success)
    response = HttpResponseRedirect(redirect_to)
    response.status_code = 303
    return response
