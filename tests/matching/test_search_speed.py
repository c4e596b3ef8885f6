"""What made one search cheaper must not change what it finds (docs/matching.md, "Latency").

The per-process caches are of pure functions of a text (a corrected claim is another text, hence
another key); the per-search shortcuts must give the values of the plain computation.
"""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz import fuzz

from claims.models import Claim
from claims.nlp.matching import ClaimIndex, MatchConfig, normalise_claim_text
from claims.nlp.matching import features as features_module
from claims.nlp.matching import index as signals_module_index
from claims.nlp.matching import signals as signals_module
from claims.nlp.matching.corpus import CorpusStatistics
from claims.nlp.matching.features import (
    CHAR_CACHE,
    TERM_CACHE,
    _char_counts,
    _term_frequencies,
    char_counts,
    term_frequencies,
)
from claims.nlp.matching.signals import _containment, candidate_signals, with_rank_signals
from claims.nlp.matching.text import _NOISE_TABLE, _is_noise_char, capitalised, numbers
from claims.services.matching import (
    claims_embed,
    claims_find_candidates,
    shared_index,
    vector_index_update,
)
from tests.factories import ArticleFactory, ClaimFactory

MISSILES = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."
MISSILES_AGAIN = (
    "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen mehr getestet, sagte Trump am Montag."
)
SANCTIONS = "Die US-Sanktionen waren laut Pompeo der Hauptgrund für das Ende des Gipfels."
UNRELATED = "Die Inflation in der Eurozone lag im Februar bei 1,5 Prozent."

TEXTS = [
    "The unemployment rate fell to 3.5% in 2019, the lowest in 50 years.",
    "Unemployment fell to 3,5 percent — the lowest rate in fifty years! 🎉 #JobsReport",
    "Die Arbeitslosenquote sank 2019 auf 3,5 Prozent, sagte Scholz.",
    MISSILES,
    MISSILES_AGAIN,
    SANCTIONS,
    UNRELATED,
    "",
    "a",
    "Ünïcödé ^caret` and backtick, 1.500 Euro",
]


def clear_caches():
    CHAR_CACHE.clear()
    TERM_CACHE.clear()


def test_the_noise_table_cleans_every_character_as_the_per_character_test_does():
    everything = "".join(chr(c) for c in range(0x110000))
    cleaned = everything.translate(_NOISE_TABLE)
    assert cleaned == "".join(" " if _is_noise_char(ch) else ch for ch in everything)


@pytest.mark.parametrize("texts", [TEXTS, TEXTS[::-1] + TEXTS[:3], TEXTS[3:4], []])
def test_cached_word_and_char_features_equal_the_plain_computation(texts):
    clear_caches()
    for _round in ("cold", "warm"):
        rows, features, counts = char_counts(texts)
        plain = _char_counts(texts)
        assert [a.dtype for a in (rows, features, counts)] == [a.dtype for a in plain]
        assert all(
            np.array_equal(a, b) for a, b in zip((rows, features, counts), plain, strict=True)
        )
        if texts:
            cached, uncached = term_frequencies(texts), _term_frequencies(texts)
            assert cached.shape == uncached.shape
            assert np.array_equal(cached.indptr, uncached.indptr)
            assert np.array_equal(cached.indices, uncached.indices)
            assert np.array_equal(cached.data, uncached.data)
    assert len(CHAR_CACHE) == len(set(texts))


def test_a_corrected_text_is_a_new_cache_key_and_the_cache_stays_bounded(monkeypatch):
    clear_caches()
    before = char_counts(["Trump said 3 million"])[1].copy()
    after = char_counts(["Biden said 4 million"])[1]
    assert not np.array_equal(before, after)
    assert len(CHAR_CACHE) == 2
    small = features_module.TextCache(3)
    for i in range(5):
        small.put(f"text {i}", np.zeros(1))
    assert len(small) == 3 and small.get("text 0") is None and small.get("text 4") is not None
    with pytest.raises(ValueError):  # cached arrays are read only: no caller can change them
        small.get("text 4")[0][0] = 1.0


