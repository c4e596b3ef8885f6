"""The known fact-checks' shared vector index: the same machinery as our claims' (issue 13).

A second collection beside our claims': its own generations in
`CLAIMTRACKER_VECTOR_INDEX_DIR/factchecks/` (usearch HNSW files of the `claim_reviewed` vectors,
the collection's counts, the word index for lexical candidates), its own writer lock, the same
atomic switch of `current.json`. NLP worker processes memory-map it (`factcheck_index`), so
their private memory no longer grows with the number of known fact-checks.

Unlike claims, a fact-check's vector changes in place when a correction changes its
`claim_reviewed` (the store drops the vectors, `factchecks_embed_missing` computes new ones and
sets `updated_at`). A generation therefore records, besides its `high_water` id, the newest
`updated_at` it has seen (`changed_up_to`); searches scan exactly the rows above either mark,
and the next writer re-reads the rows changed since and replaces the vectors that moved.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from django.db.models import Max, QuerySet

from claims.models import KnownFactCheck
from claims.nlp.matching import ENGLISH_DIM, embedding_from_bytes, normalise_claim_text
from claims.nlp.matching.corpus import WordPostings
from claims.nlp.matching.shared import Generation, GenerationBuilder, SharedVectorIndex, writer_lock
from claims.services.matching.config import english_signal_enabled
from claims.services.matching.index import (
    _parameters,  # the HNSW settings (CLAIMTRACKER_VECTOR_INDEX), the same for both collections
    matching_index_reset,
    shared_index,
    vector_index_dir,
    vector_index_settings,
)
from claims.services.matching.words import claim_words

COLLECTION = "factchecks"
_CHUNK = 5000
# Rows changed this long before the previous generation's snapshot are read again: a vector
# committed a little after its `updated_at` was taken is not lost to the writer.
_COMMIT_LAG = timedelta(minutes=5)
# A vector in the index this close (cosine, int8 copy vs the stored float32) is the same one.
_SAME_VECTOR = 0.99
logger = logging.getLogger(__name__)


def factcheck_index_dir() -> Path:
    return vector_index_dir(COLLECTION)


# --- reading ------------------------------------------------------------------------------------


def factchecks_newer_than(reader: SharedVectorIndex, *, limit: int) -> list[int]:
    """Ids, newest first (at most `limit`), of the embedded fact-checks the reader's generation
    does not hold as they are now: added above its high-water id, or changed after its
    snapshot. Searches scan these exactly.

    Two range reads (the primary key, the `updated_at` index) rather than one OR: SQLite
    answers the OR, and the table's default ordering, with a scan of every row and its vectors.
    """
    rows = KnownFactCheck.objects.order_by().filter(embedding__isnull=False)
    generation = reader.generation
    high = 0 if generation is None else generation.high_water
    ids = set(rows.filter(pk__gt=high).order_by("-pk").values_list("pk", flat=True)[:limit])
    if generation is not None and generation.changed_up_to:
        changed = datetime.fromisoformat(generation.changed_up_to)
        ids.update(
            rows.filter(updated_at__gt=changed)
            .order_by("-updated_at")
            .values_list("pk", flat=True)[:limit]
        )
    return sorted(ids, reverse=True)[:limit]


def factcheck_index() -> SharedVectorIndex:
    """The fact-check index searches read, brought up to date first if it is a little behind.

    As `matching_index` for claims: no generation yet (with fact-checks embedded), or more than
    `SCAN_LIMIT` rows newer than it, and the search writes a generation itself (non-blocking);
    far behind (20 x `SCAN_LIMIT`, e.g. a 100,000-record dump before the beat task's first run)
    it leaves that to the writer and logs it, and searches see the newest `SCAN_LIMIT` rows.
    """
    reader = shared_index(COLLECTION)
    limit = int(vector_index_settings()["SCAN_LIMIT"])
    count = len(factchecks_newer_than(reader, limit=20 * limit + 1))
    if count <= limit and (reader.generation is not None or not count):
        return reader
    if count > 20 * limit:
        logger.warning(
            "factchecks: the shared fact-check index is more than %s rows behind; run "
            "`manage.py matching_index` (searches see only the newest %s meanwhile)",
            20 * limit,
            limit,
        )
        return reader
    factcheck_index_update()  # returns at once when another process is writing
    return shared_index(COLLECTION)


def factcheck_index_reset() -> None:
    """Forget the process's open views (tests; the next search opens the current generation)."""
    matching_index_reset()


# --- writing ------------------------------------------------------------------------------------


class _Row(NamedTuple):
    pk: int
    text: str
    embedding: bytes
    embedding_en: bytes | None


def _rows(queryset: QuerySet[KnownFactCheck], *, english: bool) -> list[_Row]:
    return [
        _Row(pk, text, bytes(e), None if en is None or not english else bytes(en))
        for pk, text, e, en in queryset.values_list(
            "pk", "claim_reviewed", "embedding", "embedding_en"
        )
    ]


def _add(builder: GenerationBuilder, rows: list[_Row], *, count: bool) -> None:
    if not rows:
        return
    ids = np.array([r.pk for r in rows], dtype=np.int64)
    builder.add("multilingual", ids, np.stack([embedding_from_bytes(r.embedding) for r in rows]))
    en = [r for r in rows if r.embedding_en is not None]
    if en:
        builder.add(
            "english",
            np.array([r.pk for r in en], dtype=np.int64),
            np.stack([embedding_from_bytes(r.embedding_en, ENGLISH_DIM) for r in en]),
        )
    if count:
        builder.stats.add(
            [normalise_claim_text(r.text) or r.text for r in rows],
            words=[claim_words(r.text) for r in rows],
        )


def _moved(builder: GenerationBuilder, rows: list[_Row]) -> list[_Row]:
    """The rows whose stored vectors differ from the index's copies (a corrected review)."""
    if not rows:
        return []
    out = []
    kinds = (("multilingual", None, "embedding"), ("english", ENGLISH_DIM, "embedding_en"))
    for kind, dim, attr in kinds:
        candidates = [r for r in rows if getattr(r, attr) is not None]
        if not candidates:
            continue
        held = builder.indexes[kind].get(
            np.array([r.pk for r in candidates], dtype=np.uint64), dtype=np.float32
        )
        for row, copy in zip(candidates, held, strict=True):
            if copy is None:
                continue  # not held: added as a late vector by the id comparison
            stored = (
                embedding_from_bytes(row.embedding)
                if dim is None
                else embedding_from_bytes(row.embedding_en, dim)
            )
            norms = float(np.linalg.norm(copy) * np.linalg.norm(stored))
            cosine = float(copy @ stored) / max(norms, 1e-9)
            if cosine < _SAME_VECTOR:
                out.append(row)
    return list({r.pk: r for r in out}.values())


def _ids(queryset: Any) -> np.ndarray:
    return np.fromiter(queryset.values_list("pk", flat=True).iterator(chunk_size=20_000), np.int64)


def factcheck_index_update(*, rebuild: bool = False, wait: bool = False) -> Generation | None:
    """Bring the fact-check index up to date with the stored vectors; write a new generation.

    The same steps and lock discipline as `vector_index_update` for claims: rows embedded above
    the high-water id are added; below it, ids are compared with the database (rows embedded
    late, English vectors, deleted or de-vectorised rows), and rows changed since the previous
    generation's snapshot get their new vectors. Returns None when another process holds the
    writer lock (`wait=False`) or nothing changed. `rebuild`: start from nothing (after
    re-encoding, or to drop the counts of deleted and corrected reviews).
    """
    directory = factcheck_index_dir()
    with writer_lock(directory, wait=wait) as got:
        if not got:
            return None
        builder = GenerationBuilder(directory, _parameters(), rebuild=rebuild)
        english = english_signal_enabled()
        embedded = KnownFactCheck.objects.order_by().filter(embedding__isnull=False)
        # Taken before anything is read: a row changed while this runs is newer than it. Over
        # embedded rows: reviews still waiting for their vectors are no reason for a generation.
        newest = embedded.aggregate(newest=Max("updated_at"))["newest"]
        current = builder.current
        since = None if current is None or not current.changed_up_to else current.changed_up_to
        old_high = builder.high_water
        changed = newest is not None and (since is None or newest.isoformat() != since)
        if old_high:
            below = embedded.filter(pk__lte=old_high)
            for kind, queryset in (
                ("multilingual", below),
                ("english", below.filter(embedding_en__isnull=False) if english else below.none()),
            ):
                stored, keys = _ids(queryset), builder.keys(kind)
                gone = np.setdiff1d(keys, stored)
                builder.remove(kind, gone)
                late = np.setdiff1d(stored, keys)
                for start in range(0, len(late), _CHUNK):
                    rows = _rows(
                        embedded.filter(pk__in=late[start : start + _CHUNK].tolist()),
                        english=english,
                    )
                    _add(builder, rows, count=kind == "multilingual")
                changed = changed or bool(len(gone) or len(late))
            if since is not None:
                # Corrections: counted already (their old words stay until a rebuild). Found
                # by the updated_at index alone (an id range would be the whole table).
                recent = [
                    pk
                    for pk in KnownFactCheck.objects.order_by()
                    .filter(updated_at__gt=datetime.fromisoformat(since) - _COMMIT_LAG)
                    .values_list("pk", flat=True)
                    if pk <= old_high
                ]
                moved = []
                for start in range(0, len(recent), _CHUNK):
                    chunk = embedded.filter(pk__in=recent[start : start + _CHUNK])
                    moved += _moved(builder, _rows(chunk, english=english))
                _add(builder, moved, count=False)
                changed = changed or bool(moved)
        high = old_high
        while True:
            rows = _rows(embedded.filter(pk__gt=high).order_by("pk")[:_CHUNK], english=english)
            _add(builder, rows, count=True)
            if rows:
                high, changed = rows[-1].pk, True
            if len(rows) < _CHUNK:
                break
        if not changed and current is not None:
            return None
        # Fact-checks have no full-text index in the database: their lexical candidates come
        # from this word index on every database (8 bytes per word occurrence).
        pairs = list(embedded.filter(pk__lte=high).values_list("pk", "claim_reviewed"))
        postings = WordPostings.build(
            [pk for pk, _t in pairs], [claim_words(text) for _pk, text in pairs]
        )
        del pairs
        return builder.commit(
            high_water=high,
            postings=postings,
            changed_up_to=None if newest is None else newest.isoformat(),
        )
