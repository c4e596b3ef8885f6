"""Faults against the real pipeline (worker, PostgreSQL, Redis): every article ends done or failed.

A database outage is a proxy cut for the worker alone; a broker restart without persistence is
the loss of everything in the test's own Redis database (what such a restart does to it); a
broker that is down is a port nobody listens on. The sweep is called here rather than waited for
from beat: its schedule (every 15 s) is checked in tests/services/test_pipeline.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from claims import dispatch, tasks
from claims.models import Article
from claims.services.ingestion import article_submit
from claims.services.pipeline import articles_requeue_stale
from tests.ingest.server import LocalServer
from tests.integration.conftest import ROOT, WorkerProcess, wait_for
from tests.integration.proxy import TcpProxy

Status = Article.Status


@pytest.fixture
def server():
    with LocalServer() as srv:
        srv.add_page("/de", "article_de.html")
        srv.add_page("/en", "article_en.html")
        srv.add_page("/slow", "article_en.html", delay=2)
        yield srv


def submit(url: str) -> Article:
    with transaction.atomic():
        return article_submit(source=Article.Source.URL, url=url)


def finished(*articles: Article) -> bool:
    for article in articles:
        article.refresh_from_db()
    return all(a.status in (Status.DONE, Status.FAILED) for a in articles)


def sweep() -> int:
    # As beat would run it once the grace for just-committed work has passed.
    return articles_requeue_stale(now=timezone.now() + timedelta(seconds=30))


@pytest.fixture
def broker(services_ready):
    return redis.Redis.from_url(services_ready["broker"])


def test_database_outage_does_not_strand_an_article(workers, worker_env, server, tmp_path):
    db = urlsplit(worker_env["DATABASE_URL"])
    workers.stop()  # this test's worker reaches the database through the proxy
    with TcpProxy(db.hostname, db.port or 5432) as proxy:
        env = {
            **worker_env,
            "DATABASE_URL": db._replace(netloc=f"{db.username}@127.0.0.1:{proxy.port}").geturl(),
        }
        worker = WorkerProcess(env, tmp_path / "worker.log")
        worker.start()
        try:
            article = submit(server.url("/slow"))
            wait_for(
                lambda: Article.objects.filter(pk=article.pk, status=Status.FETCHING).exists(),
                timeout=30,
                interval=0.05,
            )

            proxy.cut()  # while the page is being fetched: storing it hits the outage
            time.sleep(5)
            proxy.restore()

            wait_for(lambda: finished(article), timeout=60)
            assert article.status == Status.DONE, (article.error, worker.tail())
            assert article.claims.exists()
        finally:
            worker.stop()


def test_lost_messages_are_sent_again_and_a_backlog_is_not(workers, server, broker):
    workers.stop()  # the messages wait in Redis: a backlog
    articles = [submit(server.url(p)) for p in ("/de", "/en")]
    assert broker.llen("fetch") == 2
    # Time limits are the worker's (settings.CLAIMTRACKER_TIME_LIMITS), not the sender's.
    message = json.loads(broker.lindex("fetch", 0))
    assert message["headers"]["timelimit"] == [None, None]

    assert sweep() == 0  # waiting work is not lost work
    assert broker.llen("fetch") == 2

    broker.flushdb()  # the broker restarts without persistence: messages and ledger are gone
    assert sweep() == 2
    assert sweep() == 0  # sent once

    workers.running()
    wait_for(lambda: finished(*articles), timeout=60)
    assert [a.status for a in articles] == [Status.DONE, Status.DONE]
    assert len(server.seen("/de")) == len(server.seen("/en")) == 1


def test_killed_worker_work_is_sent_again_after_its_lease(workers, server):
    server.add_page("/slow-kill", "article_en.html", delay=3)
    workers.running()
    article = submit(server.url("/slow-kill"))
    fetching = Article.objects.filter(pk=article.pk, status=Status.FETCHING)
    wait_for(fetching.exists, timeout=30, interval=0.05)
    time.sleep(2)
    assert sweep() == 0  # running: the worker renews its lease

    workers.kill()
    time.sleep(7)  # the lease (6 s in these tests) runs out; the visibility timeout (20 s) not
    assert sweep() == 1

    workers.running()
    wait_for(lambda: finished(article), timeout=60)
    assert article.status == Status.DONE, article.error


def test_killed_worker_matching_is_recovered_after_its_lease(celery_worker_process, server, broker):
    article = submit(server.url("/de"))
    wait_for(lambda: finished(article) and article.matched_at, timeout=60)

    # A worker killed while matching: the article is done, not matched, and its ledger entry is
    # a lease that no worker will end.
    Article.objects.filter(pk=article.pk).update(matched_at=None)
    key = dispatch.LEDGER_PREFIX + tasks.claim_match_article_task.name
    broker.zadd(key, {str(article.pk): time.time() + 60})
    assert sweep() == 0  # the lease still runs

    broker.zadd(key, {str(article.pk): time.time() - 1})  # the lease ran out
    assert sweep() == 1

    wait_for(
        lambda: Article.objects.filter(pk=article.pk, matched_at__isnull=False).exists(), timeout=60
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SUBMIT_SCRIPT = textwrap.dedent(
    """
    import time, django
    django.setup()
    from django.db import transaction
    from claims.models import Article
    from claims.services.ingestion import article_submit
    start = time.monotonic()
    with transaction.atomic():
        article = article_submit(source=Article.Source.URL, url="https://news.example/broker-down")
    print(article.pk, round(time.monotonic() - start, 2))
    """
)


def test_submitting_while_the_broker_is_down_answers_at_once(workers, worker_env, broker):
    workers.stop()  # so the message the sweep sends stays in the queue to be counted
    env = {**worker_env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{_closed_port()}/0"}
    out = subprocess.run(
        [sys.executable, "-c", SUBMIT_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    pk, seconds = out.stdout.split()
    assert float(seconds) < 2

    article = Article.objects.get(pk=int(pk))
    assert article.status == Status.QUEUED
    assert sweep() == 1  # no message was sent: the sweep sends it once the broker is back
    assert broker.llen("fetch") == 1
