"""The shortlist pass (projected vectors) finds the neighbours the exact scan finds.

Above `prefilter_min_claims` the index compares a query with projected copies of the stored
vectors and computes exact cosines only for a shortlist (claims/nlp/matching/prefilter.py).
"""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claims.nlp.matching import (
    EMBEDDING_DIM,
    ENGLISH_DIM,
    ClaimIndex,
    MatchConfig,
    claim_embeddings,
    english_claim_embeddings,
)
from claims.nlp.matching.prefilter import shipped_projections, top_k
from tests.nlp.test_matching_index_incremental import _corpus, _queries, _search

PAIRS = Path(__file__).resolve().parents[1] / "data" / "crosslingual_pairs.tsv"


def _config(*, prefilter: bool, shortlist: int = 256) -> MatchConfig:
    base = replace(MatchConfig(), lexical_search=False)
    if not prefilter:
        return replace(base, prefilter_min_claims=10**9)
    return replace(base, prefilter_min_claims=0, prefilter_shortlist=shortlist)


def _build(config: MatchConfig, corpus) -> ClaimIndex:
    index = ClaimIndex(config=config)
    index.add(
        [c[0] for c in corpus],
        [c[1] for c in corpus],
        embeddings=np.stack([c[2] for c in corpus]),
        english_embeddings=[c[3] for c in corpus],
    )
    return index


def _matches(index: ClaimIndex, query) -> list:
    """The best ten for (text, vectors, English vectors or None[, lexical candidate ids])."""
    return _search(index, query if len(query) == 4 else (*query, []))[1]


def test_the_shipped_projections_have_orthonormal_columns():
    projections = shipped_projections()
    assert projections["multilingual"].shape[0] == EMBEDDING_DIM
    assert projections["english"].shape[0] == ENGLISH_DIM
    for matrix in projections.values():
        assert matrix.shape[1] < matrix.shape[0]
        np.testing.assert_allclose(matrix.T @ matrix, np.eye(matrix.shape[1]), atol=1e-4)


def test_a_shortlist_as_long_as_the_index_is_the_exact_search_after_removals():
    corpus = _corpus(2400, seed=11)
    exact = _build(_config(prefilter=False), corpus)
    shortlisted = _build(_config(prefilter=True, shortlist=5000), corpus)
    rng = random.Random(12)
    gone = [c[0] for c in rng.sample(corpus, 900)]  # past 30% dead: the index compacts
    for index in (exact, shortlisted):
        index.remove(gone)
    assert len(shortlisted._store.vectors) == len(shortlisted) and len(
        shortlisted._store.low
    ) == len(shortlisted)  # compacted, projected copies with it
    for query in _queries([c for c in corpus if c[0] not in set(gone)], 10, seed=13):
        a, b = _matches(exact, query), _matches(shortlisted, query)
        assert [m.id for m in a] == [m.id for m in b]
        np.testing.assert_allclose([m.score for m in a], [m.score for m in b], atol=1e-6)


@pytest.fixture(scope="module")
def real_claims():
    with PAIRS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    texts = [r["text"] for r in rows]
    return [r["id"] for r in rows], texts, claim_embeddings(texts), english_claim_embeddings(texts)


def test_the_shortlist_keeps_the_neighbours_of_real_claims(real_claims):
    """Real claims among 4,000 random vectors; the shortlist (256) is a small part of them."""
    ids, texts, vectors, english = real_claims
    noise = np.random.default_rng(14)
    padding = noise.standard_normal((4000, EMBEDDING_DIM)).astype(np.float32)
    padding /= np.linalg.norm(padding, axis=1, keepdims=True)
    en_padding = noise.standard_normal((4000, ENGLISH_DIM)).astype(np.float32)
    en_padding /= np.linalg.norm(en_padding, axis=1, keepdims=True)
    corpus = [
        (f"pad{i}", f"Filler claim number {i} about nothing.", padding[i], en_padding[i])
        for i in range(4000)
    ] + list(zip(ids, texts, vectors, english, strict=True))
    exact = _build(_config(prefilter=False), corpus)
    shortlisted = _build(_config(prefilter=True), corpus)
    partner_found = same_five = 0
    for i, claim_id in enumerate(ids):
        for index in (exact, shortlisted):
            index.remove([claim_id])
        query = (texts[i], vectors[i][None, :], None if english[i] is None else english[i][None, :])
        a, b = _matches(exact, query), _matches(shortlisted, query)
        # The best match, and every match the app acts on (a suggestion or more), are the same;
        # lower down, a random padding vector the projection keeps badly can make way for
        # another claim in the scorer's candidates, which moves scores of ~0.001 around.
        assert a[0].id == b[0].id, texts[i]
        acted = shortlisted.config.suggested
        assert {m.id for m in a if m.score >= acted} == {m.id for m in b if m.score >= acted}
        same_five += [m.id for m in a[:5]] == [m.id for m in b[:5]]
        partner = claim_id.rsplit("-", 1)[0] + ("-en" if claim_id.endswith("-de") else "-de")
        partner_found += partner in [m.id for m in b[:5]]
        for index in (exact, shortlisted):
            index.add(
                [claim_id],
                [texts[i]],
                embeddings=vectors[i][None, :],
                english_embeddings=[english[i]],
            )
    assert partner_found >= 0.9 * len(ids)
    assert same_five >= 0.95 * len(ids)


@pytest.mark.parametrize("seed", range(6))
def test_top_k_finds_the_k_highest_finite_scores(seed: int):
    """Large arrays take the sampled-threshold path, small ones the plain argpartition; ties,
    dead rows (-inf) and fewer finite scores than k included."""
    rng = np.random.default_rng(seed)
    for n, k in ((150_000, 256), (150_000, 30), (40_000, 256), (500, 30), (20, 30)):
        scores = rng.standard_normal(n).astype(np.float32)
        if seed % 2:
            scores = np.round(scores, 1)  # many ties
        if seed >= 3:
            scores[rng.random(n) < 0.6] = -np.inf
        finite = np.sort(scores[np.isfinite(scores)])[::-1][:k]
        found = top_k(scores, k)
        assert len(set(found.tolist())) == len(found)
        np.testing.assert_array_equal(np.sort(scores[found])[::-1], finite)
