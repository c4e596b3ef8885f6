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


@cache
def _shipped_adapter() -> np.ndarray | None:
    if ADAPTER_FILE.exists():
        adapter = np.load(ADAPTER_FILE).astype(np.float32)
        adapter.setflags(write=False)
        return adapter
    return None


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType(dict(_shipped()["weights"]))  # type: ignore[arg-type]


def _default_bias() -> float:
    return float(_shipped()["bias"])  # type: ignore[arg-type]


def _default_confirmed() -> float:
    return float(_shipped()["confirmed"])  # type: ignore[arg-type]


def _default_suggested() -> float:
    return float(_shipped()["suggested"])  # type: ignore[arg-type]


@dataclass(frozen=True)
class MatchConfig:
    """How candidates are found and scored.

    `weights`/`bias` turn the signals into a 0-1 score (a logistic model); `confirmed` and
    `suggested` are the score thresholds for `match_level`. `semantic_candidates` and
    `lexical_candidates` are how many nearest neighbours each retriever hands to the scorer.
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)
    bias: float = field(default_factory=_default_bias)
    confirmed: float = field(default_factory=_default_confirmed)
    suggested: float = field(default_factory=_default_suggested)
    semantic_candidates: int = 30
    lexical_candidates: int = 30
    lexical_search: bool = True
    max_query_sentences: int = 12
    # Query-side linear map of the embeddings (512x512), learned on the train splits; None = off.
    adapter: np.ndarray | None = field(default_factory=_shipped_adapter, compare=False, repr=False)
    collapse_duplicates: bool = True
    duplicate_similarity: float = 0.95

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(SIGNALS)
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
