"""Matching configuration: the learned signal weights and the confirmed/suggested thresholds.

The weights and thresholds are written by `training/matching/train.py` into `weights.json` next to
this file (fitted on the train splits, thresholds chosen on the dev splits; see
docs/model-card-matching.md). Callers override thresholds from their own settings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
ADAPTER_FILE = Path(__file__).with_name("query_adapter.npy")
ENGLISH_ADAPTER_FILE = Path(__file__).with_name("query_adapter_en.npy")

SIGNALS: tuple[str, ...] = (
    "exact",
    "semantic",
    "semantic_best",
    "semantic_adapted",
    "lexical",
    "chars",
    "fuzzy",
    "fuzzy_partial",
    "numbers_agree",
    "numbers_conflict",
    "names",
    "semantic_rank",
    "lexical_rank",
    # The English encoder (all-MiniLM-L6-v2): cosine when query and claim are English.
    "semantic_en",
    "semantic_en_rank",
    "semantic_en_adapted",
    # Okapi BM25 of the word uni+bigrams, relative to the query's best candidate.
    "bm25",
)

MatchLevel = Literal["confirmed", "suggested"]


@cache
def _shipped() -> Mapping[str, object]:
    if WEIGHTS_FILE.exists():
        return MappingProxyType(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))
    # Before training has run: a hand-set blend, so the index still works.
    return MappingProxyType(
        {
            "bias": -8.0,
            "weights": {"semantic_best": 6.0, "semantic": 2.0, "lexical": 4.0, "exact": 4.0},
            "confirmed": 0.9,
            "suggested": 0.5,
        }
    )


def _load_adapter(path: Path) -> np.ndarray | None:
    if path.exists():
        adapter = np.load(path).astype(np.float32)
        adapter.setflags(write=False)
        return adapter
    return None


@cache
def _shipped_adapter() -> np.ndarray | None:
    return _load_adapter(ADAPTER_FILE)


@cache
def _shipped_english_adapter() -> np.ndarray | None:
    return _load_adapter(ENGLISH_ADAPTER_FILE)


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType(dict(_shipped()["weights"]))  # type: ignore[arg-type]


def _default_bias() -> float:
    return float(_shipped()["bias"])  # type: ignore[arg-type]


def _default_confirmed() -> float:
    return float(_shipped()["confirmed"])  # type: ignore[arg-type]


def _default_suggested() -> float:
    return float(_shipped()["suggested"])  # type: ignore[arg-type]


def _default_english_weights() -> Mapping[str, float] | None:
    weights = _shipped().get("english_weights")
    return None if weights is None else MappingProxyType(dict(weights))  # type: ignore[call-overload]


def _default_english_bias() -> float:
    return float(_shipped().get("english_bias", 0.0))  # type: ignore[arg-type]


@dataclass(frozen=True)
class MatchConfig:
    """How candidates are found and scored.

    `weights`/`bias` turn the signals into a 0-1 score (a logistic model); `english_weights` /
    `english_bias` do so for an English query scored with the English encoder's signals too (a
    blend fitted on the English train splits; None: `weights` for every query); `confirmed` and
    `suggested` are the score thresholds for `match_level`. `semantic_candidates` and
    `lexical_candidates` are how many nearest neighbours each retriever hands to the scorer.
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)
    bias: float = field(default_factory=_default_bias)
    english_weights: Mapping[str, float] | None = field(default_factory=_default_english_weights)
    english_bias: float = field(default_factory=_default_english_bias)
    confirmed: float = field(default_factory=_default_confirmed)
    suggested: float = field(default_factory=_default_suggested)
    semantic_candidates: int = 30
    lexical_candidates: int = 30
    lexical_search: bool = True
    max_query_sentences: int = 12
    # Query-side linear map of the embeddings (512x512), learned on the train splits; None = off.
    adapter: np.ndarray | None = field(default_factory=_shipped_adapter, compare=False, repr=False)
    # An English-only second encoder for English queries against English claims, and its
    # query-side linear map (384x384, learned like `adapter` on the English train splits).
    english_signal: bool = True
    english_adapter: np.ndarray | None = field(
        default_factory=_shipped_english_adapter, compare=False, repr=False
    )
    collapse_duplicates: bool = True
    duplicate_similarity: float = 0.95
    # From this many claims on, the semantic neighbours are shortlisted on projected vectors
    # (`prefilter_shortlist` rows per query vector) and only those rows are compared exactly;
    # below it every stored vector is compared exactly (see prefilter.py).
    prefilter_min_claims: int = 20_000
    prefilter_shortlist: int = 256

    def __post_init__(self) -> None:
        unknown = (set(self.weights) | set(self.english_weights or ())) - set(SIGNALS)
        if unknown:
            raise ValueError(f"unknown signals in weights: {sorted(unknown)}")
        if not 0.0 <= self.suggested <= self.confirmed <= 1.0:
            raise ValueError("thresholds must satisfy 0 <= suggested <= confirmed <= 1")

    def combine(self, signals: Mapping[str, float]) -> float:
        z = self.bias + sum(w * signals.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def match_level(score: float, config: MatchConfig | None = None) -> MatchLevel | None:
    """ "confirmed" (join the group automatically), "suggested" (ask a reviewer) or None."""
    config = config or MatchConfig()
    if score >= config.confirmed:
        return "confirmed"
    if score >= config.suggested:
        return "suggested"
    return None
