"""The ingestion pipeline through Redis and a real Celery worker on PostgreSQL, with faults."""

from __future__ import annotations

import subprocess
import time

import pytest
from django.db import transaction

from claims.models import Article, Feed
from claims.services.ingestion import article_submit
from claims.tasks import feeds_poll_due_task
from tests.factories import OutletFactory
from tests.ingest.server import LocalServer
from tests.integration.conftest import WorkerProcess, wait_for
from tests.integration.private_broker import SUBMIT, run_app


@pytest.fixture
def server():
    with LocalServer() as srv:
        srv.add_page("/de", "article_de.html")
        srv.add_page("/en", "article_en.html")
        yield srv


def submit(url: str) -> Article:
    with transaction.atomic():
        return article_submit(source=Article.Source.URL, url=url)


def finished(article: Article) -> Article | None:
    article.refresh_from_db()
    return article if article.status in (Article.Status.DONE, Article.Status.FAILED) else None


def test_worker_fetches_extracts_and_stores_claims(celery_worker_process, server):
    article = submit(server.url("/de"))

    wait_for(lambda: finished(article))

    assert article.status == Article.Status.DONE, article.error
    assert article.language == "de"
    assert article.raw_page is not None and article.raw_size > 0
    assert article.claims.count() > 3
    assert article.claims.filter(checkworthy=True).exists()


def test_bad_page_fails_with_reason_and_the_worker_goes_on(celery_worker_process, server):
    server.add("/missing", status=404, body=b"<html><body>gone</body></html>")
    broken = submit(server.url("/missing"))
    good = submit(server.url("/en"))

    wait_for(lambda: finished(broken) and finished(good))

    assert broken.status == Article.Status.FAILED
    assert "404" in broken.error
    assert good.status == Article.Status.DONE, good.error


def in_flight(article: Article) -> bool:
    article.refresh_from_db()
    return article.status == Article.Status.FETCHING


def test_killed_pool_process_task_runs_again_without_duplicates(celery_worker_process, server):
    # The page is slow enough that the kill lands while the first fetch still waits for it, even
    # on a loaded machine (CI saw a 3 s delay finish before the kill); below the 20 s fetch timeout.
    server.add_page("/slow", "article_de.html", delay=10)
    article = submit(server.url("/slow"))
    wait_for(lambda: in_flight(article), timeout=30, interval=0.05)

    children = celery_worker_process.children()
    assert children, "the prefork worker has a pool process"
    subprocess.run(["kill", "-9", *map(str, children)], check=True)

    wait_for(lambda: finished(article), timeout=120)
    assert article.status == Article.Status.DONE, article.error
    assert len(server.seen("/slow")) >= 2
    indices = list(article.claims.values_list("index", flat=True))
    assert len(indices) == len(set(indices)) > 0


def test_killed_worker_message_is_redelivered_to_a_new_worker(workers, server):
    server.add_page("/slow2", "article_en.html", delay=10)  # see the test above
    workers.running()
    article = submit(server.url("/slow2"))
    wait_for(lambda: in_flight(article), timeout=30, interval=0.05)

    workers.kill()
    workers.running()

    # The message returns after the visibility timeout (20 s in these tests).
    wait_for(lambda: finished(article), timeout=150)
    assert article.status == Article.Status.DONE, article.error
    assert len(server.seen("/slow2")) >= 2


def test_feed_poll_submits_new_entries_once(celery_worker_process, server):
    outlet = OutletFactory(name="Local News")
    entries = "".join(
        f"<item><title>Story {p}</title><link>{server.url(p)}</link><guid>{p}</guid></item>"
        for p in ("/de", "/en")
    )
    rss = f'<rss version="2.0"><channel><title>Local</title>{entries}</channel></rss>'
    server.add("/feed.xml", body=rss.encode(), content_type="application/rss+xml", etag='"v1"')
    feed = Feed.objects.create(outlet=outlet, url=server.url("/feed.xml"))

    feeds_poll_due_task.delay()
    wait_for(lambda: Article.objects.filter(feed=feed, status=Article.Status.DONE).count() == 2)

    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_error == ""
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=None)
    feeds_poll_due_task.delay()
    wait_for(lambda: len(server.seen("/feed.xml")) == 2)
    assert server.seen("/feed.xml")[1].headers.get("if-none-match") == '"v1"'
    assert Article.objects.filter(feed=feed).count() == 2


def test_redis_restart_worker_reconnects_and_processes(
    workers, worker_env, private_broker, server, tmp_path
):
    # The broker is the test's own: restarting the machine's Redis would break every other run
    # sharing it. The worker is connected and idle when the broker goes away.
    workers.stop()
    env = {**worker_env, "CELERY_BROKER_URL": private_broker.url}
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    try:
        private_broker.kill()
        time.sleep(2)
        private_broker.start()

        pk = int(run_app(SUBMIT, env, server.url("/en"), timeout=60))
        article = Article.objects.get(pk=pk)

        wait_for(lambda: finished(article), timeout=120)
        assert article.status == Article.Status.DONE, (article.error, worker.tail())
        assert article.claims.exists()
    finally:
        worker.stop()
