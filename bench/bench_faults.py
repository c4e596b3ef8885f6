"""Fault run: how long after a fault ends until every article is done or failed.

    python bench/bench_faults.py [--pages 20] [--outage 15]

One worker (fetch, nlp and default queues, concurrency 1) with embedded beat (the stale-work
sweep every 15 s, as in production), PostgreSQL and Redis on 127.0.0.1 (a database
`claimtracker_bench_faults` is created and dropped; Redis database 14). For each fault, N pages
are submitted, the fault hits while they are being processed, and the run reports the seconds
from the end of the fault to the last article finished, how many were lost (not finished within
5 minutes) and how many pages were fetched more than once.

Faults: the whole worker SIGKILLed (a new one started at once); the broker's data lost (what a
restart without persistence does: FLUSHDB of its database); the database away for `--outage`
seconds (a proxy between the worker and PostgreSQL drops every connection and refuses new ones).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "claimtracker_bench_faults"
PG = "postgres://postgres@127.0.0.1:5432"
BROKER = "redis://127.0.0.1:6379/14"
ENV = {
    "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
    "DATABASE_URL": f"{PG}/{DB}",
    "CELERY_BROKER_URL": BROKER,
    "CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
os.environ.update(ENV)
LOST_AFTER = 300


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def start_worker(env: dict[str, str], label: str, schedule: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "claimtracker", "worker", "-B", "-s", str(schedule),
         "-Q", "fetch,nlp,default", "--concurrency", "1",
         "-l", os.environ.get("BENCH_LOG", "ERROR"), "--without-gossip",
         "--without-mingle", "-n", f"faults-{label}-{time.time_ns()}@%h"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--outage", type=float, default=15.0)
    args = parser.parse_args()

    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB}")
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from claims.models import Article
    from claims.services.ingestion import article_submit
    from tests.ingest.server import LocalServer
    from tests.integration.proxy import TcpProxy

    broker = redis.Redis.from_url(BROKER)
    page = (ROOT / "tests/pages/article_en.html").read_text()
    schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
    results = []

    def run(label: str, fault) -> None:
        Article.objects.all().delete()
        broker.flushdb()
        with LocalServer() as server, TcpProxy("127.0.0.1", 5432) as proxy:
            env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{proxy.port}/{DB}"}
            state = {"worker": start_worker(env, label, schedule), "env": env}
            bodies = [
                page.replace("</article>", f"<p>Page {i}.</p></article>").encode()
                for i in range(args.pages)
            ]
            urls = [server.add(f"/{label}/{i}", body=b, delay=0.5) for i, b in enumerate(bodies)]
            try:
                ids = [article_submit(source=Article.Source.URL, url=u).pk for u in urls]
                rows = Article.objects.filter(pk__in=ids)
                # The fault hits once a few articles are through: the rest are queued or running.
                while rows.filter(status__in=["done", "failed"]).count() < 3:
                    time.sleep(0.1)
                fault(state, proxy, schedule)
                fault_end = time.monotonic()
                finished = rows.filter(status__in=["done", "failed"], processed_at__isnull=False)
                while finished.count() < len(ids) and time.monotonic() - fault_end < LOST_AFTER:
                    time.sleep(0.25)
                recovery = time.monotonic() - fault_end
                seen = [len(server.seen(f"/{label}/{i}")) for i in range(args.pages)]
            finally:
                stop(state["worker"])
        results.append(
            {
                "fault": label,
                "recovery": recovery,
                "lost": len(ids) - finished.count(),
                "failed": rows.filter(status="failed").count(),
                "refetched": sum(1 for n in seen if n > 1),
            }
        )

    def kill_worker(state, proxy, schedule):
        stop(state["worker"], signal.SIGKILL)
        state["worker"] = start_worker(state["env"], "restarted", schedule)

    def lose_broker_data(state, proxy, schedule):
        broker.flushdb()

    def database_outage(state, proxy, schedule):
        proxy.cut()
        time.sleep(args.outage)
        proxy.restore()

    run("worker-sigkill", kill_worker)
    run("broker-data-lost", lose_broker_data)
    run("database-outage", database_outage)

    print(f"Fault run: {args.pages} pages per fault, 1 worker (concurrency 1) with beat, "
          f"database outage {args.outage:.0f} s, {os.cpu_count()} cores")  # fmt: skip
    print()
    print("| fault | all finished after the fault ended | lost | failed | pages fetched twice |")
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['fault']} | {r['recovery']:.1f} s | {r['lost']} | {r['failed']} "
            f"| {r['refetched']} |"
        )
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
