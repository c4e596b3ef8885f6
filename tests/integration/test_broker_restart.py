"""A broker restart without persistence, for real: the test's own `redis-server` on a free port.

The worker and the app (submitting, then sweeping as beat would) use only that broker; it is
SIGKILLed while the pipeline is busy and started again empty, which loses every queued and
unacked message and the dispatch ledger. The database is the source of truth for pending work
(claims/dispatch.py, claims/services/pipeline.py), so every article must still end done or failed
within 2 minutes of the restart, none lost and none duplicated.
"""

from __future__ import annotations

import textwrap
import time

from claims.models import Article
from tests.ingest.server import PAGES_DIR, LocalServer
from tests.integration.conftest import WorkerProcess, wait_for
from tests.integration.private_broker import SUBMIT, run_app

Status = Article.Status
ARTICLES = 6
RECOVERY_SECONDS = 120


# Sweep (as beat does every 15 s, past the grace for just-committed work) until the articles are
# all finished, in the app's own process on the private broker (see private_broker.run_app).
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
            pks = [int(pk) for pk in run_app(SUBMIT, env, *urls, timeout=60).split()]
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

            run_app(
                SWEEP, env, str(RECOVERY_SECONDS), *map(str, pks), timeout=RECOVERY_SECONDS + 30
            )
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
