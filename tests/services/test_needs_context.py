"""The "needs context" flag stored on claims: from the real pipeline, and backfilled for claims
stored before it existed (idempotent), with the same detector."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from claims.models import Article, Claim
from claims.services.claim_context import claims_context_backfill
from claims.services.claim_extraction import article_extract_claims
from claims.services.ingestion import article_fetch, article_submit
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

TITLE = "Polizei nimmt Frau in Hamburg fest"
TEXT = (
    "Die Hamburger Polizei hat am Dienstag eine Frau festgenommen.\n\n"
    "Die 32-Jährige soll in Altona 30 Autos angezündet haben.\n\n"
    "Die Zahl der Brandanschläge auf Autos in Hamburg ist 2019 um 20 Prozent gestiegen."
)


@pytest.fixture
def article() -> Article:
    article = article_submit(source=Article.Source.TEXT, text=TEXT, title=TITLE, enqueue=False)
    Article.objects.filter(pk=article.pk).update(published_at=datetime(2020, 1, 15, tzinfo=UTC))
    article_fetch(article_id=article.pk, enqueue=False)
    article_extract_claims(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    return article


def test_extraction_stores_the_flag_and_the_unresolved_words(article):
    flagged = article.claims.get(text__startswith="Die 32-Jährige")
    assert flagged.standalone_needs_context is True
    assert flagged.standalone_unresolved == ["Die 32-Jährige"]
    alone = article.claims.get(text__startswith="Die Zahl der Brandanschläge")
    assert alone.standalone_needs_context is False
    assert alone.standalone_unresolved == []
    # Every stored unit is assessed, none is left "not assessed".
    assert not article.claims.filter(standalone_needs_context__isnull=True).exists()


def test_ingest_json_adds_the_flag_and_keeps_the_other_fields(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(f"{TITLE}\n\n{TEXT}", encoding="utf-8")
    out = StringIO()
    call_command("ingest", "--sync", "--json", str(path), stdout=out)
    claims = json.loads(out.getvalue())["claims"]
    for claim in claims:
        assert {"id", "index", "text", "start", "end", "score", "checkworthy", "type", "reported",
                "claimant", "claimant_role", "claimant_span", "speaker", "candidate", "segment",
                "standalone", "entities", "numbers", "known_factchecks"} <= set(claim)  # fmt: skip
        assert claim["standalone_needs_context"] is bool(claim["standalone_unresolved"])
    flagged = next(c for c in claims if c["text"].startswith("Die 32-Jährige"))
    assert flagged["standalone_needs_context"] is True
    assert flagged["standalone_unresolved"] == ["Die 32-Jährige"]


def _old_claim(text: str, language: str = "de", **kwargs) -> Claim:
    """A claim as stored before the flag existed: not assessed (NULL)."""
    return ClaimFactory(
        text=text, standalone=text, language=language, standalone_needs_context=None, **kwargs
    )


def test_backfill_assesses_old_claims_from_their_stored_text_and_is_idempotent():
    flagged = _old_claim("Er habe die Steuern für alle Bürger gesenkt.")
    english = _old_claim("The report found that 40 percent of schools lacked heating.", "en")
    alone = _old_claim("Die Arbeitslosenquote in Deutschland stieg 2023 auf 5,7 Prozent.")
    other = _old_claim("Il a baissé les impôts.", "fr")  # a language the detector does not read
    out = StringIO()
    call_command("backfill_needs_context", "--batch", "2", stdout=out)
    assert "assessed 3 claims" in out.getvalue()
    for claim in (flagged, english, alone, other):
        claim.refresh_from_db()
    assert (flagged.standalone_needs_context, flagged.standalone_unresolved) == (True, ["Er"])
    assert english.standalone_unresolved == ["The report"] and english.standalone_needs_context
    assert (alone.standalone_needs_context, alone.standalone_unresolved) == (False, [])
    assert other.standalone_needs_context is None
    updated = flagged.updated_at
    # Again: nothing left to assess, nothing changes (and updated_at is not bumped).
    out = StringIO()
    call_command("backfill_needs_context", stdout=out)
    assert "assessed 0 claims" in out.getvalue()
    flagged.refresh_from_db()
    assert flagged.updated_at == updated and flagged.standalone_unresolved == ["Er"]


def test_backfill_reads_the_standalone_text_and_refresh_assesses_again():
    # The stored rewrite named the speaker: the raw sentence's "Er" is no longer unresolved.
    claim = ClaimFactory(
        text="Er habe die Steuern gesenkt.",
        standalone="Laut Donald Trump hat er die Steuern gesenkt.",
        standalone_needs_context=None,
    )
    assert claims_context_backfill(limit=10) == (1, claim.pk)
    claim.refresh_from_db()
    assert claim.standalone_needs_context is False
    # A stale value (say, from an older detector) is kept unless --refresh asks again.
    Claim.objects.filter(pk=claim.pk).update(
        standalone_needs_context=True, standalone_unresolved=["stale"]
    )
    assert claims_context_backfill(limit=10) == (0, 0)
    call_command("backfill_needs_context", "--refresh", stdout=StringIO())
    claim.refresh_from_db()
    assert (claim.standalone_needs_context, claim.standalone_unresolved) == (False, [])


def test_the_database_refuses_words_without_the_flag():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(article=article, standalone_needs_context=False, standalone_unresolved=["it"])
    ClaimFactory(article=article, standalone_needs_context=True, standalone_unresolved=["it"])


def test_backfill_gives_the_flags_the_extraction_stored(article):
    stored = dict(article.claims.values_list("pk", "standalone_unresolved"))
    assert any(stored.values()) and not all(stored.values())
    article.claims.update(standalone_needs_context=None, standalone_unresolved=[])
    call_command("backfill_needs_context", stdout=StringIO())
    assert dict(article.claims.values_list("pk", "standalone_unresolved")) == stored
    assert not article.claims.filter(standalone_needs_context__isnull=True).exists()
