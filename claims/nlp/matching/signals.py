"""What the index says about each candidate: its signals, their reader-facing reason, and the
result types of a search."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from .config import SIGNALS
from .text import capitalised, numbers


@dataclass(frozen=True)
class MatchCandidate:
    id: str
    score: float
    signals: Mapping[str, float]
    reason: str


@dataclass(frozen=True)
class QueryCandidates:
    """All candidates of one query with their raw signals (rows follow `SIGNALS`); for training."""

    ids: tuple[str, ...]
    signals: np.ndarray
    # Whether the English encoder's signals were computed (an English query, English vectors
    # in the index): such queries are scored with the English blend (`MatchConfig`).
    english: bool = False
    # Set when the `LAZY_SIGNALS` columns are not computed yet (0 until then): fills them in
    # place for the given candidate positions (`pending_candidate_signals`).
    fill: Callable[..., None] | None = field(default=None, compare=False, repr=False)


# The costly signals (string comparisons of each candidate with the query: character n-gram
# TF-IDF and two rapidfuzz ratios), computed last and, for a search that only needs the
# candidates that can reach its top (`exact_top`), only for those, in two stages: the second
# (partial ratios, the costliest per candidate) only for those still in the running after the
# first. Each lies in [0, 1].
LAZY_STAGES = (("chars", "fuzzy"), ("fuzzy_partial",))
LAZY_SIGNALS = tuple(name for stage in LAZY_STAGES for name in stage)
_LAZY_MAX = 1.0 + 1e-4


def _containment(query: frozenset[str], doc: frozenset[str]) -> float:
    return len(query & doc) / len(doc) if doc else 0.0


def _partial_ratios(lowered: str, lowered_docs: list[str], docs: Sequence[str]) -> np.ndarray:
    """`fuzz.partial_ratio(doc, query) / 100` of each candidate up to 400 characters, else 0."""
    out = np.zeros(len(docs), dtype=np.float64)
    short = [i for i, doc in enumerate(docs) if len(doc) <= 400]
    if short:
        out[short] = (
            process.cdist(
                [lowered_docs[i] for i in short],
                [lowered],
                scorer=fuzz.partial_ratio,
                dtype=np.float64,
            )[:, 0]
            / 100.0
        )
    return out


def with_rank_signals(signals: np.ndarray) -> np.ndarray:
    """Fill the reciprocal-rank signals of one query's candidate rows (in place; returned).

    Ranks among the query's own candidates let a linear blend reward "clearly the nearest"
    independently of how alike this query's neighbours are overall.
    """
    for signal, target in (
        ("semantic_best", "semantic_rank"),
        ("lexical", "lexical_rank"),
        ("semantic_en", "semantic_en_rank"),
    ):
        col = signals[:, SIGNALS.index(signal)]
        if not col.any():  # signal absent for this query (e.g. no English vectors): no ranks
            signals[:, SIGNALS.index(target)] = 0.0
            continue
        ranks = np.empty(len(col), dtype=np.float32)
        ranks[np.argsort(-col, kind="stable")] = np.arange(1, len(col) + 1)
        signals[:, SIGNALS.index(target)] = 1.0 / ranks
    return signals


def describe(signals: Mapping[str, float]) -> str:
    """A reviewer-readable reason, e.g. "same numbers, 0.91 similar"."""
    parts: list[str] = []
    if signals.get("exact"):
        parts.append("same text")
    if signals.get("numbers_agree"):
        parts.append("same numbers")
    elif signals.get("numbers_conflict"):
        parts.append("different numbers")
    similar = max(
        signals.get("semantic", 0.0),
        signals.get("semantic_best", 0.0),
        signals.get("semantic_en", 0.0),
    )
    parts.append(f"{similar:.2f} similar")
    if not signals.get("exact") and signals.get("fuzzy", 0.0) >= 0.8:
        parts.append(f"{signals['fuzzy']:.2f} same words")
    return ", ".join(parts)


def candidate_signals(
    text: str,
    docs: Sequence[str],
    *,
    chars: np.ndarray | Callable[[Sequence[str]], np.ndarray],
    **signals,
) -> np.ndarray:
    """Signal rows (columns follow `SIGNALS`) of one query's candidates `docs` (normalised texts).

    `pending_candidate_signals` with every lazy signal filled: see there.
    """
    out, fill = pending_candidate_signals(text, docs, chars=chars, **signals)
    fill(np.arange(len(docs)))
    return out


def pending_candidate_signals(
    text: str,
    docs: Sequence[str],
    *,
    doc_numbers: Sequence[frozenset[str]],
    same_text: Sequence[bool],
    chars: np.ndarray | Callable[[Sequence[str]], np.ndarray],
    semantic: np.ndarray,
    semantic_best: np.ndarray,
    semantic_adapted: np.ndarray,
    lexical: np.ndarray,
    english: np.ndarray | None = None,
    english_adapted: np.ndarray | None = None,
    bm25: np.ndarray | None = None,
) -> tuple[np.ndarray, Callable[..., None]]:
    """Signal rows of one query's candidates without the `LAZY_SIGNALS` columns (0), and a
    function filling those in place for some candidate positions: `fill(positions)` every
    lazy signal, `fill(positions, stage)` those of `LAZY_STAGES[stage]`.

    `chars`: the char n-gram cosines of the docs, or a function of a list of docs giving them
    (so only the docs filled are compared). The rank signals depend on cheap columns only, so
    they are final before any fill; a lazy column's value for a doc does not depend on which
    other docs are filled with it.

    `semantic_en` is the English encoder's cosine when both sides are English; for an English
    query, a candidate without an English vector (a German claim) gets its adapted multilingual
    similarity instead, so it is not pushed down the list for its language; for a non-English
    query it is 0 for every candidate (a constant does not change the ranking).
    `semantic_en_adapted` is the same after the English query adapter.
    """
    query_numbers = numbers(text)
    lowered = text.casefold()
    query_names = capitalised(text)
    out = np.zeros((len(docs), len(SIGNALS)), dtype=np.float32)
    if not len(docs):
        return with_rank_signals(out), lambda positions, stage=None: None
    # Column by column (one C call per signal and a list per Python-level one, not a tuple of
    # 17 values per candidate): the values are those the per-candidate loop wrote.
    shared = [bool(query_numbers & found) for found in doc_numbers]
    columns = {
        "exact": [float(same) for same in same_text],
        "semantic": semantic,
        "semantic_best": semantic_best,
        "semantic_adapted": semantic_adapted,
        "lexical": lexical,
        "numbers_agree": [float(s) for s in shared],
        "numbers_conflict": [
            float(bool(query_numbers) and bool(found) and not s)
            for found, s in zip(doc_numbers, shared, strict=True)
        ],
        "names": [_containment(query_names, capitalised(doc)) for doc in docs],
        "semantic_en": english,
        "semantic_en_adapted": english_adapted,
        "bm25": bm25,
    }
    for name, values in columns.items():
        if values is not None:
            out[:, SIGNALS.index(name)] = values
    for name, values in (("semantic_en", english), ("semantic_en_adapted", english_adapted)):
        if values is not None:
            col = SIGNALS.index(name)
            missing = ~np.isfinite(out[:, col])
            out[missing, col] = semantic_adapted[missing]
    with_rank_signals(out)
    chars_col, fuzzy_col, partial_col = (SIGNALS.index(name) for name in LAZY_SIGNALS)

    def fill(positions: np.ndarray, stage: int | None = None) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):
            return
        chosen = [docs[p] for p in positions]
        lowered_docs = [doc.casefold() for doc in chosen]
        if stage in (None, 0):
            out[positions, chars_col] = (
                chars(chosen) if callable(chars) else np.asarray(chars)[positions]
            )
            out[positions, fuzzy_col] = (
                process.cdist(
                    [lowered], lowered_docs, scorer=fuzz.token_set_ratio, dtype=np.float64
                )[0]
                / 100.0
            )
        if stage in (None, 1):
            out[positions, partial_col] = _partial_ratios(lowered, lowered_docs, chosen)

    return out, fill


def _ceilings(
    signals: np.ndarray, stages_done: np.ndarray, weights: Mapping[str, float], score
) -> np.ndarray:
    """Each candidate's highest possible score: the lazy signals not computed yet at their
    bound (1 where the weight is positive, 0 where negative; the blend is monotone in each)."""
    bound = signals.copy()
    for stage, names in enumerate(LAZY_STAGES):
        rows = stages_done <= stage
        for name in names:
            bound[rows, SIGNALS.index(name)] = _LAZY_MAX if weights.get(name, 0.0) > 0 else 0.0
    return score(bound)


def exact_top(
    cands: QueryCandidates,
    *,
    score: Callable[[np.ndarray], np.ndarray],
    rank: Callable[[np.ndarray], list[tuple[int, float]]],
    weights: Mapping[str, float],
    top: int,
    min_score: float,
    step: int = 16,
) -> list[tuple[int, float]]:
    """`rank(score(signals))[:top]` restricted to the entries scoring at least `min_score`,
    computing the lazy signals only for the candidates that can be among them.

    A candidate's ceiling (`_ceilings`: its score with the signals not computed yet at their
    bounds) is at least its score. Stage by stage (`LAZY_STAGES`), the candidates whose ceiling
    reaches the floor get that stage's signals, highest ceiling first, `step` at a time, until a
    pass over the stages fills nothing; the floor is `min_score`, or the `top`-th entry's score
    once `top` entries are complete and above it. A candidate left behind can only score below
    both, so the entries at or above `min_score` and their order are those of the full
    computation. Incomplete candidates are scored -inf for the ranking: they still count as
    near-duplicates of an entry (`rank` collapses copies by vectors and texts, not scores), and
    an entry whose representative is one of them gets it filled before it is returned.
    `cands.fill` must be set (`pending_candidate_signals`).
    """
    signals, fill = cands.signals, cands.fill
    done = np.zeros(len(signals), dtype=np.int64)  # stages computed per candidate
    complete = len(LAZY_STAGES)

    def ranked_so_far() -> list[tuple[int, float]]:
        scores = np.where(done == complete, score(signals), -np.inf)
        if (scores >= min_score).sum() < top:  # the floor stays min_score: no ranking needed
            return []
        return [(i, s) for i, s in rank(scores) if s > -np.inf][:top]

    # Until a whole pass fills nothing. The floor can fall (a candidate completed later may
    # collapse two entries into one group, so the `top`-th entry is then a lower one); with two
    # stages the first only ever sees `min_score` (nothing is complete yet) and the second looks
    # at all its candidates again each round, so one pass suffices, but a third stage would
    # need the repeat: it keeps the rule "nothing passed over can reach the final floor".
    progressed = True
    while progressed:
        progressed = False
        for stage in range(complete):
            while True:
                ranked = ranked_so_far()
                floor = max(min_score, ranked[-1][1]) if len(ranked) >= top else min_score
                ceiling = _ceilings(signals, done, weights, score)
                todo = np.flatnonzero((done == stage) & (ceiling >= floor))
                if not len(todo):
                    break
                todo = todo[np.argsort(-ceiling[todo], kind="stable")[:step]]
                fill(todo, stage)
                done[todo] += 1
                progressed = True
    scores = np.where(done == complete, score(signals), -np.inf)
    ranked = [(i, s) for i, s in rank(scores) if s >= min_score][:top]
    representatives = np.array([i for i, _s in ranked if done[i] < complete], dtype=np.int64)
    fill(representatives)
    return ranked
