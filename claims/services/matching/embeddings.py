"""Claim vectors in the database: embedding new, checked and missing claims, re-encoding."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db.models import Q

from claims.models import Claim
from claims.nlp.matching import (
    ENGLISH_DIM,
    claim_embeddings,
    embedding_to_bytes,
    english_claim_embeddings,
    normalise_claim_text,
)

from .config import english_signal_enabled

_EMBED_BATCH = 256


def claims_embed(*, claims: Sequence[Claim]) -> None:
    """Compute and store (in bulk) the embeddings of claims that have none."""
    claims_embeddings_store(claims=claims_embed_unsaved(claims=claims))


def _wants_english(claim: Claim) -> bool:
    """Whether the claim is looked at by the English encoder: every claim embedded now (the core
    decides what is English), and a stored English-article claim without an English vector (one
    embedded before the English signal, or while it was off)."""
    return claim.embedding_en is None and (claim.embedding is None or claim.language == "en")


def claims_embed_unsaved(*, claims: Sequence[Claim]) -> list[Claim]:
    """Set the embeddings of claims that have none, on the objects only; returns those claims.

    The multilingual vector for claims without one; with the English signal on, the English
    encoder's vector too for the English ones (`embedding_en`, NULL for others). The caller
    stores them with `claims_embeddings_store`, e.g. in the transaction of its first other
    write, saving a commit.
    """
    english = [c for c in claims if _wants_english(c)] if english_signal_enabled() else []
    todo = [c for c in claims if c.embedding is None]
    for start in range(0, len(todo), _EMBED_BATCH):
        batch = todo[start : start + _EMBED_BATCH]
        vectors = claim_embeddings([c.claim_text for c in batch])
        for claim, vector in zip(batch, vectors, strict=True):
            claim.embedding = embedding_to_bytes(vector)
    changed = {id(c) for c in todo}
    for start in range(0, len(english), _EMBED_BATCH):
        batch = english[start : start + _EMBED_BATCH]
        found = english_claim_embeddings([c.claim_text for c in batch])
        for claim, vector in zip(batch, found, strict=True):
            if vector is not None:
                claim.embedding_en = embedding_to_bytes(vector, ENGLISH_DIM)
                changed.add(id(claim))
    return [c for c in claims if id(c) in changed]


def claims_embed_new(
    *, claims: Sequence[Claim], sentence_embeddings: Sequence[np.ndarray | None]
) -> None:
    """Set the embeddings of new, unsaved claims that matching will look at (the check-worthy
    ones), so they are written with the claims and the matching task does not encode them.

    `sentence_embeddings` (aligned with `claims`; None where there is none) are the multilingual
    vectors check-worthiness computed for the sentences: reused where the text matching embeds
    (`normalise_claim_text`) is the sentence itself, which it is for ordinary prose.
    """
    if len(sentence_embeddings) != len(claims):
        raise ValueError("sentence_embeddings must have one entry per claim")
    wanted = []
    for claim, vector in zip(claims, sentence_embeddings, strict=True):
        if not (claim.checkworthy and claim.candidate):
            continue
        text = claim.claim_text
        # The sentence's vector serves only when matching compares the sentence itself (no
        # standalone rewrite, nothing normalised away); otherwise the standalone is encoded.
        if (
            vector is not None
            and text == claim.text
            and (normalise_claim_text(text) or text) == text
        ):
            claim.embedding = embedding_to_bytes(vector)
        wanted.append(claim)
    claims_embed_unsaved(claims=wanted)


def claims_embeddings_store(*, claims: Sequence[Claim]) -> None:
    """Write the claims' embeddings (in bulk; joins the caller's transaction, if any)."""
    for start in range(0, len(claims), _EMBED_BATCH):
        # bulk_update bypasses simple-history, which excludes the embeddings anyway.
        Claim.objects.bulk_update(
            claims[start : start + _EMBED_BATCH], ["embedding", "embedding_en"]
        )


def claim_embeddings_backfill(*, limit: int = 10_000) -> int:
    """Embed check-worthy claims and claims with a verdict that lack a vector.

    For claims stored before matching (or its English signal) was switched on: the multilingual
    vector where there is none and, with the English signal on, the English one for English
    claims without it. Idempotent; returns how many claims got a vector. Looks at up to `limit`
    claims per call, in id order (claims of English articles that the core finds not English
    are looked at again on each call: there is no "not English" mark, NULL means both).
    """
    missing = Q(embedding__isnull=True)
    if english_signal_enabled():
        missing |= Q(embedding_en__isnull=True, language="en")
    claims = list(
        Claim.objects.filter(missing)
        .filter(Q(checkworthy=True, candidate=True) | Q(verdict__isnull=False))
        .only("id", "text", "standalone", "language", "embedding", "embedding_en")
        .order_by("pk")[:limit]
    )
    embedded = claims_embed_unsaved(claims=claims)
    claims_embeddings_store(claims=embedded)
    return len(embedded)


def claim_embed_checked(*, claim_id: int) -> bool:
    """Embed a claim with a verdict that has no vector yet (idempotent; True when it got one).

    Matching embeds check-worthy claims only; a desk may check a claim the extraction did not
    rank check-worthy, and its repeats must still be found: publishing a verdict queues this.
    Claims with a vector after this commit are searched at once (above the index's high-water
    mark, or as a late embedding below it at the next index update).
    """
    claims = list(
        Claim.objects.filter(pk=claim_id, verdict__isnull=False, embedding__isnull=True).only(
            "id", "text", "standalone", "language", "embedding", "embedding_en"
        )
    )
    embedded = claims_embed_unsaved(claims=claims)
    claims_embeddings_store(claims=embedded)
    return bool(embedded)


def claim_embeddings_refresh(*, after_id: int = 0, limit: int = 10_000) -> tuple[int, int]:
    """Encode again the claims that have vectors, in id order after `after_id`, up to `limit`.

    For an upgrade that changes what the encoders produce (an encoder, or the text normalisation
    they read): the multilingual vector and, for English claims with the English signal on, the
    English one. Returns (claims re-encoded, last id looked at; 0 when none was left), so a
    caller can go on from there. Running NLP workers keep the vectors they hold until restarted.
    """
    claims = list(
        Claim.objects.filter(embedding__isnull=False, pk__gt=after_id)
        .only("id", "text", "standalone", "language", "embedding", "embedding_en")
        .order_by("pk")[:limit]
    )
    for claim in claims:
        claim.embedding = None
        claim.embedding_en = None
    claims_embeddings_store(claims=claims_embed_unsaved(claims=claims))
    return len(claims), claims[-1].pk if claims else 0
