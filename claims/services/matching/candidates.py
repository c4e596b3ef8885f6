"""Candidate search: the shared vector index, claims newer than it, and full-text search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from claims.models import Claim
from claims.nlp.matching import (
    EMBEDDING_DIM,
    ENGLISH_DIM,
    ClaimIndex,
    MatchCandidate,
    embedding_from_bytes,
)

from .config import match_config, matching_settings
from .fts import FullTextQuery, lexical_candidates_postgres_many, parse_lexemes
from .index import (
    lexical_candidates_memory,
    matching_index,
    matching_lexeme_counts,
    matching_word_counts,
    shared_index,
    vector_index_settings,
)
from .words import claim_words

# --- candidate search ---------------------------------------------------------------------------


def _adapted(vectors: np.ndarray, adapter: np.ndarray | None) -> np.ndarray:
    """The query vectors and, with the core's query adapter, their adapted copies."""
    if adapter is None:
        return vectors
    adapted = vectors @ adapter
    adapted /= np.maximum(np.linalg.norm(adapted, axis=1, keepdims=True), 1e-9)
    return np.vstack([vectors, adapted])


def _matrix(blobs: Sequence[bytes], dim: int = EMBEDDING_DIM) -> np.ndarray:
    """Stored vectors (little-endian float32 bytes) as one (n, dim) float32 array: the rows of
    `np.stack([embedding_from_bytes(b, dim) for b in blobs])`, parsed in one call."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), dim).astype(np.float32)


def _nearest_recent(
    recent: list[tuple[int, np.ndarray]] | tuple[np.ndarray, np.ndarray],
    queries: np.ndarray,
    count: int,
) -> set[int]:
    """Exact scan of the claims the index does not hold yet: ids of the nearest to any query.

    `recent`: (id, vector) pairs, or (ids, stacked vectors) as `_vector_candidates` passes them
    (stacked once per search, not once per query vector)."""
    if isinstance(recent, tuple):
        ids, vectors = recent
    else:
        ids = np.array([pk for pk, _v in recent], dtype=np.int64)
        vectors = np.stack([v for _pk, v in recent]) if recent else None
    if not len(ids) or not len(queries):
        return set()
    sims = vectors @ queries.T
    best = sims.max(axis=1)
    keep = np.argsort(-best, kind="stable")[:count]
    return set(ids[keep].tolist())


def _vector_candidates(
    *,
    reader,
    recent_rows: Sequence[tuple],
    searched: Sequence[np.ndarray],
    searched_en: Sequence[np.ndarray | None],
    want: int,
    english_on: bool,
) -> set[int]:
    """Ids near any query: the shared index's HNSW search plus an exact scan of the rows it does
    not hold yet (`recent_rows`: pk, multilingual vector bytes, English vector bytes or None, ...).
    Used for our own claims and for known fact-checks alike."""
    recent = (
        np.array([row[0] for row in recent_rows], dtype=np.int64),
        _matrix([bytes(row[1]) for row in recent_rows]),
    )
    with_en = [row for row in recent_rows if row[2] is not None and english_on]
    recent_en = (
        np.array([row[0] for row in with_en], dtype=np.int64),
        _matrix([bytes(row[2]) for row in with_en], ENGLISH_DIM),
    )
    wanted: set[int] = set()
    for q, en in zip(searched, searched_en, strict=True):
        wanted.update(reader.search("multilingual", q, want).tolist())
        wanted |= _nearest_recent(recent, q, want)
        if en is not None:
            wanted.update(reader.search("english", en, want).tolist())
            wanted |= _nearest_recent(recent_en, en, want)
    return wanted


def claims_find_candidates(*, claims: Sequence[Claim], top: int) -> list[list[MatchCandidate]]:
    """Ranked candidates for each claim among the stored claims of other articles.

    Candidates: the shared index's approximate nearest neighbours (multilingual vector and its
    adapted copy; the English vector and its adapted copy), an exact scan of the claims newer
    than the index, and the lexical candidates (PostgreSQL full-text search, or SQLite's word
    index). They are read from the database with their float32 vectors and scored by the core
    in an index built for this search, with the whole collection's word counts: the process
    holds nothing per stored claim between searches.
    """
    if not claims:
        return []
    article_ids = {c.article_id for c in claims}
    if len(article_ids) > 1:
        raise ValueError("claims_find_candidates expects the claims of one article")
    article_id = next(iter(article_ids))
    config = match_config()
    conf = matching_settings()
    english_on = config.english_signal
    index_conf = vector_index_settings()
    reader, recent_rows = _index_and_recent(
        article_id=article_id, limit=int(index_conf["SCAN_LIMIT"])
    )
    overfetch = float(index_conf["OVERFETCH"])
    want = int(config.semantic_candidates * overfetch) + len(claims)
    own = [str(c.pk) for c in claims]
    query_vectors = [embedding_from_bytes(bytes(c.embedding))[None, :] for c in claims]
    # Always handed in (None for a claim without an English vector: the multilingual blend
    # scores it), so the core never runs the English encoder per search (~15 ms each).
    english_vectors = [
        None
        if c.embedding_en is None or not english_on
        else embedding_from_bytes(bytes(c.embedding_en), ENGLISH_DIM)[None, :]
        for c in claims
    ]
    searched = [_adapted(v, config.adapter) for v in query_vectors]
    searched_en = [
        None if v is None else _adapted(v, config.english_adapter) for v in english_vectors
    ]
    wanted = _vector_candidates(
        reader=reader,
        recent_rows=recent_rows,
        searched=searched,
        searched_en=searched_en,
        want=want,
        english_on=english_on,
    )
    lexical = _lexical_candidates(claims, own, conf, recent_rows)
    for ids in lexical:
        wanted.update(int(i) for i in ids)
    # Claims newer than the index were read with their vectors a moment ago: not again.
    known = {
        row[0]: (row[0], row[4] or row[3], bytes(row[1]), None if row[2] is None else bytes(row[2]))
        for row in recent_rows
        if row[0] in wanted
    }
    rows = _candidate_rows(wanted - known.keys(), article_id=article_id, english=english_on)
    if known:
        rows = sorted(
            rows + [(pk, text, e, en if english_on else None) for pk, text, e, en in known.values()]
        )
    if not rows:
        return [[] for _ in claims]
    vectors = _matrix([r[2] for r in rows])
    en_slots = [p for p, r in enumerate(rows) if r[3] is not None]
    en_vectors = _matrix([rows[p][3] for p in en_slots], ENGLISH_DIM)
    kept = _semantic_keep(
        [r[0] for r in rows],
        vectors,
        en_slots,
        en_vectors,
        searched,
        searched_en,
        lexical,
        config.semantic_candidates,
    )
    en_of = dict(zip(en_slots, en_vectors, strict=True))
    index = ClaimIndex(config=config, shortlist=False)
    index.use_statistics(reader.stats)
    index.add(
        [str(rows[p][0]) for p in kept],
        [rows[p][1] for p in kept],
        embeddings=vectors[kept],
        english_embeddings=[en_of.get(p) for p in kept],
    )
    return index.search(
        [c.claim_text for c in claims],
        top=top,
        lexical_candidates=lexical,
        query_embeddings=query_vectors,
        english_query_embeddings=english_vectors,
        # Matches below the suggestion threshold are never written (`match_level` is None), so
        # the costly string signals are computed only for the candidates that can reach it and
        # the top (`exact_top`): ~a third of them. Half a unit of the 4th decimal lower, as
        # `MatchCandidate.score` is rounded to 4 decimals before `match_level` reads it.
        min_score=config.suggested - 0.5e-4,
    )


# Raw SQL (the same on both backends): it runs on every search, and compiling the queryset was
# Python work of the worker's on every search too.
_RECENT_SQL = (
    "SELECT id, embedding, embedding_en, text, standalone, article_id "  # noqa: S608
    f"FROM {Claim._meta.db_table} WHERE embedding IS NOT NULL AND id > %s{{other}} "
    "ORDER BY id DESC LIMIT %s"
)


def _recent(reader, *, limit: int, article_id: int | None = None) -> list[tuple]:
    """Embedded claims above the index's high-water mark, newest first (with `article_id`:
    other articles' only): pk, vector, English vector, text, standalone, article id."""
    params: list[int] = [reader.high_water]
    other = ""
    if article_id is not None:
        other, params = " AND article_id <> %s", [*params, article_id]
    with connection.cursor() as cursor:
        cursor.execute(_RECENT_SQL.format(other=other), [*params, limit])
        return cursor.fetchall()


