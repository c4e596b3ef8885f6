"""Done-when: load a dump of known fact-checks, ingest an article that repeats one of them, and
the claim is "checked elsewhere" within the ingestion (German and English; SQLite, real models)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from claims.models import Claim, KnownFactCheck, KnownFactCheckMatch
from claims.selectors.articles import article_as_dict, article_with_claims
from tests.ingest.server import PAGES_DIR

pytestmark = pytest.mark.django_db
DUMP = PAGES_DIR / "factchecks" / "e2e_dump.json"

GERMAN = (
    "Trump verlässt Gipfel ohne Einigung.\n\n"
    "US-Präsident Donald Trump hat den Gipfel in Hanoi vorzeitig verlassen. "
    "Nordkorea habe seit mehr als einem Jahr keine Atomwaffen und keine Raketen getestet, "
    "sagte Trump am Donnerstag vor Journalisten. Die Gespräche sollen weitergehen."
)
ENGLISH = (
    "Johnson repeats Brexit bus figure.\n\n"
    "Boris Johnson said on Monday that the UK sends £350 million a week to the European Union. "
    "He said the money should be spent on the NHS instead. Critics disagreed."
)


@pytest.fixture(autouse=True)
def matching_on(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True


def command(name: str, *args: str, stdin: str | None = None) -> list[dict]:
    out = io.StringIO()
    if stdin is not None:
        import sys

        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command(name, *args, stdout=out, stderr=io.StringIO())
    finally:
        if stdin is not None:
            sys.stdin = saved
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("text", "url", "publisher", "rating"),
    [
        (GERMAN, "https://news.example/de/hanoi", "Correctiv", "Falsch"),
        (ENGLISH, "https://news.example/en/brexit-bus", "Full Fact", "Incorrect"),
    ],
)
def test_ingesting_a_repeat_shows_checked_elsewhere(
    text, url, publisher, rating, django_capture_on_commit_callbacks
):
    imported = command("import_factchecks", "--json", str(DUMP))
    assert [r["status"] for r in imported] == ["imported"] * 3
    assert KnownFactCheck.objects.filter(embedding__isnull=False).count() == 3

    # The matching task is sent after extraction commits (at the end of this block, as the
    # worker would run it); the JSON is then what `ingest --json` prints once it has run.
    with django_capture_on_commit_callbacks(execute=True):
        [printed] = command("ingest", "--sync", "--json", "--url", url, "-", stdin=text)
    assert all(c["known_factchecks"] == [] for c in printed["claims"])  # not matched yet
    article = article_as_dict(article_with_claims(article_id=printed["id"]))
    assert article["status"] == "done", article["error"]
    matched = [c for c in article["claims"] if c["known_factchecks"]]
    assert matched, [(c["standalone"], c["checkworthy"]) for c in article["claims"]]
    best = matched[0]["known_factchecks"][0]
    assert best["publisher"] == publisher
    assert best["rating"] == rating
    assert best["level"] in ("confirmed", "suggested")
    assert 0 < best["score"] <= 1
    assert set(best) == {"url", "publisher", "rating", "score", "level"}
    # Every claim carries the key, [] when nothing matched.
    assert all(isinstance(c["known_factchecks"], list) for c in article["claims"])
    match = KnownFactCheckMatch.objects.get(claim_id=matched[0]["id"])
    assert match.reason


def test_rematch_of_old_claims_after_import(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [article] = command(
            "ingest", "--sync", "--json", "--url", "https://news.example/en/x", "-", stdin=ENGLISH
        )
    assert not any(c["known_factchecks"] for c in article["claims"])
    command("import_factchecks", "--rematch", str(DUMP))
    assert KnownFactCheckMatch.objects.filter(
        claim__in=Claim.objects.filter(article_id=article["id"]),
        factcheck__publisher_name="Full Fact",
    ).exists()
    # Idempotent: a second re-match adds nothing.
    before = KnownFactCheckMatch.objects.count()
    command("import_factchecks", "--rematch")
    assert KnownFactCheckMatch.objects.count() == before
