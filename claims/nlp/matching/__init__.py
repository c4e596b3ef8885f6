"""Claim matching: is this claim one we have seen (or checked) before? Pure Python, no Django.

index = ClaimIndex()
index.add(ids, texts)                      # or add(ids, texts, embeddings=stored_vectors,
                                           #        english_embeddings=stored_english_or_None)
index.search(["new claim"], top=5)         # -> [[MatchCandidate(id, score, signals, reason)]]
match_level(score)                         # -> "confirmed" | "suggested" | None
"""

from .config import SIGNALS, MatchConfig, match_level
from .index import ClaimIndex
from .signals import MatchCandidate
from .text import exact_key, normalise_claim_text
from .vectors import (
    EMBEDDING_DIM,
    ENGLISH_DIM,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    english_claim_embeddings,
)

__all__ = [
    "EMBEDDING_DIM",
    "ENGLISH_DIM",
    "SIGNALS",
    "ClaimIndex",
    "MatchCandidate",
    "MatchConfig",
    "claim_embeddings",
    "embedding_from_bytes",
    "embedding_to_bytes",
    "english_claim_embeddings",
    "exact_key",
    "match_level",
    "normalise_claim_text",
]