def _index_and_recent(*, article_id: int, limit: int):
    """`matching_index()` and the other articles' claims above its high-water mark (newest
    first, at most `limit`; pk, vector, English vector, text, standalone).

    One query while the index is up to date: reading up to `limit` + 1 rows above the mark also
    answers `matching_index`'s question (more than `limit` behind, or no generation yet?),
    which it would otherwise ask the database first, on every search. Only when the index is
    behind does `matching_index` run (and bring it up to date), and the rows are read again.
    """
    reader = shared_index()
    rows = _recent(reader, limit=limit + 1)
    if len(rows) > limit or (reader.generation is None and rows):
        reader = matching_index()
        rows = _recent(reader, limit=limit, article_id=article_id)
    else:
        rows = [row for row in rows if row[-1] != article_id]
    return reader, [row[:-1] for row in rows]


def _semantic_keep(
    ids: Sequence[int],
    vectors: np.ndarray,
    en_slots: Sequence[int],
    en_vectors: np.ndarray,
    searched: Sequence[np.ndarray],
    searched_en: Sequence[np.ndarray | None],
    lexical: Sequence[Sequence[str]],
    count: int,
) -> list[int]:
    """Positions (ascending) of the rows the core would pick anyway: per query vector (and its
    adapted copy, and the English one) the `count` nearest by the exact float32 cosine, plus the
    lexical candidates. `vectors`: every row's; `en_vectors`: those of the rows `en_slots`.

    The approximate search over-fetches; the core normalises, counts and scores every row it is
    given, so the rest are dropped here (a matrix product) rather than there (Python per row).
    """
    keep = {int(i) for found in lexical for i in found}
    positions: set[int] = {p for p, pk in enumerate(ids) if pk in keep}
    for q, en in zip(searched, searched_en, strict=True):
        sims = vectors @ q.T
        for column in sims.T:
            positions.update(np.argsort(-column, kind="stable")[:count].tolist())
        if en is not None and len(en_slots):
            # The core's English neighbours: the adapted English query when there is one.
            nearest = (en_vectors @ en[len(en) // 2 :].T).max(axis=1)
            positions.update(en_slots[p] for p in np.argsort(-nearest, kind="stable")[:count])
    return sorted(positions)


def _semantic_top(
    rows: list[tuple[int, str, bytes, bytes | None]],
    searched: list[np.ndarray],
    searched_en: list[np.ndarray | None],
    lexical: list[list[str]],
    count: int,
) -> list[tuple[int, str, bytes, bytes | None]]:
    """The rows `_semantic_keep` keeps, for callers holding rows (id, text, vector bytes,
    English vector bytes or None)."""
    if not rows:
        return rows
    en_slots = [p for p, r in enumerate(rows) if r[3] is not None]
    kept = _semantic_keep(
        [r[0] for r in rows],
        _matrix([r[2] for r in rows]),
        en_slots,
        _matrix([rows[p][3] for p in en_slots], ENGLISH_DIM),
        searched,
        searched_en,
        lexical,
        count,
    )
    return [rows[p] for p in kept]


# Candidate rows on PostgreSQL: one array parameter instead of a placeholder per id (the
# client-side binding parsed a ~300-placeholder statement on every search), and no ORM
# compilation. The text matching compares is `fts.CLAIM_TEXT_SQL`'s.
_CANDIDATE_ROWS_SQL = (
    "SELECT id, COALESCE(NULLIF(standalone, ''), text), embedding, embedding_en "  # noqa: S608
    f"FROM {Claim._meta.db_table} WHERE id = ANY(%s) AND embedding IS NOT NULL "
    "AND article_id <> %s ORDER BY id"
)


def _candidate_rows(
    ids: set[int], *, article_id: int, english: bool
) -> list[tuple[int, str, bytes, bytes | None]]:
    """(id, text matching compares, vector, English vector or None) of the candidates that
    still exist, are embedded and belong to other articles, in id order (so the core's
    duplicate collapsing keeps the earliest claim, the same in every worker)."""
    if not ids:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CANDIDATE_ROWS_SQL, [sorted(ids), article_id])
            found = cursor.fetchall()
    else:
        found = (
            Claim.objects.filter(pk__in=sorted(ids), embedding__isnull=False)
            .exclude(article_id=article_id)
            .annotate(
                match_text=Coalesce(
                    NullIf(F("standalone"), Value("")), F("text"), output_field=TextField()
                )
            )
            .order_by("pk")
            .values_list("pk", "match_text", "embedding", "embedding_en")
        )
    return [
        (pk, text, bytes(e), None if en is None or not english else bytes(en))
        for pk, text, e, en in found
    ]


def _lexical_candidates(
    claims: Sequence[Claim], own: list[str], conf: Mapping, recent_rows: list
) -> list[list[str]]:
    if connection.vendor == "postgresql":
        # Claims read with their lexemes (`fts.LEXEMES_SQL`, as `article_claims_match` does)
        # are searched by the index's lexeme counts, so the query stays within the row
        # budget; others by word counts.
        # Claims read with their lexemes (`fts.LEXEMES_SQL`, as `article_claims_match` does)
        # are searched by the index's lexeme counts, so each query stays within the row
        # budget; others by word counts. One statement for the article's claims.
        with_lexemes = [getattr(c, "lexemes", None) is not None for c in claims]
        lexical: list[list[str]] = [[] for _ in claims]
        for flag, df in ((True, matching_lexeme_counts), (False, matching_word_counts)):
            chosen = [i for i, has in enumerate(with_lexemes) if has is flag]
            if not chosen:
                continue
            found = lexical_candidates_postgres_many(
                [
                    FullTextQuery(
                        claims[i].claim_text,
                        claims[i].language,
                        parse_lexemes(claims[i].lexemes) if flag else None,
                    )
                    for i in chosen
                ],
                exclude_article_id=claims[0].article_id,
                limit=int(conf["LEXICAL_CANDIDATES"]),
                df=df(),
                budget=int(conf["LEXICAL_ROW_BUDGET"]),
            )
            for i, ids in zip(chosen, found, strict=True):
                lexical[i] = ids
        return lexical
    lexical = []
    limit = int(conf["LEXICAL_CANDIDATES"])
    for c in claims:
        found = lexical_candidates_memory(
            text=c.claim_text, exclude=own, limit=limit, budget=int(conf["LEXICAL_ROW_BUDGET"])
        )
        # Claims newer than the index's word index: those sharing a word with the claim.
        words = claim_words(c.claim_text)
        shared = [
            str(pk)
            for pk, _e, _en, text, standalone in recent_rows
            if words & claim_words(standalone or text)
        ]
        lexical.append(list(dict.fromkeys(found + shared))[: limit + len(shared)])
    return lexical
