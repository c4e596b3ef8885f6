"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``.

``code`` is stable and machine-readable (``invalid``, ``not_authenticated``, ``permission_denied``,
``not_found``, ``throttled``, ...); ``message`` is a sentence for humans; ``details`` carries the
per-field messages of a validation error (or ``retry_after`` when throttled), else ``null``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.exceptions import ClaimTrackerError

logger = logging.getLogger(__name__)

_DOMAIN_STATUS = {"permission_denied": 403, "conflict": 409, "not_found": 404}
_DEFAULT_MESSAGES = {
    "invalid": "The request has invalid parameters; see details.",
    "not_found": "Not found.",
}


def _flatten(details: Any, prefix: str = "") -> list[str]:
    if isinstance(details, dict):
        out: list[str] = []
        for key, value in details.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, "" if key == "non_field_errors" else name))
        return out
    if isinstance(details, list):
        out = []
        for item in details:
            out.extend(_flatten(item, prefix))
        return out
    return [f"{prefix}: {details}" if prefix else str(details)]


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: domain errors and DRF errors in the one shape above."""
    if isinstance(exc, ClaimTrackerError):
        code = exc.code or "invalid"
        return Response(error_body(code, exc.message), status=_DOMAIN_STATUS.get(code, 400))
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("too_large", "The request body is too large (at most 2.5 MB)."), status=413
        )
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("invalid", "The request could not be read."), status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", "Something went wrong on our side; it has been logged."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        details = response.data
        lines = _flatten(details)
        message = "Invalid request: " + "; ".join(lines) if lines else _DEFAULT_MESSAGES["invalid"]
        response.data = error_body("invalid", message, details)
    else:
        code = exc.get_codes()
        code = code if isinstance(code, str) else exc.default_code
        details = None
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after": int(exc.wait + 0.999)}
        response.data = error_body(code, str(exc.detail), details)
    return response


@csrf_exempt  # a JSON 404 for any method; there is nothing here to protect
def json_not_found(request, *args, **kwargs) -> JsonResponse:
    """For unknown paths under /api/: JSON like every other API error, not an HTML page."""
    return JsonResponse(
        error_body("not_found", f"No API endpoint at {request.path}. See /api/docs/."),
        status=404,
    )


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(help_text="What went wrong, for humans.")
    details = serializers.JSONField(
        allow_null=True,
        help_text="Per-field messages for `invalid`, `retry_after` for `throttled`.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
