"""`manage.py ingest` and `load_demo` through the real pipeline (SQLite, in-process)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Claim
from claims.services.demo import seed_path
from tests.ingest.server import PAGES_DIR

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> list[dict]:
    out = io.StringIO()
    if stdin is not None:
        sys_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("ingest", *args, stdout=out)
    finally:
        if stdin is not None:
            sys.stdin = sys_stdin
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


def test_html_file_with_its_address_for_provenance():
    rows = run(
        "--sync",
        "--json",
        "--url",
        "https://www.example.de/politik/a-1",
        str(PAGES_DIR / "article_de.html"),
    )

    [row] = rows
    assert row["status"] == "done", row["error"]
    # A file is the submitter's copy: neither the address given nor the page's canonical link
    # makes it stand for that address (a fetch of the URL is another article).
    assert row["url"] is None
    assert Article.objects.get().submitted_url == "https://www.example.de/politik/a-1"
    assert row["language"] == "de"
    assert row["title"] and row["text"]
    assert row["claims"], "every sentence is scored"
    first = row["claims"][0]
    assert {
        "text",
        "score",
        "claimant",
        "type",
        "checkworthy",
        "reported",
        "start",
        "end",
        "entities",
        "numbers",
    } <= set(first)
    assert [c["score"] for c in row["claims"]] == sorted(
        (c["score"] for c in row["claims"]), reverse=True
    )
    article = Article.objects.get(pk=row["id"])
    for claim in article.claims.all():
        assert article.text[claim.start : claim.end] == claim.text


def test_text_on_stdin_with_an_address_is_a_copy_that_never_stands_for_it():
    # Issue #17: a submitted text is the submitter's copy; a second copy claiming the same
    # address is another copy, not the article at that address.
    first = run("--sync", "--json", "--url", "https://news.example/en", "-", stdin="Plain. " * 20)
    again = run("--sync", "--json", "--url", "https://news.example/en", "-", stdin="Other. " * 20)

    assert first[0]["id"] != again[0]["id"]
    assert set(Article.objects.values_list("submitted_url", flat=True)) == {
        "https://news.example/en"
    }
    assert not Article.objects.filter(url_hash__isnull=False).exists()


def test_refused_address_fails_with_reason_and_exit_status():
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("ingest", "--sync", "--json", "http://127.0.0.1:9/x", stdout=out)

    assert exc.value.returncode == 1
    row = json.loads(out.getvalue().splitlines()[0])
    assert row["status"] == "failed"
    assert "127.0.0.1" in row["error"]


def test_missing_file_is_reported_and_others_still_ingested():
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "ingest",
            "--sync",
            "--json",
            "/nonexistent/page.html",
            str(PAGES_DIR / "article_en.html"),
            stdout=out,
        )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["status"] for r in rows] == ["failed", "done"]


def test_without_sync_articles_are_queued_for_the_workers(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    rows = run("--json", str(PAGES_DIR / "article_en.html"))
    assert rows[0]["status"] == "queued"
    assert Claim.objects.count() == 0


@pytest.mark.skipif(not seed_path().is_file(), reason="shared seed article not beside the checkout")
def test_load_demo_ingests_the_seed_article_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    article = Article.objects.get()
    assert article.status == Article.Status.DONE
    assert article.language == "de"
    assert article.claims.filter(claimant="Donald Trump").exists()


def test_load_demo_is_refused_in_production(settings):
    settings.SETTINGS_MODULE = "claimtracker.settings.production"
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")


def test_ingest_command_exit_status_as_a_process(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    refused = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--sync", "http://10.0.0.1/admin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert refused.returncode == 1
    assert "failed" in refused.stdout and "10.0.0.1" in refused.stdout
