"""The English signal in the app: stored English vectors, their use in matching, the switch.

Real database, the real encoders (USE and all-MiniLM-L6-v2), no mocks.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from django.apps import apps as django_apps

from claims.models import Claim, ClaimMatch
from claims.nlp.matching import (
    ENGLISH_DIM,
    embedding_from_bytes,
    embedding_to_bytes,
    english_claim_embeddings,
)
from claims.nlp.minilm import base_encoder
from claims.services.matching import (
    article_claims_match,
    claim_embeddings_backfill,
    claims_embed,
    shared_index,
    vector_index_update,
)
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

# An English paraphrase sharing few words with the stored claim.
PYONGYANG = "Trump says Pyongyang has gone over a year without a nuclear test."
NUCLEAR = "North Korea has not tested nuclear weapons for more than a year, Trump said."
ATOMWAFFEN = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."
VACCINES = "Vaccines cause autism in children, according to a viral post."


def claim_in_new_article(text: str, language: str) -> Claim:
    return ClaimFactory(article=ArticleFactory(language=language), text=text, language=language)


@pytest.fixture
def english_on(matching_settings):
    # The default (the key unset) is on; set explicitly so the test says what it relies on.
    matching_settings.CLAIMTRACKER_MATCHING = {
        **matching_settings.CLAIMTRACKER_MATCHING,
        "ENGLISH_SIGNAL": True,
    }
    return matching_settings


@pytest.fixture
def english_off(matching_settings):
    matching_settings.CLAIMTRACKER_MATCHING = {
        **matching_settings.CLAIMTRACKER_MATCHING,
        "ENGLISH_SIGNAL": False,
    }
    return matching_settings


def test_english_claims_get_an_english_vector_and_german_ones_none(english_on):
    english = claim_in_new_article(NUCLEAR, "en")
    german = claim_in_new_article(ATOMWAFFEN, "de")
    claims_embed(claims=[english, german])
    english.refresh_from_db()
    german.refresh_from_db()
    assert len(english.embedding) == 512 * 4 and len(german.embedding) == 512 * 4
    assert len(english.embedding_en) == ENGLISH_DIM * 4  # 1,536 bytes
    vector = embedding_from_bytes(bytes(english.embedding_en), ENGLISH_DIM)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    np.testing.assert_allclose(vector, english_claim_embeddings([NUCLEAR])[0], atol=1e-6)
    assert german.embedding_en is None
    # Excluded from history, like the multilingual vector.
    fields = {f.name for f in Claim.history.model._meta.get_fields()}
    assert "embedding" not in fields and "embedding_en" not in fields


def test_no_english_vectors_when_the_signal_is_off(english_off):
    english = claim_in_new_article(NUCLEAR, "en")
    claims_embed(claims=[english])
    english.refresh_from_db()
    assert english.embedding is not None and english.embedding_en is None


def _match_of(text: str) -> ClaimMatch:
    stored = claim_in_new_article(NUCLEAR, "en")
    article_claims_match(article_id=stored.article_id)
    other = claim_in_new_article(VACCINES, "en")
    article_claims_match(article_id=other.article_id)
    repeat = claim_in_new_article(text, "en")
    article_claims_match(article_id=repeat.article_id)
    return ClaimMatch.objects.get(claim=repeat)


def test_an_english_paraphrase_is_scored_with_the_english_signal(english_on):
    match = _match_of(PYONGYANG)
    assert match.group.representative.text == NUCLEAR
    # The English encoder's cosine (raw and after its query adapter) is among the signals the
    # reviewer sees; without the English blend both would be 0.
    assert match.signals["semantic_en"] > 0.6
    assert match.signals["semantic_en_adapted"] > 0.6
    assert Claim.objects.get(pk=match.claim_id).embedding_en is not None


def test_with_the_english_signal_off_the_multilingual_blend_scores_it(english_off):
    match = _match_of(PYONGYANG)
    assert match.group.representative.text == NUCLEAR  # still found, by the multilingual signals
    assert match.signals["semantic_en"] == 0.0
    assert match.signals["semantic_en_adapted"] == 0.0
    assert not Claim.objects.filter(embedding_en__isnull=False).exists()


def _cross_language_match(first_text: str, first_language: str, text: str, language: str):
    first = claim_in_new_article(first_text, first_language)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(text, language)
    article_claims_match(article_id=repeat.article_id)
    first.refresh_from_db()
    repeat.refresh_from_db()
    match = ClaimMatch.objects.get(claim=repeat)  # confirmed or suggested
    assert match.group_id == first.group_id is not None
    assert match.score >= 0.5  # the fixture's suggestion threshold, far above the core's
    return first, repeat, match


@pytest.mark.parametrize("english_signal", [True, False])
def test_an_english_repeat_of_a_german_claim_still_matches(matching_settings, english_signal):
    matching_settings.CLAIMTRACKER_MATCHING = {
        **matching_settings.CLAIMTRACKER_MATCHING,
        "ENGLISH_SIGNAL": english_signal,
    }
    german, english, _match = _cross_language_match(ATOMWAFFEN, "de", NUCLEAR, "en")
    assert german.embedding_en is None
    assert (english.embedding_en is not None) is english_signal


def test_a_german_repeat_of_an_english_claim_still_matches(english_on):
    english, german, match = _cross_language_match(NUCLEAR, "en", ATOMWAFFEN, "de")
    assert english.embedding_en is not None and german.embedding_en is None
    assert match.signals["semantic_en"] == 0.0  # a German query gets nothing from it


def test_the_backfill_fills_missing_english_vectors_once(english_off):
    english = claim_in_new_article(NUCLEAR, "en")
    german = claim_in_new_article(ATOMWAFFEN, "de")
    claims_embed(claims=[english, german])  # embedded while the English signal was off
    english_off.CLAIMTRACKER_MATCHING = {
        **english_off.CLAIMTRACKER_MATCHING,
        "ENGLISH_SIGNAL": True,
    }
    vector_index_update()  # the shared index, written before the backfill
    index = shared_index()
    assert index.holds("multilingual", english.pk) and not index.holds("english", english.pk)

    assert claim_embeddings_backfill() == 1
    english.refresh_from_db()
    german.refresh_from_db()
    assert len(english.embedding_en) == ENGLISH_DIM * 4 and german.embedding_en is None
    stored = bytes(english.embedding_en)
    assert claim_embeddings_backfill() == 0  # idempotent: nothing left to fill
    english.refresh_from_db()
    assert bytes(english.embedding_en) == stored

    # The writer's next update adds the late vector (an incremental update, not a rebuild).
    generation = vector_index_update()
    index = shared_index()
    assert generation.counts == {"multilingual": 2, "english": 1}
    assert index.holds("english", english.pk) and not index.holds("english", german.pk)


def test_vectors_of_the_base_encoder_are_dropped_by_the_migration_and_refilled(english_on):
    """Migration 0006: English vectors stored before the fine-tuned encoder shipped go, and the
    backfill (`manage.py embed_claims`) stores the tuned encoder's in their place."""
    english = claim_in_new_article(NUCLEAR, "en")
    german = claim_in_new_article(ATOMWAFFEN, "de")
    claims_embed(claims=[english, german])
    base_vector = base_encoder().encode([NUCLEAR])[0]
    Claim.objects.filter(pk=english.pk).update(
        embedding_en=embedding_to_bytes(base_vector, ENGLISH_DIM)
    )

    migration = importlib.import_module("claims.migrations.0006_clear_base_english_vectors")
    migration.clear_english_vectors(django_apps, None)
    english.refresh_from_db()
    assert english.embedding_en is None and english.embedding is not None

    assert claim_embeddings_backfill() == 1
    english.refresh_from_db()
    stored = embedding_from_bytes(bytes(english.embedding_en), ENGLISH_DIM)
    np.testing.assert_allclose(stored, english_claim_embeddings([NUCLEAR])[0], atol=1e-6)
    assert float(stored @ base_vector) < 0.999  # the tuned encoder's, not the base model's


