"""The matching core kept in step incrementally gives the results of an index built in one go.

The worker adds every article's claims to its index between searches (and takes an article's own
claims out while it searches), so the core's upkeep after an add (cached IDF weights, the word
rows waiting in blocks, the English vectors' array) must not change a search's candidates,
signals or scores. Stored vectors are random (seeded): no encoder is needed.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from claims.nlp.matching import EMBEDDING_DIM, ENGLISH_DIM, ClaimIndex, MatchConfig
from claims.nlp.matching.features import term_frequencies
from claims.nlp.matching.lexical import LexicalStore

SUBJECTS = (
    "The government", "The minister", "Germany", "Berlin", "The EU", "Russia", "North Korea",
    "Die Bundesregierung", "Der Kanzler", "Bayern", "The mayor", "China",
)  # fmt: skip
VERBS = ("raised", "cut", "doubled", "banned", "erhöhte", "senkte", "tested", "spent")
OBJECTS = (
    "taxes", "pensions", "the minimum wage", "rents", "nuclear weapons", "die Renten",
    "gas imports", "wind turbines", "electric cars", "die Mieten", "hospital beds", "vaccines",
)  # fmt: skip


def _corpus(n: int, seed: int) -> list[tuple[str, str, np.ndarray, np.ndarray | None]]:
    """(id, text, embedding, English embedding or None) of n synthetic claims, some repeated."""
    rng = random.Random(seed)
    vectors = np.random.default_rng(seed).standard_normal((n, EMBEDDING_DIM + ENGLISH_DIM))
    vectors = vectors.astype(np.float32)
    out = []
    for i in range(n):
        if i > 10 and rng.random() < 0.05:  # a verbatim repeat of an earlier claim
            text = out[rng.randrange(i)][1]
        else:
            text = (
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} by "
                f"{rng.randint(1, 60)} percent in {rng.randint(1990, 2025)}, "
                f"{rng.choice(SUBJECTS).lower()} said."
            )
        main = vectors[i, :EMBEDDING_DIM] / np.linalg.norm(vectors[i, :EMBEDDING_DIM])
        english = vectors[i, EMBEDDING_DIM:] / np.linalg.norm(vectors[i, EMBEDDING_DIM:])
        out.append((f"c{i}", text, main, english if i % 2 == 0 else None))
    return out


def _app_config(*, prefilter: bool = False) -> MatchConfig:
    # As the app runs the core: lexical candidates handed in, no own word search; with
    # `prefilter`, neighbours shortlisted on the projected vectors as above 20,000 claims.
    return replace(
        MatchConfig(), lexical_search=False, prefilter_min_claims=0 if prefilter else 10**9
    )


def _queries(corpus, count: int, seed: int):
    """(text, query vectors, English query vectors or None, lexical candidate ids)."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        _id, text, vector, english = corpus[rng.randrange(len(corpus))]
        query = vector + 0.3 * noise.standard_normal(EMBEDDING_DIM).astype(np.float32)
        query /= np.linalg.norm(query)
        en = None if english is None else (english / np.linalg.norm(english))[None, :]
        lexical = [corpus[rng.randrange(len(corpus))][0] for _ in range(20)]
        out.append((text.replace("said", "claimed"), query[None, :], en, lexical))
    return out


def _search(index: ClaimIndex, query):
    text, vectors, english, lexical = query
    found = index.candidates(
        [text],
        lexical_candidates=[[i for i in lexical if i in index]],
        query_embeddings=[vectors],
        english_query_embeddings=[english],
    )[0]
    matches = index.search(
        [text],
        top=10,
        lexical_candidates=[[i for i in lexical if i in index]],
        query_embeddings=[vectors],
        english_query_embeddings=[english],
    )[0]
    return found, matches


def _assert_same(a: ClaimIndex, b: ClaimIndex, queries) -> None:
    for query in queries:
        (found_a, matches_a), (found_b, matches_b) = _search(a, query), _search(b, query)
        assert found_a.ids == found_b.ids
        assert found_a.english == found_b.english
        np.testing.assert_allclose(found_a.signals, found_b.signals, rtol=0, atol=1e-6)
        assert [m.id for m in matches_a] == [m.id for m in matches_b]
        np.testing.assert_allclose(
            [m.score for m in matches_a], [m.score for m in matches_b], rtol=0, atol=1e-6
        )


