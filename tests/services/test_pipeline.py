"""The pipeline's routing and its fault handling (issue #17, Reliability and Code health).

Faults that cannot be produced on time by the real thing (a soft time limit that fires exactly
inside the encoder) are injected at that point; the rest runs for real.
"""

from __future__ import annotations

import ast
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from claims import tasks
from claims.models import Article
from claims.services import claim_extraction, matching
from claims.services.claim_extraction import MAX_EXTRACT_ATTEMPTS, article_extract_claims
from claims.services.ingestion import article_fetch, article_submit
from claims.services.pipeline import article_next_task, articles_requeue_stale, fail_article
from tests.factories import ArticleFactory, ClaimFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db
Status = Article.Status
CLAIMS = Path(__file__).resolve().parents[2] / "claims"


def test_each_state_maps_to_its_next_task():
    assert article_next_task(status=Status.QUEUED) is tasks.article_fetch_task
    assert article_next_task(status=Status.FETCHING) is tasks.article_fetch_task
    assert article_next_task(status=Status.EXTRACTING) is tasks.article_extract_claims_task
    assert article_next_task(status=Status.DONE, matched=False) is tasks.claim_match_article_task
    assert article_next_task(status=Status.DONE, matched=True) is None
    assert article_next_task(status=Status.FAILED, matched=False) is None


def test_the_sweep_recovers_lost_matching(django_capture_on_commit_callbacks):
    # A worker killed while matching left a done article unmatched: the sweep covers matching.
    article = ArticleFactory(status=Status.DONE, matched_at=None)
    ClaimFactory(article=article, checkworthy=True)
    finished = ArticleFactory(status=Status.DONE, matched_at=timezone.now())
    Article.objects.update(updated_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert articles_requeue_stale() == 1

    article.refresh_from_db()
    assert article.matched_at is not None
    finished.refresh_from_db()
    assert finished.matched_at < article.matched_at


def test_every_sweep_task_is_in_the_beat_schedule():
    # A sweep is a task without arguments: it finds its own work, so only beat can start it.
    sweeps = {
        task.name
        for _, task in inspect.getmembers(tasks)
        if (getattr(task, "name", None) or "").startswith("claims.tasks.")
        and not inspect.signature(task.run).parameters
    }
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sweeps >= {
        "claims.tasks.articles_requeue_stale_task",
        "claims.tasks.webhooks_retry_due_task",
    }
    assert sweeps <= scheduled, f"not scheduled: {sorted(sweeps - scheduled)}"


def test_lost_work_is_looked_for_within_seconds():
    entries = settings.CELERY_BEAT_SCHEDULE.values()
    (requeue,) = [e for e in entries if e["task"].endswith("articles_requeue_stale_task")]
    assert requeue["schedule"] <= 30


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
    } | {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}


def test_one_enqueue_rule():
    # Every task is sent through claims.dispatch; services import tasks, tasks import services
    # only inside their bodies (no import circle).
    offenders = []
    for path in CLAIMS.rglob("*.py"):
        if path.name == "dispatch.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "super()" in line:
                continue  # PipelineTask.apply_async extends Celery's
            for needle in (".delay(", ".apply_async(", "on_commit(lambda", "send_task("):
                if needle in line:
                    offenders.append(f"{path.relative_to(CLAIMS)}:{number}: {needle}")
    assert offenders == []
    assert not {m for m in _module_imports(CLAIMS / "tasks.py") if m.startswith("claims.services")}


@pytest.fixture
def extracting():
    return ArticleFactory(status=Status.EXTRACTING, attempts=0)


def test_soft_time_limit_inside_the_encoder_fails_the_article(extracting, monkeypatch):
    def encoder_interrupted(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(matching, "claims_embed_new", encoder_interrupted)

    article_extract_claims(article_id=extracting.pk)

    extracting.refresh_from_db()
    assert extracting.status == Status.FAILED
    assert extracting.error_reason == "timeout"
    assert extracting.error == "Finding the claims took too long."
    assert not extracting.claims.exists()


def test_an_unexpected_error_is_stored_as_a_readable_reason(extracting, monkeypatch):
    def encoder_bug(**kwargs):
        raise KeyError("vector_table_3")

    monkeypatch.setattr(matching, "claims_embed_new", encoder_bug)

    article_extract_claims(article_id=extracting.pk)

    extracting.refresh_from_db()
    assert extracting.status == Status.FAILED
    assert extracting.error_reason == "nlp_error"
    assert "vector_table_3" not in extracting.error and "Internal error" not in extracting.error


def test_a_dead_connection_while_failing_the_article_is_retried(extracting, monkeypatch):
    from claimtracker.celery import app

    # Eager retries run one after another only without propagation (as in the quick start).
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)

    def encoder_interrupted(**kwargs):
        raise SoftTimeLimitExceeded()

    calls = []

    def connection_lost_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return fail_article(*args, **kwargs)

    monkeypatch.setattr(matching, "claims_embed_new", encoder_interrupted)
    monkeypatch.setattr(claim_extraction, "fail_article", connection_lost_once)

    tasks.article_extract_claims_task.apply(args=[extracting.pk])

    extracting.refresh_from_db()
    assert extracting.status == Status.FAILED
    assert extracting.error_reason == "timeout"
    assert len(calls) == 2 and extracting.attempts == 2


def test_extraction_has_an_attempt_cap(extracting):
    # Each earlier try was killed (hard time limit, a killed worker) before it could finish.
    Article.objects.filter(pk=extracting.pk).update(attempts=MAX_EXTRACT_ATTEMPTS)

    article_extract_claims(article_id=extracting.pk)

    extracting.refresh_from_db()
    assert extracting.status == Status.FAILED
    assert extracting.error_reason == "too_many_attempts"


def test_extraction_counts_its_tries(extracting):
    article_extract_claims(article_id=extracting.pk)

    extracting.refresh_from_db()
    assert extracting.status == Status.DONE
    assert extracting.attempts == 1
    assert extracting.claims.exists()


def test_resubmitting_a_page_with_another_canonical_url_returns_its_article(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
    }
    with LocalServer() as server:
        # The page names https://www.rheinische-tagespost.example/... as its canonical URL.
        server.add_page("/story", "article_de.html")
        url = server.url("/story?utm_source=feed")
        article = article_submit(source=Article.Source.URL, url=url, enqueue=False)
        article_fetch(article_id=article.pk)
        article.refresh_from_db()
        assert "rheinische-tagespost" in article.url

        again = article_submit(source=Article.Source.URL, url=url, enqueue=False)

        assert again.pk == article.pk
        assert Article.objects.count() == 1
        assert len(server.requests) == 1  # fetched once
