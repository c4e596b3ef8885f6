"""Through the real pipeline: ingest, extract, match (the seed article, and an English repeat)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from claims.models import Article, Claim, ClaimMatch
from claims.nlp.matching import (
    ENGLISH_DIM,
    claim_embeddings,
    embedding_from_bytes,
    english_claim_embeddings,
)
from claims.selectors.groups import already_checked, claim_pending_matches
from claims.services.ingestion import article_process_sync, article_submit
from claims.services.matching import article_claims_match
from tests.factories import PublishedVerdictFactory

pytestmark = pytest.mark.django_db

ENGLISH_REPEAT = (
    "Trump left the summit in Hanoi without an agreement. "
    "He said he appreciated that North Korea has not tested nuclear weapons or missiles "
    "for more than a year. Reporters asked him about sanctions."
)


@pytest.fixture
def seed_text() -> str:
    path = Path(str(settings.CLAIMTRACKER_SEED_DIR)) / "hanoi-summit-de.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (set CLAIMTRACKER_SEED_DIR)")
    return path.read_text(encoding="utf-8")


def ingest(text: str, url: str, capture) -> Article:
    """Submit and process like the worker does; the matching task is queued after commit."""
    with capture(execute=False) as callbacks:
        article = article_submit(source=Article.Source.TEXT, url=url, text=text, enqueue=False)
        article_process_sync(article_id=article.pk)
    assert article.claims.exists()
    assert len(callbacks) == 1  # claim_match_article_task, enqueued once extraction committed
    article_claims_match(article_id=article.pk)  # what that task runs
    return article


def test_the_seed_article_twice_groups_every_checkworthy_claim(
    matching_settings, seed_text, django_capture_on_commit_callbacks
):
    matching_settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
    first = ingest(seed_text, "https://zeit.example/hanoi", django_capture_on_commit_callbacks)
    second = ingest(seed_text, "https://spiegel.example/hanoi", django_capture_on_commit_callbacks)

    originals = {c.index: c for c in first.claims.filter(checkworthy=True)}
    repeats = {c.index: c for c in second.claims.filter(checkworthy=True)}
    assert originals and originals.keys() == repeats.keys()
    for index, repeat in repeats.items():
        assert repeat.group_id is not None, repeat.text
        assert repeat.group_id == originals[index].group_id
        assert repeat.group.representative_id == originals[index].pk
    # one group per claim, never two sentences of one article in a group
    assert len({c.group_id for c in repeats.values()}) == len(repeats)
    assert not first.claims.filter(checkworthy=False, group__isnull=False).exists()
    assert ClaimMatch.objects.filter(decision="accepted").count() == len(repeats)


def test_an_english_repeat_shows_the_earlier_german_verdict(
    matching_settings, seed_text, django_capture_on_commit_callbacks
):
    matching_settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
    german = ingest(seed_text, "https://zeit.example/hanoi", django_capture_on_commit_callbacks)
    main = german.claims.get(text__contains="seit mehr als einem Jahr keine Atomwaffen")
    verdict = PublishedVerdictFactory(claim=main)
    main.status = Claim.Status.PUBLISHED
    main.save()

    english = ingest(
        ENGLISH_REPEAT, "https://news.example/hanoi-en", django_capture_on_commit_callbacks
    )
    repeat = english.claims.get(text__contains="more than a year")
    assert repeat.language == "en" and repeat.checkworthy

    repeat.refresh_from_db()
    main.refresh_from_db()
    if repeat.group_id is not None:  # confirmed: joined the group
        assert repeat.group_id == main.group_id
        assert already_checked(repeat) == verdict
    else:  # suggested: the best suggestion is the checked group, shown with its verdict
        best = claim_pending_matches(repeat)[0]
        assert best.group_id == main.group_id
        assert best.group_verdict == verdict
        assert "similar" in best.reason


def test_extraction_stores_the_vectors_matching_needs(matching_settings):
    """Check-worthy claims are written with their vectors (the multilingual one reused from
    check-worthiness), so the matching task only searches; other sentences get none."""
    matching_settings.CLAIMTRACKER_MATCHING = {}
    text = ENGLISH_REPEAT + " Thank you all so much, see you next week!"
    article = article_submit(source=Article.Source.TEXT, url="", text=text, enqueue=False)
    article_process_sync(article_id=article.pk)
    claims = list(article.claims.order_by("index"))
    worthy = [c for c in claims if c.checkworthy]
    assert worthy and len(worthy) < len(claims)
    for claim in claims:
        if not claim.checkworthy:
            assert claim.embedding is None and claim.embedding_en is None
            continue
        stored = embedding_from_bytes(bytes(claim.embedding))
        np.testing.assert_allclose(stored, claim_embeddings([claim.text])[0], atol=1e-4)
        english = embedding_from_bytes(bytes(claim.embedding_en), ENGLISH_DIM)
        np.testing.assert_allclose(english, english_claim_embeddings([claim.text])[0], atol=1e-4)
