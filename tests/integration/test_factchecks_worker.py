"""Known fact-checks through Redis and a real Celery worker on PostgreSQL: a dump is loaded, an
article served by the local test server repeats one of its reviews, and the worker's ingestion
ends with the claim matched to it ("checked elsewhere"), in German and in English."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from claims.models import Article, KnownFactCheck, KnownFactCheckMatch
from claims.services.ingestion import article_submit
from tests.factchecks.test_checked_elsewhere import DUMP, ENGLISH, GERMAN
from tests.ingest.server import LocalServer
from tests.integration.conftest import wait_for


def page(text: str, lang: str) -> bytes:
    title, body = text.split("\n\n", 1)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>"
        f"<p>{escape(body)}</p></article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("text", "lang", "publisher", "rating"),
    [
        (GERMAN, "de", "Correctiv", "Falsch"),
        (ENGLISH, "en", "Full Fact", "Incorrect"),
    ],
)
def test_worker_matches_a_repeated_known_factcheck(
    celery_worker_process, worker_env, text, lang, publisher, rating
):
    call_command("import_factchecks", str(DUMP), stdout=io.StringIO(), stderr=io.StringIO())
    assert KnownFactCheck.objects.filter(embedding__isnull=False).count() == 3

    with LocalServer() as server:
        url = server.add(f"/{lang}/repeat", body=page(text, lang))
        with transaction.atomic():
            article = article_submit(source=Article.Source.URL, url=url)

        # `matched_at` is set after both our own and the known fact-check matching ran.
        def matched() -> Article | None:
            article.refresh_from_db()
            if article.status == Article.Status.FAILED:
                return article
            return article if article.matched_at is not None else None

        wait_for(matched, timeout=120)

    assert article.status == Article.Status.DONE, article.error
    assert article.language == lang
    match = (
        KnownFactCheckMatch.objects.filter(claim__article=article)
        .select_related("factcheck")
        .order_by("-score")
        .first()
    )
    assert match is not None, list(article.claims.values_list("text", flat=True))
    assert match.factcheck.publisher_name == publisher
    assert match.factcheck.rating_label == rating
    assert match.level in ("confirmed", "suggested")
    assert match.reason
    # The worker searched the fact-checks' shared index (written by itself on its first search,
    # in the workers' index directory; the second test's rows are above its high-water mark and
    # found by the exact scan), not an index of its own.
    manifest = Path(worker_env["CLAIMTRACKER_VECTOR_INDEX_DIR"]) / "factchecks" / "current.json"
    assert manifest.exists()