def per_candidate_signals(text, docs, **values):
    """The per-candidate loop `candidate_signals` replaced (the reference)."""
    query_numbers, lowered, names = numbers(text), text.casefold(), capitalised(text)
    out = np.zeros((len(docs), 17), dtype=np.float32)
    for i, doc in enumerate(docs):
        shared = bool(query_numbers & values["doc_numbers"][i])
        out[i] = (
            float(values["same_text"][i]),
            values["semantic"][i],
            values["semantic_best"][i],
            values["semantic_adapted"][i],
            values["lexical"][i],
            values["chars"][i],
            fuzz.token_set_ratio(lowered, doc.casefold()) / 100.0,
            fuzz.partial_ratio(doc.casefold(), lowered) / 100.0 if len(doc) <= 400 else 0.0,
            float(shared),
            float(bool(query_numbers) and bool(values["doc_numbers"][i]) and not shared),
            _containment(names, capitalised(doc)),
            0.0,
            0.0,
            values["english"][i],
            0.0,
            values["english_adapted"][i],
            values["bm25"][i],
        )
    for col in (13, 15):  # semantic_en, semantic_en_adapted
        missing = ~np.isfinite(out[:, col])
        out[missing, col] = values["semantic_adapted"][missing]
    return with_rank_signals(out)


def test_signals_by_column_equal_the_per_candidate_loop():
    rng = np.random.default_rng(3)
    docs = [normalise_claim_text(t) or t for t in TEXTS] + ["x" * 401 + " 3.5"]
    n = len(docs)

    def column():
        return rng.random(n).astype(np.float32)

    english = np.where(rng.random(n) > 0.3, rng.random(n), -np.inf).astype(np.float32)
    values = {
        "doc_numbers": [numbers(d) for d in docs],
        "same_text": [i == 2 for i in range(n)],
        "chars": column(),
        "semantic": column(),
        "semantic_best": column(),
        "semantic_adapted": column(),
        "lexical": column(),
        "english": english,
        "english_adapted": english * 0.9,
        "bm25": column(),
    }
    for query in docs[:4]:
        got = candidate_signals(query, docs, **values)
        assert np.array_equal(got, per_candidate_signals(query, docs, **values))


def small_index(config, *, shortlist=True):
    rng = np.random.default_rng(5)
    texts = TEXTS[:7] * 3  # copies: duplicate collapsing has work to do
    vectors = rng.standard_normal((len(texts), 512)).astype(np.float32)
    vectors[7:] = vectors[:14] + 0.01  # near-verbatim copies of the first seven
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    stats = CorpusStatistics.empty()
    stats.add([normalise_claim_text(t) or t for t in texts])
    index = ClaimIndex(config=config, shortlist=shortlist)
    index.use_statistics(stats)
    index.add([str(i) for i in range(len(texts))], texts, embeddings=vectors)
    return index, vectors


def test_an_index_without_projections_searches_as_the_shortlisting_one():
    config = MatchConfig(lexical_search=False, english_signal=False)
    plain, vectors = small_index(config)
    unprojected, _ = small_index(config, shortlist=False)
    assert unprojected._store.low.shape[1] == 0  # nothing projected per search
    query = [vectors[3][None, :]]
    kwargs = {"top": 5, "query_embeddings": query, "lexical_candidates": [["1", "2"]]}
    assert unprojected.search([MISSILES], **kwargs) == plain.search([MISSILES], **kwargs)


def test_ranking_only_the_top_gives_the_first_entries_of_the_whole_ranking():
    config = MatchConfig(lexical_search=False, english_signal=False)
    index, vectors = small_index(config)
    (cands,) = index.candidates([MISSILES], query_embeddings=[vectors[3][None, :]])
    scores = index.score(cands.signals)
    whole = index.rank(cands, scores)
    assert len(whole) < len(cands.ids)  # copies were collapsed
    for limit in range(1, len(whole) + 2):
        assert index.rank(cands, scores, limit=limit) == whole[:limit]


