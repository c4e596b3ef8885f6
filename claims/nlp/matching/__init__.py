"""Claim matching: is this claim one we have seen (or checked) before? Pure Python, no Django.

index = ClaimIndex()
index.add(ids, texts)                      # or add(ids, texts, embeddings=stored_vectors)
index.search(["new claim"], top=5)         # -> [[MatchCandidate(id, score, signals, reason)]]
match_level(score)                         # -> "confirmed" | "suggested" | None
"""

from .config import SIGNALS, MatchConfig, match_level
from .index import (
    ClaimIndex,
    MatchCandidate,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
)
from .text import normalise_claim_text

__all__ = [
    "SIGNALS",
    "ClaimIndex",
    "MatchCandidate",
    "MatchConfig",
    "claim_embeddings",
    "embedding_from_bytes",
    "embedding_to_bytes",
    "match_level",
    "normalise_claim_text",
]
