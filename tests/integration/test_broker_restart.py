"""A broker restart without persistence, for real: the test's own `redis-server` on a free port.

The worker and the app (submitting, then sweeping as beat would) use only that broker; it is
SIGKILLed while the pipeline is busy and started again empty, which loses every queued and
unacked message and the dispatch ledger. The database is the source of truth for pending work
(claims/dispatch.py, claims/services/pipeline.py), so every article must still end done or failed
within 2 minutes of the restart, none lost and none duplicated.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import redis

from claims.models import Article
from tests.ingest.server import PAGES_DIR, LocalServer
from tests.integration.conftest import ROOT, WorkerProcess, wait_for

Status = Article.Status
ARTICLES = 6
RECOVERY_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """`redis-server` on 127.0.0.1:<port>, no RDB, no AOF: a restart starts empty."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # fmt: off
        args = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "no",
        ]
        # fmt: on
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(up, timeout=10, interval=0.1)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: nothing is saved, nothing is handed back
            self.proc.wait(timeout=10)


@pytest.fixture
def private_broker(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("the broker-restart test needs redis-server on PATH")
    broker = PrivateRedis(tmp_path)
    broker.start()
    yield broker
    broker.kill()


# The app's side, in its own process so that its Celery producer and ledger use the private
# broker: submit the articles, or sweep (as beat does every 15 s, past the grace for
# just-committed work) until they are all finished.
SUBMIT = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from django.db import transaction
    from claims.models import Article
    from claims.services.ingestion import article_submit
    for url in sys.argv[1:]:
        with transaction.atomic():
            print(article_submit(source=Article.Source.URL, url=url).pk)
    """
)
SWEEP = textwrap.dedent(
    """
    import sys, time, django
    django.setup()
    from datetime import timedelta
    from django.utils import timezone
    from claims.models import Article
    from claims.services.pipeline import articles_requeue_stale
    pks = [int(pk) for pk in sys.argv[2:]]
    deadline = time.monotonic() + float(sys.argv[1])
    sent = 0
    while time.monotonic() < deadline:
        sent += articles_requeue_stale(now=timezone.now() + timedelta(seconds=30))
        if not Article.objects.filter(pk__in=pks).exclude(status__in=["done", "failed"]).exists():
            break
        time.sleep(2)
    print(sent)
    """
)


def _run(script: str, env: dict[str, str], *args: str, timeout: float) -> str:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_broker_restart_mid_pipeline_loses_and_duplicates_nothing(
    workers, worker_env, private_broker, tmp_path
):
    workers.stop()  # the shared worker has no part in this; ours uses the private broker
    env = {**worker_env, "CELERY_BROKER_URL": private_broker.url}
    body = (PAGES_DIR / "article_en.html").read_bytes()
    with LocalServer() as server:
        urls = [
            # A canonical URL of its own per page, or all would be one article.
            server.add(
                f"/r{i}",
                body=body.replace(b"waiting-lists-fall-third-month", f"restart-{i}".encode()),
                delay=1,
            )
            for i in range(ARTICLES)
        ]
        worker = WorkerProcess(env, tmp_path / "worker.log")
        worker.start()
        try:
            pks = [int(pk) for pk in _run(SUBMIT, env, *urls, timeout=60).split()]
            articles = Article.objects.filter(pk__in=pks)

            # Mid-pipeline: one article is past fetching, the others still wait or run.
            wait_for(
                lambda: articles.exclude(status__in=[Status.QUEUED, Status.FETCHING]).exists(),
                timeout=60,
                interval=0.1,
            )
            assert articles.filter(status__in=[Status.QUEUED, Status.FETCHING]).exists()

            private_broker.kill()
            time.sleep(2)
            private_broker.start()  # empty: queues, unacked messages and ledger are gone
            restarted = time.monotonic()

            _run(SWEEP, env, str(RECOVERY_SECONDS), *map(str, pks), timeout=RECOVERY_SECONDS + 30)
            recovery = time.monotonic() - restarted
            states = dict(articles.values_list("pk", "status"))
            assert all(s in (Status.DONE, Status.FAILED) for s in states.values()), (
                states,
                worker.tail(),
            )
            assert recovery < RECOVERY_SECONDS
            assert set(states.values()) == {Status.DONE}, [
                (a.pk, a.error) for a in articles.exclude(status=Status.DONE)
            ]
        finally:
            worker.stop()

    # None lost, none twice: one article per URL, and every copy of the same page gives the
    # same claims (a stage run twice would not add any: claim_unique_sentence).
    assert Article.objects.filter(pk__in=pks).count() == ARTICLES == len(set(pks))
    counts = {a.pk: a.claims.count() for a in Article.objects.filter(pk__in=pks)}
    assert len(set(counts.values())) == 1 and min(counts.values()) > 0, counts
