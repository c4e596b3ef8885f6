"""Matching settings: thresholds and limits, over the core's defaults."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings

from claims.nlp.matching import MatchConfig

# How many ranked candidates per claim are looked at, and how many groups one claim may be
# suggested for (a reviewer wants the few best, not a list).
DEFAULTS = {
    "TOP": 5,
    "MAX_SUGGESTIONS": 3,
    "LEXICAL_CANDIDATES": 30,
    "RECONCILE_SECONDS": 60,
    "LEXICAL_ROW_BUDGET": 300,
    # The English-only encoder's signal and blend for English claims (as `match_claims` uses
    # them). Off: no English vectors are computed or indexed, every claim is scored with the
    # multilingual blend (saves ~90 MB of weights and 1.5 KiB per English claim per worker).
    "ENGLISH_SIGNAL": True,
}


def matching_settings() -> dict[str, Any]:
    """DEFAULTS overridden by ``settings.CLAIMTRACKER_MATCHING`` (keys set to None are ignored)."""
    configured = getattr(settings, "CLAIMTRACKER_MATCHING", None) or {}
    return {**DEFAULTS, **{k: v for k, v in configured.items() if v is not None}}


def english_signal_enabled() -> bool:
    """Whether English claims get (and are matched with) the English encoder's vectors."""
    value = matching_settings()["ENGLISH_SIGNAL"]
    if isinstance(value, str):  # e.g. a dict filled from the environment by hand
        return value.strip().lower() not in {"0", "false", "off", "no", ""}
    return bool(value)


def match_config() -> MatchConfig:
    """The core's config with the thresholds from ``settings.CLAIMTRACKER_MATCHING`` (if set)."""
    conf = matching_settings()
    base = MatchConfig()
    # replace() keeps whatever else the core's config carries (weights, bias, its adapter ...)
    return replace(
        base,
        confirmed=float(conf.get("CONFIRMED", base.confirmed)),
        suggested=float(conf.get("SUGGESTED", base.suggested)),
        lexical_candidates=int(conf["LEXICAL_CANDIDATES"]),
        # Lexical candidates come from PostgreSQL full-text search or, on SQLite, from the
        # inverted index kept beside the worker's index: the core's own TF-IDF search over every
        # claim would rebuild its weighted matrix after each added claim (O(all claims)).
        lexical_search=False,
        english_signal=english_signal_enabled(),
    )
