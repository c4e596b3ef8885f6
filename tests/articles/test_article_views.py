"""Submitting articles in the workspace and following their processing (eager tasks, SQLite)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.ingest.server import PAGES_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_anonymous_goes_to_login_and_no_role_is_forbidden(client, client_of):
    response = client.get(reverse("articles:submit"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    nobody = client_of(UserFactory(username="norole"))
    assert nobody.get(reverse("articles:list")).status_code == 403
    assert nobody.post(reverse("articles:submit"), {"text": "x"}).status_code == 403
    assert Article.objects.count() == 0


def test_refused_address_ends_failed_with_its_reason_shown(
    client_of, reviewer, django_capture_on_commit_callbacks
):
    c = client_of(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("articles:submit"), {"url": "http://127.0.0.1:8080/admin"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:detail", args=[article.pk])
    assert article.status == Article.Status.FAILED
    page = c.get(response["Location"]).content.decode()
    assert "127.0.0.1" in page and 'data-testid="article-error"' in page
    assert article.submitted_by == reviewer


def test_pasted_text_becomes_claims_listed_on_the_article(
    client_of, editor, django_capture_on_commit_callbacks
):
    c = client_of(editor)
    text = "Die Arbeitslosenquote stieg 2023 auf 5,7 Prozent, sagte die Ministerin. Schönes Wetter."
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("articles:submit"), {"text": text, "title": "Arbeitsmarkt"})

    article = Article.objects.get()
    assert article.status == Article.Status.DONE and article.source == Article.Source.TEXT
    page = c.get(response["Location"]).content.decode()
    assert "Arbeitslosenquote" in page and "Arbeitsmarkt" in page


def test_uploaded_html_file_is_extracted(client_of, reviewer, django_capture_on_commit_callbacks):
    c = client_of(reviewer)
    upload = SimpleUploadedFile("a.html", (PAGES_DIR / "article_en.html").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("articles:submit"), {"file": upload, "url": "https://news.example/x"})

    article = Article.objects.get()
    assert article.source == Article.Source.FILE
    assert article.status == Article.Status.DONE, article.error
    assert article.language == "en" and article.raw_page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give an address, a file or a text."),
        ({"text": "x", "file": SimpleUploadedFile("a.txt", b"y")}, "not both"),
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF")}, ".html, .htm or .txt"),
        ({"url": "ftp://example.org/x"}, "Only http and https"),
    ],
)
def test_bad_submissions_are_explained_and_store_nothing(client_of, reviewer, data, message):
    response = client_of(reviewer).post(reverse("articles:submit"), data)
    assert response.status_code == 400  # refused, with the form and its message
    assert message in response.content.decode()
    assert Article.objects.count() == 0


def test_list_filters_by_status_and_escapes_titles(client_of, reviewer):
    ArticleFactory(title="<script>alert(1)</script>", status=Article.Status.FAILED, error="404")
    ArticleFactory(title="Fine", status=Article.Status.DONE)
    c = client_of(reviewer)

    failed = c.get(reverse("articles:list"), {"status": "failed"}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in failed
    assert "<script>alert(1)" not in failed
    assert "Fine" not in failed
