"""The shared index's writer reads and adds claims in batches: no claim lost or added twice."""

from __future__ import annotations

import numpy as np
import pytest

from claims.models import Claim
from claims.nlp.matching import ENGLISH_DIM, embedding_to_bytes
from claims.services.matching import shared_index, vector_index_update
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

BATCH = 4


@pytest.fixture
def small_batches(matching_settings):
    matching_settings.CLAIMTRACKER_VECTOR_INDEX = {"BATCH": BATCH}
    matching_settings.CLAIMTRACKER_MATCHING = {
        **matching_settings.CLAIMTRACKER_MATCHING,
        "ENGLISH_SIGNAL": True,
    }
    return matching_settings


def stored_claims(count: int, rng: np.random.Generator) -> list[Claim]:
    """Claims with stored vectors (random unit vectors; every other one English with its
    English vector), a few per article."""
    claims = []
    for n in range(count):
        english = n % 2 == 0
        vector = rng.standard_normal(512)
        vector_en = rng.standard_normal(ENGLISH_DIM)
        claims.append(
            ClaimFactory(
                article=ArticleFactory() if n % 3 == 0 or not claims else claims[-1].article,
                text=f"Claim number {n} says {rng.integers(10**6)} people were counted.",
                language="en" if english else "de",
                embedding=embedding_to_bytes(vector / np.linalg.norm(vector)),
                embedding_en=(
                    embedding_to_bytes(vector_en / np.linalg.norm(vector_en), ENGLISH_DIM)
                    if english
                    else None
                ),
            )
        )
    return claims


def assert_index_holds_exactly(claims: list[Claim]) -> None:
    index = shared_index()
    english = [c for c in claims if c.embedding_en is not None]
    # Counts equal: nothing lost, nothing added twice (usearch would count a key added again).
    assert len(index) == len(claims)
    assert index.generation.counts == {"multilingual": len(claims), "english": len(english)}
    assert index.stats.n == len(claims)  # each claim's words counted once
    assert index.high_water == max(c.pk for c in claims)
    for claim in claims:
        assert index.holds("multilingual", claim.pk)
        assert index.holds("english", claim.pk) == (claim.embedding_en is not None)
        # Findable: its own vector brings it back first.
        vector = np.frombuffer(bytes(claim.embedding), dtype="<f4")[None, :]
        assert index.search("multilingual", vector, 1).tolist() == [claim.pk]
    for claim in english:
        vector = np.frombuffer(bytes(claim.embedding_en), dtype="<f4")[None, :]
        assert index.search("english", vector, 1).tolist() == [claim.pk]


def test_batch_boundaries_lose_and_duplicate_nothing(small_batches):
    rng = np.random.default_rng(13)
    first = stored_claims(2 * BATCH + 3, rng)  # two full batches and a partial one
    generation = vector_index_update()
    assert generation is not None and generation.number == 1
    assert_index_holds_exactly(first)

    # The update continues from the high-water mark: a partial batch, then an exact multiple
    # of the batch size (the last read comes back empty).
    second = stored_claims(BATCH + 1, rng)
    assert vector_index_update().number == 2
    assert_index_holds_exactly(first + second)
    third = stored_claims(2 * BATCH, rng)
    assert vector_index_update().number == 3
    assert_index_holds_exactly(first + second + third)
    assert vector_index_update() is None  # nothing new: no generation


def test_a_rebuild_in_batches_equals_the_incremental_index(small_batches):
    rng = np.random.default_rng(7)
    claims = stored_claims(BATCH + 2, rng)
    vector_index_update()
    claims += stored_claims(BATCH * 2 + 1, rng)
    vector_index_update()
    incremental = shared_index()
    incremental_df = np.array(incremental.stats.word_df)
    rebuilt = vector_index_update(rebuild=True)
    assert rebuilt is not None
    assert_index_holds_exactly(claims)
    # The counts do not depend on how the claims were split into batches and updates.
    assert np.array_equal(np.array(shared_index().stats.word_df), incremental_df)
