"""The fetch task retries transient errors only, then ends the article failed (eager mode)."""

from __future__ import annotations

import pytest

from claims.models import Article
from claims.services.ingestion import article_submit, retry_delay
from claims.tasks import article_fetch_task
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }
    with LocalServer() as srv:
        srv.add("/busy", status=503, body=b"busy", headers={"Retry-After": "7"})
        srv.add("/gone", status=404, body=b"gone")
        yield srv


def queued(url: str) -> Article:
    return article_submit(source=Article.Source.URL, url=url, enqueue=False)


def test_transient_error_is_retried_then_fails_with_reason(server, monkeypatch):
    from claimtracker.celery import app

    # Eager retries run one after another here only when eager errors are not propagated (as
    # in the quick start): Celery re-applies a retry with the app's propagation setting.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    article = queued(server.url("/busy"))

    article_fetch_task.apply(args=[article.pk])

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "503" in article.error
    assert len(server.seen("/busy")) == 1 + article_fetch_task.max_retries


def test_permanent_error_is_not_retried(server):
    article = queued(server.url("/gone"))

    article_fetch_task.apply(args=[article.pk])

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert len(server.seen("/gone")) == 1


def test_retry_delay_honours_retry_after_and_backs_off():
    assert 7 <= retry_delay(attempt=0, retry_after=7) <= 7 * 1.25
    assert 20 <= retry_delay(attempt=2) <= 25
    assert retry_delay(attempt=20) <= 600 * 1.25
