"""What the index says about each candidate: its signals, their reader-facing reason, and the
result types of a search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

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
    for i, doc in enumerate(docs):
        doc_lowered = doc.casefold()
        shared = bool(query_numbers & doc_numbers[i])
        out[i] = (
            float(same_text[i]),
            semantic[i],
            semantic_best[i],
            semantic_adapted[i],
            lexical[i],
            chars[i],
            fuzz.token_set_ratio(lowered, doc_lowered) / 100.0,
            fuzz.partial_ratio(doc_lowered, lowered) / 100.0 if len(doc) <= 400 else 0.0,
            float(shared),
            float(bool(query_numbers) and bool(doc_numbers[i]) and not shared),
            _containment(query_names, capitalised(doc)),
            0.0,
            0.0,
            0.0 if english is None else english[i],
            0.0,
            0.0 if english_adapted is None else english_adapted[i],
            0.0 if bm25 is None else bm25[i],
        )
    for name, values in (("semantic_en", english), ("semantic_en_adapted", english_adapted)):
        if values is not None:
            col = SIGNALS.index(name)
            missing = ~np.isfinite(out[:, col])
            out[missing, col] = semantic_adapted[missing]
    return with_rank_signals(out)