def test_a_search_with_a_minimum_score_returns_the_full_search_s_matches_above_it():
    """The costly string signals are computed only for the candidates that can reach the top
    and the minimum (`exact_top`): the matches at or above it are those of the full search,
    scores and signals included, near-verbatim copies collapsed the same way."""
    rng = np.random.default_rng(7)
    base = [t for t in TEXTS if len(t) > 20]
    texts = [f"{t} {w}" for t in base for w in ("Montag", "in Berlin", "said Smith", "2019")]
    texts += texts[:8]  # verbatim copies
    vectors = rng.standard_normal((len(texts), 512)).astype(np.float32)
    vectors[len(texts) - 8 :] = vectors[:8] + 0.001
    vectors[8:16] = vectors[:8] + rng.normal(0, 0.3, (8, 512))  # near, not copies
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    stats = CorpusStatistics.empty()
    stats.add([normalise_claim_text(t) or t for t in texts])
    index = ClaimIndex(config=MatchConfig(lexical_search=False, english_signal=False))
    index.use_statistics(stats)
    index.add([str(i) for i in range(len(texts))], texts, embeddings=vectors)
    filled = []
    original = signals_module.pending_candidate_signals

    def counting(*args, **kwargs):
        out, fill = original(*args, **kwargs)

        def counted(positions, stage=None):
            if stage in (None, 1):  # the partial ratios, the last and costliest signal
                filled.append(len(positions))
            fill(positions, stage)

        return out, counted

    signals_module_index.pending_candidate_signals = counting
    try:
        for q in (0, 3, 9, 17):
            query = {"query_embeddings": [vectors[q][None, :]]}
            (cands,) = index.candidates([texts[q]], **query)
            scores = index.score(cands.signals)
            for top in (1, 3, 5):
                whole = index.search([texts[q]], top=top, **query)[0]
                exact = dict(index.rank(cands, scores, limit=top))
                for min_score in (0.0, 1e-6, 0.03, 0.5, 0.99):
                    filled.clear()
                    got = index.search([texts[q]], top=top, min_score=min_score, **query)[0]
                    expected = [
                        m for m, (_i, s) in zip(whole, exact.items(), strict=True) if s >= min_score
                    ]
                    assert got == expected, (q, top, min_score)
                    if min_score >= 0.5:
                        assert sum(filled) < len(cands.ids)  # the point: not every candidate
    finally:
        signals_module_index.pending_candidate_signals = original


# --- the app's search --------------------------------------------------------------------------


def stored(text: str) -> Claim:
    claim = ClaimFactory(article=ArticleFactory(), text=text)
    claims_embed(claims=[claim])
    return claim


def search(claim: Claim):
    claim = Claim.objects.get(pk=claim.pk)
    return [
        (m.id, m.score, dict(m.signals)) for m in claims_find_candidates(claims=[claim], top=5)[0]
    ]


@pytest.mark.django_db
def test_a_corrected_claim_is_scored_by_its_new_text_with_warm_caches(matching_settings):
    target = stored(MISSILES)
    stored(SANCTIONS)
    vector_index_update()
    # Above the high-water mark: found by the exact scan, its row read once for both uses.
    above = stored("Trump sagte, Nordkorea habe seit über einem Jahr keine Atomwaffen getestet.")
    query = stored(MISSILES_AGAIN)

    first = search(query)
    assert first[0][0] == str(target.pk)
    assert str(above.pk) in {i for i, _s, _signals in first}
    assert search(query) == first  # warm caches
    clear_caches()
    assert search(query) == first

    # A reviewer corrects the stored claim; its vector follows its text.
    target.standalone = "Nordkorea hat im vergangenen Jahr zwei Atomwaffen getestet."
    target.embedding = target.embedding_en = None
    target.save()
    claims_embed(claims=[target])
    warm = search(query)
    clear_caches()
    cold = search(query)
    assert warm == cold
    before = dict((i, signals) for i, _s, signals in first)[str(target.pk)]
    after = dict((i, signals) for i, _s, signals in warm)[str(target.pk)]
    assert after["fuzzy"] != before["fuzzy"]


