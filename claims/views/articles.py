"""Articles in the workspace: submit a URL, a file or pasted text; follow its processing."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from claims.exceptions import InvalidInputError
from claims.forms import InlineErrorsMixin
from claims.models import Article
from claims.selectors.articles import article_list, article_progress, article_with_claims
from claims.services.ingestion import article_submit
from claims.views.base import workspace_view

ADD_ARTICLE = "claims.add_article"
VIEW_ARTICLE = "claims.view_article"
MAX_UPLOAD = 10 * 1024 * 1024


class ArticleSubmitForm(InlineErrorsMixin, forms.Form):
    url = forms.URLField(
        label=_("Address (URL)"),
        required=False,
        assume_scheme="https",
        help_text=_("Fetched by the workers; with a file or text it records where it came from."),
    )
    file = forms.FileField(label=_("Or an HTML or text file"), required=False)
    text = forms.CharField(label=_("Or paste the text"), required=False, widget=forms.Textarea)
    title = forms.CharField(label=_("Title"), required=False, max_length=1000)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        suffix = upload.name.rsplit(".", 1)[-1].lower()
        if suffix not in {"html", "htm", "txt"}:
            raise forms.ValidationError(_("Upload an .html, .htm or .txt file."))
        return upload

    def clean(self):
        data = super().clean()
        given = [bool(data.get("file")), bool((data.get("text") or "").strip())]
        if sum(given) > 1:
            raise forms.ValidationError(_("Give a file or a text, not both."))
        if not any(given) and not data.get("url"):
            raise forms.ValidationError(_("Give an address, a file or a text."))
        return data


@workspace_view(perm=ADD_ARTICLE, methods=("GET", "POST"))
def article_submit_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ArticleSubmitForm(request.POST, request.FILES)
    else:
        form = ArticleSubmitForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kwargs = {"url": data["url"] or None, "title": data["title"], "submitted_by": request.user}
        upload = data.get("file")
        if upload is not None:
            content = upload.read()
            if upload.name.lower().endswith(".txt"):
                kwargs["text"] = content.decode("utf-8", errors="replace")
            else:
                kwargs["html"] = content
            source = Article.Source.FILE
        elif data["text"].strip():
            kwargs["text"] = data["text"]
            source = Article.Source.TEXT
        else:
            source = Article.Source.URL
        try:
            article = article_submit(source=source, **kwargs)
        except InvalidInputError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("articles:detail", article_id=article.pk)
    # A refused submission answers 400, so scripts and tests see it was refused.
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "claims/article_submit.html", {"form": form, "nav": "articles"}, status=status
    )


@workspace_view(perm=VIEW_ARTICLE)
def article_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Article.Status.values:
        status = ""
    page = Paginator(article_list(status=status or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/article_list.html",
        {"page": page, "status": status, "statuses": Article.Status.choices, "nav": "articles"},
    )


@workspace_view(perm=VIEW_ARTICLE)
def article_detail_view(request: HttpRequest, article_id: int) -> HttpResponse:
    get_object_or_404(Article, pk=article_id)
    article = article_with_claims(article_id=article_id)
    units = article.claims.all()
    claims = sorted((c for c in units if c.candidate), key=lambda c: (-c.score, c.index))
    context_sentences = sorted((c for c in units if not c.candidate), key=lambda c: c.index)
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "context_sentences": context_sentences,
            **_progress_context(article.status),
            "nav": "articles",
        },
    )


# The stages an article goes through, in order: the progress bar's steps.
STAGES = [Article.Status.QUEUED, Article.Status.FETCHING, Article.Status.EXTRACTING]


def _progress_context(status: str) -> dict:
    in_flight = status not in (Article.Status.DONE, Article.Status.FAILED)
    step = STAGES.index(status) + 1 if in_flight else len(STAGES)
    return {
        "in_flight": in_flight,
        "step": step,
        "steps": len(STAGES),
        "status_label": Article.Status(status).label,
    }


@workspace_view(perm=VIEW_ARTICLE)
def article_progress_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article page polls this small partial while the workers process the article; once
    it is done or failed the page reloads whole, with its claims (or the reason)."""
    progress = article_progress(article_id=article_id)
    if progress is None:
        raise Http404
    context = {"article": progress, **_progress_context(progress["status"])}
    response = render(request, "claims/partials/article_progress.html", context)
    if not context["in_flight"] and request.htmx:
        response["HX-Refresh"] = "true"
    return response
