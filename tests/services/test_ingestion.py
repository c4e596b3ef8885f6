"""Ingestion services against the real database and a local HTTP server (fetch stage only)."""

from __future__ import annotations

import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.exceptions import InvalidInputError
from claims.models import Article
from claims.services.claim_extraction import article_extract_claims
from claims.services.ingestion import (
    TransientFetchError,
    article_fetch,
    article_reprocess,
    article_submit,
    raw_page_bytes,
)
from claims.services.pipeline import articles_requeue_stale
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory
from tests.ingest.server import PAGES_DIR, LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_fetching(settings):
    """The explicit test-only allowlist; the default settings refuse 127.0.0.1."""
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }


@pytest.fixture(scope="module")
def server():
    with LocalServer() as srv:
        srv.add_page("/de", "article_de.html")
        srv.add_page("/de-copy", "article_de.html")
        srv.add("/missing", status=404, body=b"<html><body>gone</body></html>")
        srv.add("/broken", status=503, body=b"busy")
        srv.add("/image", body=b"\x89PNG\r\n\x1a\n" + b"\0" * 512, content_type="image/png")
        srv.add("/slow", body=b"<html></html>", delay=6)
        srv.add_page("/empty-article", "no_main_text.html")
        yield srv


def submit(url: str) -> Article:
    return article_submit(source=Article.Source.URL, url=url, enqueue=False)


def test_same_canonical_url_is_one_article():
    first = submit("https://News.example/a?utm_source=x&id=1#top")
    again = submit("https://news.example/a?id=1")

    assert again.pk == first.pk
    assert Article.objects.count() == 1
    assert first.url == "https://news.example/a?id=1"


def test_outlet_is_attributed_by_domain():
    outlet = OutletFactory(name="Zeit", domain="www.zeit.de")
    article = submit("https://zeit.de/politik/story")
    assert article.outlet == outlet


@pytest.mark.parametrize(
    "kwargs",
    [{"url": "file:///etc/passwd"}, {"url": "ftp://example.org/x"}, {"text": "   "}, {}],
)
def test_unusable_input_is_refused_with_a_message(kwargs):
    with pytest.raises(InvalidInputError) as exc:
        article_submit(source=Article.Source.URL, enqueue=False, **kwargs)
    assert exc.value.message
    assert Article.objects.count() == 0


def test_fetch_stores_raw_page_and_main_text(local_fetching, server):
    article = submit(server.url("/de"))

    article_fetch(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTING
    assert raw_page_bytes(article) == (PAGES_DIR / "article_de.html").read_bytes()
    assert zlib.decompress(bytes(article.raw_page))
    assert article.language == "de"
    assert article.title
    assert len(article.text) > 200
    assert article.content_hash and article.fetched_at


def test_an_uploaded_page_is_kept_as_it_was_through_processing():
    # The stored page is not loaded again when the extracted text is written: it must survive.
    html = (PAGES_DIR / "article_de.html").read_bytes()
    article = article_submit(source=Article.Source.FILE, html=html, enqueue=False)

    article_fetch(article_id=article.pk, enqueue=False)
    article_extract_claims(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.DONE and len(article.text) > 200
    assert raw_page_bytes(article) == html and article.raw_size == len(html)
    assert article.claims.count() > 5


def test_loopback_is_refused_by_default(server):
    server.add_page("/never", "article_de.html")
    article = submit(server.url("/never"))

    article_fetch(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error_reason == "blocked_address"
    assert server.seen("/never") == []


@pytest.mark.parametrize(
    ("path", "reason", "words"),
    [
        ("/missing", "http_status", "404"),
        ("/image", None, "image"),
        ("/empty-article", "no_main_text", ""),
    ],
)
def test_bad_pages_end_failed_with_a_readable_reason(local_fetching, server, path, reason, words):
    article = submit(server.url(path))

    article_fetch(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error
    if reason:
        assert article.error_reason == reason
    assert words.lower() in article.error.lower()


def test_transient_errors_are_retried_then_fail(local_fetching, server):
    article = submit(server.url("/broken"))

    with pytest.raises(TransientFetchError):
        article_fetch(article_id=article.pk, final_attempt=False)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert "503" in article.error

    article_fetch(article_id=article.pk, final_attempt=True)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED


def test_timeout_is_transient(local_fetching, server):
    article = submit(server.url("/slow"))
    with pytest.raises(TransientFetchError):
        article_fetch(article_id=article.pk, final_attempt=False)


def test_fetch_is_idempotent_once_past_fetching(local_fetching, server):
    article = submit(server.url("/de"))
    before = len(server.seen("/de"))
    article_fetch(article_id=article.pk)
    article_fetch(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTING
    assert article.attempts == 0  # the extraction's own tries count from here
    assert len(server.seen("/de")) == before + 1


def test_same_content_at_another_url_is_marked_duplicate(local_fetching, server):
    first = submit(server.url("/de"))
    article_fetch(article_id=first.pk)
    second = submit(server.url("/de-copy"))
    article_fetch(article_id=second.pk)

    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk


def test_the_duplicate_lookups_read_no_other_articles_page_or_text(local_fetching, server):
    """Marking a duplicate (same content, or a canonical URL another article has) needs the other
    article's id only, not its stored page (up to the 10 MiB fetch cap) and text."""
    first = submit(server.url("/de"))
    article_fetch(article_id=first.pk)
    second = submit(server.url("/de-copy"))
    with CaptureQueriesContext(connection) as queries:
        article_fetch(article_id=second.pk)

    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk
    other_rows = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "claims_article"' in q["sql"]
        # not the article's own row (locked by id, read without its page where unused)
        and not q["sql"]
        .split("WHERE", 1)[-1]
        .strip()
        .startswith(f'"claims_article"."id" = {second.pk}')
    ]
    assert len(other_rows) >= 2  # the content-hash and the canonical-URL lookups
    for sql in other_rows:
        selected = sql.split(" FROM ", 1)[0]
        assert '"claims_article"."raw_page"' not in selected
        assert '"claims_article"."text"' not in selected


def test_failed_url_submitted_again_is_queued_again():
    article = ArticleFactory(
        status=Article.Status.FAILED, error="timeout", url="https://x.example/a"
    )
    again = submit("https://x.example/a")
    assert again.pk == article.pk
    assert again.status == Article.Status.QUEUED and again.error == ""


def test_reprocess_keeps_claims_reviewers_touched():
    article = ArticleFactory()
    untouched = ClaimFactory(article=article, index=0)
    selected = ClaimFactory(article=article, index=1, status="selected")

    article_reprocess(article=article, enqueue=False)

    assert not type(untouched).objects.filter(pk=untouched.pk).exists()
    assert type(selected).objects.filter(pk=selected.pk).exists()
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED


def test_stale_articles_are_queued_again():
    # Eager quick start (no ledger): only work older than the 15-minute age rule is sent again.
    stuck = ArticleFactory(status=Article.Status.FETCHING)
    ArticleFactory(status=Article.Status.DONE, matched_at=timezone.now())
    Article.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    assert articles_requeue_stale() == 1


def test_page_without_article_text_keeps_its_raw_copy(local_fetching, server):
    article = submit(server.url("/empty-article"))

    article_fetch(article_id=article.pk)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert raw_page_bytes(article) == (PAGES_DIR / "no_main_text.html").read_bytes()