@pytest.mark.django_db
def test_the_search_brings_the_index_up_to_date_only_when_too_far_behind(
    matching_settings, settings
):
    settings.CLAIMTRACKER_VECTOR_INDEX = {"SCAN_LIMIT": 2}
    stored(SANCTIONS)
    first = vector_index_update()
    newer = stored(MISSILES)
    query = stored(MISSILES_AGAIN)  # two claims above the mark, the query's own included
    found = search(query)
    assert shared_index().high_water == first.high_water  # no generation for the search
    assert found[0][0] == str(newer.pk)  # the exact scan found it

    stored(UNRELATED)  # three: more than SCAN_LIMIT
    assert search(query)[0][0] == str(newer.pk)
    assert shared_index().high_water > first.high_water  # the search wrote one itself
    assert str(newer.pk) in shared_index()


def test_threads_sharing_a_small_cache_get_the_plain_results(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(features_module, "CHAR_CACHE", features_module.TextCache(4))
    batches = [[TEXTS[(i + k) % len(TEXTS)] for k in range(5)] for i in range(40)]

    def same(batch):
        got, plain = char_counts(batch), _char_counts(batch)
        return all(np.array_equal(a, b) for a, b in zip(got, plain, strict=True))

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(same, batches * 5))
    assert len(features_module.CHAR_CACHE) <= 4


def test_exact_top_equals_the_full_ranking_with_copies_collapsed_whatever_the_order():
    """Random signals, weights and copy relations: `exact_top` against ranking every candidate
    with every signal (copies collapsed as `ClaimIndex.rank` does: an entry takes the copies
    not taken yet, the earliest candidate stands for it)."""
    from claims.nlp.matching.config import SIGNALS
    from claims.nlp.matching.signals import LAZY_SIGNALS, LAZY_STAGES, QueryCandidates, exact_top

    rng = np.random.default_rng(11)
    lazy = [SIGNALS.index(name) for name in LAZY_SIGNALS]
    for trial in range(1000):
        n = int(rng.integers(1, 60))
        truth = rng.random((n, len(SIGNALS))).astype(np.float32)
        weights = dict(zip(SIGNALS, rng.normal(0, 3, len(SIGNALS)), strict=True))
        w = np.array([weights[s] for s in SIGNALS])
        bias = float(rng.normal(-2, 2))
        copies = rng.random((n, n)) < rng.choice([0.02, 0.1, 0.3])
        copies = copies | copies.T | np.eye(n, dtype=bool)

        def score(signals, w=w, bias=bias):
            return 1.0 / (1.0 + np.exp(-(bias + signals.astype(np.float64) @ w)))

        def rank(scores, copies=copies, n=n, limit=None):
            order = np.lexsort((np.arange(n), -scores))
            taken, ranked = np.zeros(n, dtype=bool), []
            for a in order:
                if limit is not None and len(ranked) >= limit:
                    break
                if taken[a]:
                    continue
                group = np.flatnonzero(copies[a] & ~taken)
                taken[group] = True
                ranked.append((int(group.min()), float(scores[a])))
            return ranked

        signals = truth.copy()
        signals[:, lazy] = 0.0

        def fill(positions, stage=None, signals=signals, truth=truth):
            names = LAZY_SIGNALS if stage is None else LAZY_STAGES[stage]
            for name in names:
                col = SIGNALS.index(name)
                signals[positions, col] = truth[positions, col]

        top = int(rng.integers(1, 6))
        min_score = float(rng.choice([0.0, 0.03, 0.3, 0.7]))
        got = exact_top(
            QueryCandidates(tuple(map(str, range(n))), signals, fill=fill),
            score=score,
            rank=lambda s, top=top, rank=rank: rank(s, limit=top),
            weights=weights,
            top=top,
            min_score=min_score,
            step=int(rng.integers(1, 20)),
        )
        expected = [(i, s) for i, s in rank(score(truth), limit=top) if s >= min_score]
        assert [i for i, _s in got] == [i for i, _s in expected], trial
        assert np.allclose([s for _i, s in got], [s for _i, s in expected]), trial
        for i, _s in got:  # the entries returned carry every signal
            assert np.array_equal(signals[i], truth[i]), trial
