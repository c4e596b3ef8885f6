"""Matching claims against known fact-checks, with the same core as our own claims.

Candidates come from the known fact-checks' shared vector index (`index.py`: a second
collection of the issue-13 machinery, memory-mapped by every worker process, plus an exact scan
of the rows newer than its generation) and its word index; the core scores them, with the
app's thresholds and the whole collection's counts, in an index built per search. The semantic
signal finds German↔English repeats.

`claims_match_factchecks` scores claims against them and stores `KnownFactCheckMatch` rows
(level confirmed/suggested as the core says, the core's reason); a match a reviewer rejected is
never proposed again, one they accepted keeps its decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, KnownFactCheck, KnownFactCheckMatch
from claims.nlp.matching import (
    ENGLISH_DIM,
    ClaimIndex,
    MatchCandidate,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    english_claim_embeddings,
    match_level,
)
from claims.nlp.matching.shared import SharedVectorIndex
from claims.services.matching.candidates import (
    _adapted,
    _semantic_top,
    _vector_candidates,
)
from claims.services.matching.config import english_signal_enabled, match_config, matching_settings
from claims.services.matching.embeddings import claims_embed_unsaved, claims_embeddings_store
from claims.services.matching.index import lexical_candidates_memory, vector_index_settings
from claims.services.matching.words import claim_words

from .index import (  # noqa: F401 (factcheck_index_reset: re-exported for the tests and bench)
    factcheck_index,
    factcheck_index_reset,
    factchecks_newer_than,
)

_BATCH = 256


# --- vectors -----------------------------------------------------------------------------------


def factchecks_embed_missing(*, limit: int | None = None) -> int:
    """Compute and store the matching vectors of known fact-checks that have none."""
    english = english_signal_enabled()
    done = 0
    while limit is None or done < limit:
        size = _BATCH if limit is None else min(_BATCH, limit - done)
        rows = list(
            KnownFactCheck.objects.filter(embedding__isnull=True)
            .order_by("pk")
            .only("id", "claim_reviewed")[:size]
        )
        if not rows:
            break
        texts = [fc.claim_reviewed for fc in rows]
        now = timezone.now()
        vectors = claim_embeddings(texts)
        english_vectors = english_claim_embeddings(texts) if english else [None] * len(rows)
        for fc, vector, en in zip(rows, vectors, english_vectors, strict=True):
            fc.embedding = embedding_to_bytes(vector)
            fc.embedding_en = None if en is None else embedding_to_bytes(en, ENGLISH_DIM)
            # The index re-reads rows by updated_at: a corrected review's new vector reaches it.
            fc.updated_at = now
        KnownFactCheck.objects.bulk_update(rows, ["embedding", "embedding_en", "updated_at"])
        done += len(rows)
    return done


# --- candidate search ---------------------------------------------------------------------------


def _lexical(
    texts: Sequence[str], reader: SharedVectorIndex, recent_rows: list, conf: dict
) -> list[list[str]]:
    """Fact-checks sharing each text's rarest words: the generation's word index, plus the rows
    newer than it that share a word (as SQLite's lexical candidates do for claims)."""
    limit = int(conf["LEXICAL_CANDIDATES"])
    out = []
    for text in texts:
        found = lexical_candidates_memory(
            text=text,
            exclude=(),
            limit=limit,
            budget=int(conf["LEXICAL_ROW_BUDGET"]),
            reader=reader,
        )
        words = claim_words(text)
        shared = [str(pk) for pk, _e, _en, other in recent_rows if words & claim_words(other)]
        out.append(list(dict.fromkeys(found + shared))[: limit + len(shared)])
    return out


def factchecks_find_candidates(
    *,
    texts: Sequence[str],
    vectors: Sequence[np.ndarray],
    english_vectors: Sequence[np.ndarray | None],
    top: int,
) -> list[list[MatchCandidate]]:
    """Ranked known fact-checks for each text (with its stored (1, dim) vectors as queries).

    As `claims_find_candidates` does for claims: the shared index's approximate neighbours
    (each vector and its adapted copy, multilingual and English), an exact scan of the rows
    newer than the generation, and rare-word lexical candidates; the candidates are read back
    with their float32 vectors and scored by the core in an index built for this search with
    the whole collection's counts. The process holds nothing per known fact-check.
    """
    if not texts:
        return []
    reader = factcheck_index()
    config = match_config()
    conf = matching_settings()
    english_on = config.english_signal
    want = int(config.semantic_candidates * float(vector_index_settings()["OVERFETCH"]))
    english_vectors = [None if not english_on else v for v in english_vectors]
    searched = [_adapted(v, config.adapter) for v in vectors]
    searched_en = [
        None if v is None else _adapted(v, config.english_adapter) for v in english_vectors
    ]
    newer = factchecks_newer_than(reader, limit=int(vector_index_settings()["SCAN_LIMIT"]))
    recent_rows = list(
        KnownFactCheck.objects.order_by()
        .filter(pk__in=newer)
        .values_list("pk", "embedding", "embedding_en", "claim_reviewed")
    )
    wanted = _vector_candidates(
        reader=reader,
        recent_rows=recent_rows,
        searched=searched,
        searched_en=searched_en,
        want=want,
        english_on=english_on,
    )
    lexical = _lexical(texts, reader, recent_rows, conf)
    for ids in lexical:
        wanted.update(int(i) for i in ids)
    # In id order, so the core's duplicate collapsing keeps the earliest review in every worker.
    rows = [
        (pk, text, bytes(e), None if en is None or not english_on else bytes(en))
        for pk, text, e, en in KnownFactCheck.objects.filter(
            pk__in=sorted(wanted), embedding__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "claim_reviewed", "embedding", "embedding_en")
    ]
    rows = _semantic_top(rows, searched, searched_en, lexical, config.semantic_candidates)
    if not rows:
        return [[] for _ in texts]
    index = ClaimIndex(config=config)
    index.use_statistics(reader.stats)
    index.add(
        [str(r[0]) for r in rows],
        [r[1] for r in rows],
        embeddings=np.stack([embedding_from_bytes(r[2]) for r in rows]),
        english_embeddings=[
            None if r[3] is None else embedding_from_bytes(r[3], ENGLISH_DIM) for r in rows
        ],
    )
    return index.search(
        list(texts),
        top=top,
        lexical_candidates=lexical,
        query_embeddings=list(vectors),
        english_query_embeddings=list(english_vectors),
    )


# --- matching ----------------------------------------------------------------------------------


_CLAIM_FIELDS = ("id", "article_id", "text", "standalone", "language", "embedding", "embedding_en")


def claims_match_factchecks(*, claim_ids: Sequence[int]) -> list[KnownFactCheckMatch]:
    """Match claims against the known fact-checks; store and return the matches (idempotent)."""
    if not KnownFactCheck.objects.exists():
        return []
    claims = list(Claim.objects.filter(pk__in=list(claim_ids)).only(*_CLAIM_FIELDS).order_by("pk"))
    if not claims:
        return []
    factchecks_embed_missing()
    unsaved = claims_embed_unsaved(claims=claims)
    if unsaved:
        claims_embeddings_store(claims=unsaved)
    conf = matching_settings()
    config = match_config()
    found = factchecks_find_candidates(
        texts=[c.claim_text for c in claims],
        vectors=[embedding_from_bytes(bytes(c.embedding))[None, :] for c in claims],
        english_vectors=[
            None
            if c.embedding_en is None
            else embedding_from_bytes(bytes(c.embedding_en), ENGLISH_DIM)[None, :]
            for c in claims
        ],
        top=int(conf["TOP"]),
    )
    keep = int(conf["MAX_SUGGESTIONS"])
    stored: list[KnownFactCheckMatch] = []
    for claim, candidates in zip(claims, found, strict=True):
        matched = [
            (c, level) for c in candidates if (level := match_level(c.score, config)) is not None
        ][:keep]
        if matched:
            stored.extend(_store_matches(claim, matched))
    return stored


@transaction.atomic
def _store_matches(claim: Claim, matched) -> list[KnownFactCheckMatch]:
    ids = [int(c.id) for c, _level in matched]
    existing = {
        m.factcheck_id: m
        for m in KnownFactCheckMatch.objects.select_for_update().filter(
            claim_id=claim.pk, factcheck_id__in=ids
        )
    }
    alive = set(KnownFactCheck.objects.filter(pk__in=ids).values_list("pk", flat=True))
    out = []
    for cand, level in matched:
        fc_id = int(cand.id)
        if fc_id not in alive:
            continue
        match = existing.get(fc_id)
        if match is None:
            match = KnownFactCheckMatch.objects.create(
                claim_id=claim.pk,
                factcheck_id=fc_id,
                score=float(cand.score),
                signals={k: float(v) for k, v in cand.signals.items()},
                reason=cand.reason[:300],
                level=level,
            )
        elif match.decision == KnownFactCheckMatch.Decision.PENDING:
            match.score, match.level, match.reason = float(cand.score), level, cand.reason[:300]
            match.save(update_fields=["score", "level", "reason", "updated_at"])
        out.append(match)
    return out


def article_factchecks_match(*, article_id: int) -> list[KnownFactCheckMatch]:
    """The article's check-worthy claims against the known fact-checks (the NLP worker, after
    the article's own matching)."""
    ids = list(
        Claim.objects.filter(article_id=article_id, checkworthy=True, candidate=True).values_list(
            "pk", flat=True
        )
    )
    return claims_match_factchecks(claim_ids=ids)


def claims_rematch_factchecks(*, since=None, batch: int = 200) -> int:
    """Match stored claims again (after importing fact-checks): the check-worthy candidates,
    optionally those created since a date; returns how many claims were looked at."""
    claims = Claim.objects.filter(checkworthy=True, candidate=True)
    if since is not None:
        claims = claims.filter(created_at__gte=since)
    ids = list(claims.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        claims_match_factchecks(claim_ids=ids[start : start + batch])
    return len(ids)