def test_the_backfill_leaves_english_vectors_alone_when_the_signal_is_off(english_off):
    english = claim_in_new_article(NUCLEAR, "en")
    assert claim_embeddings_backfill() == 1  # the multilingual vector only
    english.refresh_from_db()
    assert english.embedding is not None and english.embedding_en is None
    assert claim_embeddings_backfill() == 0


def test_the_index_keeps_english_vectors_of_an_articles_own_claims(english_on):
    article = ArticleFactory(language="en")
    own = ClaimFactory(article=article, text=NUCLEAR, language="en")
    ClaimFactory(article=article, text=VACCINES, language="en")
    article_claims_match(article_id=article.pk)
    own.refresh_from_db()
    stored = embedding_from_bytes(bytes(own.embedding_en), ENGLISH_DIM)
    vector_index_update()
    assert shared_index().holds("english", own.pk)

    # A re-run finds the article's own claims in the index and leaves them out of its
    # candidates; their stored English vectors stay as they were.
    article_claims_match(article_id=article.pk)
    own.refresh_from_db()
    np.testing.assert_array_equal(
        embedding_from_bytes(bytes(own.embedding_en), ENGLISH_DIM), stored
    )

    # And another article's English repeat still finds it by the English signal.
    repeat = claim_in_new_article(PYONGYANG, "en")
    article_claims_match(article_id=repeat.article_id)
    assert ClaimMatch.objects.get(claim=repeat).signals["semantic_en"] > 0.6


def test_the_setting_is_in_the_cores_config(settings):
    from claims.services.matching import match_config

    settings.CLAIMTRACKER_MATCHING = {}
    assert match_config().english_signal is True  # default: as the match_claims command
    settings.CLAIMTRACKER_MATCHING = {"ENGLISH_SIGNAL": False}
    assert match_config().english_signal is False
    settings.CLAIMTRACKER_MATCHING = {"ENGLISH_SIGNAL": None}  # env var unset
    assert match_config().english_signal is True
