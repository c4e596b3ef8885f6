"""A form that is too large for Django's limit answers with the form and a clear message.

Django refuses a POST whose form fields (not files) pass ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB)
with ``RequestDataTooBig``, raised wherever ``request.POST`` is first read (the CSRF check), which
ends on a bare "Bad Request" page. A pasted article of that size is a real case: this middleware
reads the form first and, when it is too large, answers 413 with the article form and the message
beside the text field (the file upload takes up to 10 MB), or a short page for any other form.
Nothing is done with the request, so answering without the CSRF check is safe.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _limit_mb() -> str:
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


class FormTooLargeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not request.path.startswith("/api/")
        ):
            try:
                request.POST  # noqa: B018 - read here, so the error is ours to answer
            except RequestDataTooBig:
                return self._too_large(request)
        return self.get_response(request)

    def _too_large(self, request: HttpRequest) -> HttpResponse:
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        user = getattr(request, "user", None)
        if name == "articles:submit" and user is not None and user.has_perm("claims.add_article"):
            from claims.views.articles import ArticleSubmitForm

            form = ArticleSubmitForm(data={})
            form.errors.clear()
            form.add_error(
                "text",
                _(
                    "The pasted text is larger than %(limit)s MB, the most a form takes. Save it"
                    " as a .txt file and upload it above instead (up to 10 MB)."
                )
                % {"limit": _limit_mb()},
            )
            return render(
                request,
                "claims/article_submit.html",
                {"form": form, "nav": "articles"},
                status=413,
            )
        message = _("What you sent is larger than %(limit)s MB, the most a form takes.") % {
            "limit": _limit_mb()
        }
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