def _fresh(incremental: ClaimIndex, corpus_by_id) -> ClaimIndex:
    """An index built in one go from what `incremental` holds, in the same order."""
    ids = incremental.ids()
    fresh = ClaimIndex(config=incremental.config)
    fresh.add(
        ids,
        [corpus_by_id[i][1] for i in ids],
        embeddings=np.stack([corpus_by_id[i][2] for i in ids]),
        english_embeddings=[incremental.english_embedding(i) for i in ids],
    )
    return fresh


@pytest.mark.parametrize("prefilter", [False, True])
def test_adds_and_removes_between_searches_give_the_results_of_one_build(prefilter: bool):
    corpus = _corpus(3200, seed=1)
    by_id = {c[0]: c for c in corpus}
    queries = _queries(corpus, 12, seed=2)
    index = ClaimIndex(config=_app_config(prefilter=prefilter))
    first = corpus[:1500]
    index.add(
        [c[0] for c in first],
        [c[1] for c in first],
        embeddings=np.stack([c[2] for c in first]),
        english_embeddings=[c[3] for c in first],
    )
    rng = random.Random(3)
    position, step = 1500, 0
    # Small adds (past the block limit and the fold into the main rows), each followed, as in
    # the worker, by taking the claim out, searching and putting it back; now and then a claim
    # is deleted for good or replaced by a new text.
    while position < len(corpus):
        size = rng.choice((1, 1, 2, 5))
        batch = corpus[position : position + size]
        position += len(batch)
        ids = [c[0] for c in batch]
        index.add(
            ids,
            [c[1] for c in batch],
            embeddings=np.stack([c[2] for c in batch]),
            english_embeddings=[c[3] for c in batch],
        )
        saved = [(i, index.embedding(i), index.english_embedding(i)) for i in ids]
        index.remove(ids)
        _search(index, queries[step % len(queries)])
        index.add(
            [i for i, _v, _e in saved],
            [by_id[i][1] for i, _v, _e in saved],
            embeddings=np.stack([v for _i, v, _e in saved]),
            english_embeddings=[e for _i, _v, e in saved],
        )
        step += 1
        if step % 40 == 0:
            index.remove([corpus[rng.randrange(position)][0]])
    assert step > LexicalStore.MAX_BLOCKS
    _assert_same(index, _fresh(index, by_id), queries)


@pytest.mark.parametrize("prefilter", [False, True])
def test_english_vectors_arriving_after_the_build_are_searched_as_in_one_build(prefilter: bool):
    corpus = _corpus(1200, seed=4)
    by_id = {c[0]: c for c in corpus}
    queries = _queries(corpus, 8, seed=5)
    index = ClaimIndex(config=_app_config(prefilter=prefilter))
    head = corpus[:1000]
    # Rebuilt from stored multilingual vectors only: no English vectors, no array for them.
    index.add([c[0] for c in head], [c[1] for c in head], embeddings=np.stack([c[2] for c in head]))
    assert index._store.en_vectors is None  # the memory this test is about
    assert index.english_embedding("c0") is None
    _search(index, queries[0])
    for claim in corpus[1000:]:  # then claims arrive with their English vectors
        index.add(
            [claim[0]], [claim[1]], embeddings=claim[2][None, :], english_embeddings=[claim[3]]
        )
    assert index.english_embedding("c1000") is not None
    assert index.english_embedding("c0") is None
    _assert_same(index, _fresh(index, by_id), queries)


@pytest.mark.parametrize("order", ["ascending", "shuffled"])
def test_word_rows_are_read_across_blocks_as_from_one_matrix(order: str):
    texts = [" ".join(c[1].split()[:6]) + f" w{i}" for i, c in enumerate(_corpus(2600, seed=6))]
    store = LexicalStore()
    position = 0
    rng = random.Random(7)
    while position < len(texts):
        size = 400 if position < 800 else rng.choice((1, 3, 7))
        store.append(term_frequencies(texts[position : position + size]))
        position += size
    whole = sp.vstack([term_frequencies(texts[:1]), term_frequencies(texts[1:])], format="csr")
    rows = np.arange(0, len(texts), 7)
    if order == "shuffled":
        rows = np.random.default_rng(8).permutation(rows)
    picked = store.rows(rows)
    assert (picked != whole[rows]).nnz == 0
    assert (store.matrix != whole).nnz == 0
