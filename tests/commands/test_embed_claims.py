"""`manage.py embed_claims`: missing matching vectors stored; with --refresh, all encoded again."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command

from claims.nlp.matching import (
    EMBEDDING_DIM,
    ENGLISH_DIM,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    english_claim_embeddings,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

STALE = embedding_to_bytes(np.full(EMBEDDING_DIM, 1 / np.sqrt(EMBEDDING_DIM), np.float32))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("embed_claims", *args, stdout=out)
    return out.getvalue()


def test_missing_vectors_are_stored_and_stored_ones_left_alone(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    english = ClaimFactory(
        text="North Korea has not tested nuclear weapons for more than a year.", language="en"
    )
    german = ClaimFactory(text="Nordkorea hat keine Raketen getestet.", embedding=STALE)
    unworthy = ClaimFactory(text="Vielen Dank und bis bald.", checkworthy=False)

    assert _run() == "stored vectors for 1 claims\n"

    english.refresh_from_db()
    np.testing.assert_allclose(
        embedding_from_bytes(bytes(english.embedding)),
        claim_embeddings([english.text])[0],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        embedding_from_bytes(bytes(english.embedding_en), ENGLISH_DIM),
        english_claim_embeddings([english.text])[0],
        atol=1e-5,
    )
    german.refresh_from_db()
    unworthy.refresh_from_db()
    assert bytes(german.embedding) == STALE
    assert unworthy.embedding is None
    assert _run() == "stored vectors for 0 claims\n"  # idempotent


def test_refresh_encodes_every_stored_vector_again(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    claims = [
        ClaimFactory(text=f"Die Renten steigen {year} um drei Prozent.", embedding=STALE)
        for year in (2024, 2025, 2026)
    ]
    assert _run("--refresh", "--batch", "2") == "re-encoded 3 claims\n"
    for claim in claims:
        claim.refresh_from_db()
        np.testing.assert_allclose(
            embedding_from_bytes(bytes(claim.embedding)),
            claim_embeddings([claim.text])[0],
            atol=1e-5,
        )
        assert claim.embedding_en is None  # German: no English vector
