"""What the index says about each candidate: its signals, their reader-facing reason, and the
result types of a search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    doc_numbers: Sequence[frozenset[str]],
    same_text: Sequence[bool],
    chars: np.ndarray,
    semantic: np.ndarray,
    semantic_best: np.ndarray,
    semantic_adapted: np.ndarray,
    lexical: np.ndarray,
    english: np.ndarray | None = None,
    english_adapted: np.ndarray | None = None,
    bm25: np.ndarray | None = None,
) -> np.ndarray:
    """Signal rows (columns follow `SIGNALS`) of one query's candidates `docs` (normalised texts).

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
        return with_rank_signals(out)
    # Column by column (one C call per signal and a list per Python-level one, not a tuple of
    # 17 values per candidate): the values are those the per-candidate loop wrote.
    lowered_docs = [doc.casefold() for doc in docs]
    shared = [bool(query_numbers & found) for found in doc_numbers]
    columns = {
        "exact": [float(same) for same in same_text],
        "semantic": semantic,
        "semantic_best": semantic_best,
        "semantic_adapted": semantic_adapted,
        "lexical": lexical,
        "chars": chars,
        "fuzzy": process.cdist(
            [lowered], lowered_docs, scorer=fuzz.token_set_ratio, dtype=np.float64
        )[0]
        / 100.0,
        "fuzzy_partial": _partial_ratios(lowered, lowered_docs, docs),
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
    return with_rank_signals(out)
