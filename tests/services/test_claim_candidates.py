"""Claim candidates end to end: extraction stores every unit, only candidates reach the queue, the
claim API and matching, and each keeps its standalone text, claimant, role and span.

The real pipeline runs (spaCy models, rules, the desk ranking); the article is a short news text
with a byline, a photo credit and reported speech.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict
from rest_framework.test import APIClient

from claims.models import Article, Claim
from claims.selectors.queue import claim_queue
from claims.services.api_keys import api_key_create
from claims.services.claim_extraction import article_extract_claims
from claims.services.ingestion import article_fetch, article_submit

pytestmark = pytest.mark.django_db

TITLE = "Gesundheitsminister Spahn: Zahl der Pflegekräfte gestiegen"
TEXT = (
    "Von Anna Muster und Jan Beispiel, NDR\n\n"
    "Die Zahl der Pflegekräfte in Deutschland ist im vergangenen Jahr um 4,5 Prozent auf "
    "1,7 Millionen gestiegen. Das sagte Gesundheitsminister Jens Spahn am Dienstag in Berlin.\n\n"
    "© Foto: Kay Nietfeld/dpa\n\n"
    "Die Krankenkassen hätten im selben Zeitraum 12 Milliarden Euro mehr für die Pflege "
    "ausgegeben, sagte er."
)


@pytest.fixture
def article() -> Article:
    article = article_submit(source=Article.Source.TEXT, text=TEXT, title=TITLE, enqueue=False)
    Article.objects.filter(pk=article.pk).update(published_at=datetime(2019, 3, 5, tzinfo=UTC))
    article_fetch(article_id=article.pk, enqueue=False)
    article_extract_claims(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    return article


def _unit(article: Article, fragment: str) -> Claim:
    return article.claims.get(text__contains=fragment)


def test_bylines_and_credits_are_stored_as_context_only(article):
    byline = _unit(article, "Von Anna Muster")
    credit = _unit(article, "© Foto")
    assert not byline.candidate and not credit.candidate
    assert not byline.checkworthy and not credit.checkworthy
    assert {byline.segment, credit.segment} == {"byline", "credit"}
    assert _unit(article, "Die Zahl der Pflegekräfte").candidate
    # Context-only units get no matching vector: matching never sees them.
    assert byline.embedding is None and credit.embedding is None


def test_reported_speech_keeps_full_name_role_span_and_standalone(article):
    claim = _unit(article, "Die Krankenkassen hätten")
    assert claim.reported
    assert claim.claimant == "Jens Spahn"  # "sagte er" -> the minister introduced before
    assert claim.claimant_start is not None
    named = article.text[claim.claimant_start : claim.claimant_end]
    assert named in ("er", "Jens Spahn", "Gesundheitsminister Jens Spahn")
    assert "Spahn" in claim.standalone
    assert claim.standalone != claim.text
    assert claim.text == article.text[claim.start : claim.end]  # the evidence span is unchanged


def test_the_queue_shows_candidates_unless_asked_for_every_sentence(article, django_user_model):
    user = django_user_model.objects.create_user("r")
    default = list(claim_queue(user=user, params=QueryDict("")).qs)
    assert default and all(c.candidate for c in default)
    assert not any("Von Anna Muster" in c.text for c in default)
    every = claim_queue(user=user, params=QueryDict("units=sentences&rows=every")).qs
    assert any("Von Anna Muster" in c.text for c in every)


def test_ingest_json_lists_candidates_first_with_the_new_fields(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(f"{TITLE}\n\n{TEXT}", encoding="utf-8")
    out = StringIO()
    call_command("ingest", "--sync", "--json", str(path), stdout=out)
    data = json.loads(out.getvalue())
    claims = data["claims"]
    flags = [c["candidate"] for c in claims]
    assert flags == sorted(flags, reverse=True)  # candidates first
    assert not all(flags)
    for claim in claims:
        assert {"standalone", "claimant", "claimant_role", "candidate"} <= set(claim)
        assert claim["standalone"]
    spahn = [c for c in claims if c["claimant"] == "Jens Spahn"]
    assert spahn and all(c["claimant_role"] for c in spahn)
    scores = [c["score"] for c in claims if c["candidate"]]
    assert scores == sorted(scores, reverse=True)


def test_the_claim_api_hides_context_only_units(article):
    created = api_key_create(name="Partner desk", scopes=["claims:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {created.raw_key}")
    rows = client.get("/api/v1/claims/").json()["results"]
    assert rows and not any("Von Anna Muster" in r["text"] for r in rows)
    byline = _unit(article, "Von Anna Muster")
    assert client.get(f"/api/v1/claims/{byline.pk}/").status_code == 404
    spahn = next(r for r in rows if r["claimant"] == "Jens Spahn")
    assert spahn["standalone"] and spahn["claimant_role"]
