"""The quick start's worker, run as bin/start runs it: kombu's filesystem transport (no broker
service), beat inside, the models loaded before it takes work; an article queued by another
process (the CLI here, the web process in the quick start) is processed by it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from claims.models import Article
from tests.ingest.server import LocalServer
from tests.integration.conftest import ROOT, wait_for


@pytest.fixture
def quickstart_env(worker_env, tmp_path) -> dict[str, str]:
    broker = tmp_path / "broker"
    (broker / "control").mkdir(parents=True)
    return {
        **worker_env,
        "CELERY_BROKER_URL": "filesystem://",
        "CLAIMTRACKER_BROKER_DIR": str(broker),
        "CLAIMTRACKER_WORKER_WARMUP": "1",
    }


@pytest.fixture
def quickstart_worker(quickstart_env, tmp_path):
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "claimtracker", "worker", "-B", "-P", "solo",
             "-Q", "fetch,nlp,default", "-n", f"quickstart-{os.getpid()}@%h",
             "--schedule", str(tmp_path / "celerybeat-schedule"), "-l", "INFO"],
            cwd=ROOT, env=quickstart_env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: proc.poll() is not None or b"worker warm" in log.read_bytes(), timeout=120)
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        yield log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_quickstart_worker_processes_what_another_process_queued(
    quickstart_worker: Path, quickstart_env
):
    with LocalServer() as server:
        server.add_page("/de", "article_de.html")
        url = server.url("/de")
        subprocess.run(  # queues only (no --sync): the worker does the work
            [sys.executable, "manage.py", "ingest", url],
            cwd=ROOT, env=quickstart_env, check=True, capture_output=True,
        )  # fmt: skip
        article = Article.objects.get(submitted_url=url)

        def done():
            article.refresh_from_db()
            return article.status in (Article.Status.DONE, Article.Status.FAILED)

        wait_for(done, timeout=120)
    assert article.status == Article.Status.DONE, article.error
    assert article.claims.filter(candidate=True).exists()
    log = quickstart_worker.read_text(errors="replace")
    assert "claimtracker worker warm" in log
    assert "beat: Starting" in log
