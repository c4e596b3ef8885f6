"""Claim analysis for German and English news text (no Django imports).

Public API::

    extract_claims(text, lang=None) -> list[ExtractedClaim]
    extract_claims_batch(texts, lang=None) -> list[list[ExtractedClaim]]
    analyse_sentences(sentences, lang) -> list[ExtractedClaim]
    detect_language(text) -> "de" | "en"

Importing this package loads no model; pipelines load on first use, once per process.
"""

from claims.nlp.components import Entity
from claims.nlp.extract import (
    ExtractedClaim,
    analyse_sentences,
    detect_language,
    extract_claims,
    extract_claims_batch,
)
from claims.nlp.numbers import NumberMention

__all__ = [
    "Entity",
    "ExtractedClaim",
    "NumberMention",
    "analyse_sentences",
    "detect_language",
    "extract_claims",
    "extract_claims_batch",
]
