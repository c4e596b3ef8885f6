"""Claim analysis for German and English news text (no Django imports).

Public API::

    extract_claims(text, lang=None) -> list[ExtractedClaim]
    extract_claims_batch(texts, lang=None) -> list[list[ExtractedClaim]]
    analyse_sentences(sentences, lang) -> list[ExtractedClaim]
    detect_language(text) -> "de" | "en"
    ExtractedClaim, Entity, NumberMention (frozen dataclasses)

Importing this package is free: the names above are imported on first access (PEP 562), so a web
process that only imports, say, ``claims.nlp.matching`` does not pay for spaCy; the pipelines
themselves load on first use, once per process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Entity": "claims.nlp.components",
    "ExtractedClaim": "claims.nlp.extract",
    "NumberMention": "claims.nlp.numbers",
    "analyse_sentences": "claims.nlp.extract",
    "detect_language": "claims.nlp.extract",
    "extract_claims": "claims.nlp.extract",
    "extract_claims_batch": "claims.nlp.extract",
}

__all__ = [
    "Entity",
    "ExtractedClaim",
    "NumberMention",
    "analyse_sentences",
    "detect_language",
    "extract_claims",
    "extract_claims_batch",
]

if TYPE_CHECKING:
    from claims.nlp.components import Entity
    from claims.nlp.extract import (
        ExtractedClaim,
        analyse_sentences,
        detect_language,
        extract_claims,
        extract_claims_batch,
    )
    from claims.nlp.numbers import NumberMention


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claims.nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
