"""The shared vector index in the app: one writer keeps it in step with the database, every
worker process reads it memory-mapped.

The database stays the source of truth: the index files (claims/nlp/matching/shared.py) are built
from the vectors stored on claims (`Claim.embedding`, `Claim.embedding_en`) and can be deleted and
rebuilt at any time. `vector_index_update` (the beat task `vector_index_update_task`, the
`matching_index` command, or a search finding the index too far behind) adds what was embedded
since the last generation, drops deleted claims and writes a new generation; searches read the
generation plus an exact scan of the claims above its high-water mark, so a claim is a candidate
as soon as it is committed. Nothing is built when a worker starts.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from claims.models import Claim
from claims.nlp.matching import ENGLISH_DIM, embedding_from_bytes, normalise_claim_text
from claims.nlp.matching.corpus import HashedCounts, WordPostings
from claims.nlp.matching.shared import (
    CLAIMS,
    Generation,
    GenerationBuilder,
    IndexParameters,
    SharedVectorIndex,
    collection_directory,
    writer_lock,
)

from .config import english_signal_enabled
from .fts import LEXEMES_SQL, parse_lexemes
from .words import claim_words, rare_words

_LATE_CHUNK = 5000  # ids per `pk IN (...)` when adding claims embedded late (SQLite's limits)
logger = logging.getLogger(__name__)

# Keys of settings.CLAIMTRACKER_VECTOR_INDEX, with their defaults.
VECTOR_INDEX_DEFAULTS = {
    # Claims above the generation's high-water mark are scanned exactly at every search; past
    # this many, the search first brings the index up to date itself (if no writer is at it).
    "SCAN_LIMIT": 5000,
    "DTYPE": "i8",
    "CONNECTIVITY": 16,
    "EXPANSION_ADD": 64,
    "EXPANSION_SEARCH": 96,
    # Claims the writer reads and adds per batch (a primary-key range). The writer holds the
    # index it builds plus two batches: one being inserted, the next being read and counted
    # (~3.5 KiB of float32 vectors and ~1 KiB of text and lexemes per claim: ~90 MB at 10,000;
    # bench/results/vector-index.md has the writer's measured growth).
    "BATCH": 10_000,
    # How many neighbours the index returns per query vector, over `semantic_candidates`: the
    # exact scores then pick the best among them (recall of the true top against the exact
    # scan is in docs/model-card-matching.md).
    "OVERFETCH": 2.0,
}


def vector_index_settings() -> dict[str, Any]:
    configured = getattr(settings, "CLAIMTRACKER_VECTOR_INDEX", None) or {}
    return {**VECTOR_INDEX_DEFAULTS, **{k: v for k, v in configured.items() if v is not None}}


def vector_index_dir(collection: str = CLAIMS) -> Path:
    """The directory of a collection's generations (claims; "factchecks")."""
    return collection_directory(Path(settings.CLAIMTRACKER_VECTOR_INDEX_DIR), collection)


def _parameters() -> IndexParameters:
    conf = vector_index_settings()
    return IndexParameters(
        dtype=str(conf["DTYPE"]),
        connectivity=int(conf["CONNECTIVITY"]),
        expansion_add=int(conf["EXPANSION_ADD"]),
        expansion_search=int(conf["EXPANSION_SEARCH"]),
    )


# --- reading ------------------------------------------------------------------------------------

_readers: dict[Path, SharedVectorIndex] = {}
_lock = threading.Lock()


def shared_index(collection: str = CLAIMS) -> SharedVectorIndex:
    """This process's view of the current generation (reopened when the writer switches)."""
    directory = vector_index_dir(collection)
    with _lock:
        reader = _readers.get(directory)
        if reader is None:
            reader = _readers[directory] = SharedVectorIndex(directory)
        reader.refresh()
        return reader


def matching_index() -> SharedVectorIndex:
    """The index searches read, brought up to date first if it is a little behind (or missing).

    No generation yet, or more than `SCAN_LIMIT` claims above the high-water mark: the search
    updates the index itself (non-blocking: if another process is writing, it goes on with the
    current generation). Far
    behind (more than 20 x `SCAN_LIMIT`, e.g. a desk with a million claims before its first
    `manage.py matching_index`) it leaves that to the writer and logs it: a worker process must
    not spend minutes and gigabytes on a build. Searches then see the newest `SCAN_LIMIT` claims
    above the mark only.
    """
    reader = shared_index()
    limit = int(vector_index_settings()["SCAN_LIMIT"])
    behind = Claim.objects.filter(embedding__isnull=False, pk__gt=reader.high_water)
    # No ordering: Claim's default (-score, -created_at) made the bounded count sort every row
    # above the mark, and SQLite answered it with a scan of the whole table on every search.
    count = behind.order_by()[: 20 * limit + 1].count()
    # Without a generation there are no collection counts either: write the first one at once
    # (the quick start's small collection: well under a second).
    if count <= limit and (reader.generation is not None or not count):
        return reader
    if count > 20 * limit:
        logger.warning(
            "matching: the shared vector index is more than %s claims behind; run "
            "`manage.py matching_index` (searches see only the newest %s meanwhile)",
            20 * limit,
            limit,
        )
        return reader
    vector_index_update()  # returns at once when another process is writing
    return shared_index()


def matching_index_reset() -> None:
    """Forget the process's open views (tests; the next search opens the current generation)."""
    with _lock:
        _readers.clear()


def matching_word_counts() -> Mapping[str, int]:
    """In how many indexed claims each word occurs (hashed counts; empty before a generation)."""
    return HashedCounts(shared_index().stats.claim_word_df)


def matching_lexeme_counts() -> Mapping[str, int]:
    """PostgreSQL: in how many indexed claims each full-text lexeme occurs (hashed counts)."""
    return HashedCounts(shared_index().stats.lexeme_df)


# --- writing ------------------------------------------------------------------------------------


class _Row(NamedTuple):
    pk: int
    text: str
    embedding: bytes
    embedding_en: bytes | None
    lexemes: str | None  # PostgreSQL only


def _rows(queryset: Any, *, lexemes: bool = True) -> list[_Row]:
    """Claims with their stored vectors, the text matching compares and (PostgreSQL) lexemes."""
    queryset = queryset.annotate(
        match_text=Coalesce(NullIf(F("standalone"), Value("")), F("text"), output_field=TextField())
    )
    postgres = lexemes and connection.vendor == "postgresql"
    if postgres:
        queryset = queryset.annotate(lexemes=RawSQL(LEXEMES_SQL, []))  # noqa: S611 (constant)
    else:
        queryset = queryset.annotate(lexemes=Value(None, output_field=TextField()))
    return [
        _Row(pk, text, bytes(e), None if en is None else bytes(en), lx)
        for pk, text, e, en, lx in queryset.values_list(
            "pk", "match_text", "embedding", "embedding_en", "lexemes"
        )
    ]


def _vectors(rows: list[_Row], *, english: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The batch's float32 vectors by index kind, keyed by claim id."""
    batch = {
        "multilingual": (
            np.array([r.pk for r in rows], dtype=np.int64),
            np.stack([embedding_from_bytes(r.embedding) for r in rows]),
        )
    }
    en = [r for r in rows if english and r.embedding_en is not None]
    if en:
        batch["english"] = (
            np.array([r.pk for r in en], dtype=np.int64),
            np.stack([embedding_from_bytes(r.embedding_en, ENGLISH_DIM) for r in en]),
        )
    return batch


def _count(builder: GenerationBuilder, rows: list[_Row]) -> None:
    """Count the claims' words, character n-grams and lexemes into the collection statistics."""
    builder.stats.add(
        [normalise_claim_text(r.text) or r.text for r in rows],
        words=[claim_words(r.text) for r in rows],
        lexemes=[parse_lexemes(r.lexemes) for r in rows if r.lexemes is not None],
    )


class _BatchAdder:
    """Inserts one batch into the HNSW indexes in a background thread while the caller reads the
    next batch from the database and counts the words of this one.

    HNSW inserts are most of a build, and usearch releases the GIL while it inserts, so the
    database read (a PostgreSQL backend computes the lexemes) and the Python counting run beside
    them instead of after them. One batch at most is in flight: `submit` waits for the previous
    one, so the writer's memory is the index plus two batches. Only the caller's thread touches
    the database; the thread touches only the builder's usearch indexes.
    """

    def __init__(self, builder: GenerationBuilder):
        self.builder = builder
        self.added = 0
        self.started = time.monotonic()
        self.cpu_started = time.process_time()  # every thread of the process
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _run(self, batch: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        try:
            for kind, (ids, vectors) in batch.items():
                self.builder.add(kind, ids, vectors)
        except BaseException as exc:  # re-raised in the caller's thread by `wait`
            self._error = exc

    def submit(self, batch: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._run, args=(batch,), daemon=True)
        self._thread.start()
        self.added += len(next(iter(batch.values()))[0])

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        """Let a batch in flight finish (after an error in the caller: nothing is re-raised)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def progress(self) -> None:
        elapsed = time.monotonic() - self.started
        logger.info(
            "vector index: %s claims submitted in %.0f s (%.0f/s), %.0f s of CPU",
            self.added,
            elapsed,
            self.added / max(elapsed, 1e-9),
            time.process_time() - self.cpu_started,
        )


def _ids(queryset: Any) -> np.ndarray:
    return np.fromiter(queryset.values_list("pk", flat=True).iterator(chunk_size=20_000), np.int64)


def vector_index_update(*, rebuild: bool = False, wait: bool = False) -> Generation | None:
    """Bring the shared index up to date with the stored vectors; write a new generation.

    Idempotent and incremental: claims embedded above the last high-water mark are added, and
    the ids below it are compared with the database (claims embedded late, English vectors
    added by a backfill, deleted claims). Returns the new generation, or None when another
    process holds the writer lock (`wait=False`) or nothing changed. `rebuild`: start from
    nothing (after re-encoding vectors: `embed_claims --refresh`). Counts of deleted claims stay
    in the collection statistics until a rebuild (they only shift word weights a little).
    """
    directory = vector_index_dir()
    batch_size = int(vector_index_settings()["BATCH"])
    with writer_lock(directory, wait=wait) as got:
        if not got:
            return None
        builder = GenerationBuilder(directory, _parameters(), rebuild=rebuild)
        adder = _BatchAdder(builder)
        try:
            return _update(builder, adder, batch_size=batch_size)
        finally:
            adder.close()  # no insert thread outlives the writer lock


def _update(
    builder: GenerationBuilder, adder: _BatchAdder, *, batch_size: int
) -> Generation | None:
    """`vector_index_update`'s work, under the writer lock."""
    english = english_signal_enabled()
    old_high = builder.high_water
    embedded = Claim.objects.filter(embedding__isnull=False)
    changed = False
    if old_high:
        below = embedded.filter(pk__lte=old_high)
        for kind, queryset in (
            ("multilingual", below),
            ("english", below.filter(embedding_en__isnull=False) if english else below.none()),
        ):
            adder.wait()  # the keys below are read from the index the thread writes to
            stored, keys = _ids(queryset), builder.keys(kind)
            gone = np.setdiff1d(keys, stored)
            builder.remove(kind, gone)
            late = np.setdiff1d(stored, keys)
            for start in range(0, len(late), _LATE_CHUNK):
                chunk = late[start : start + _LATE_CHUNK].tolist()
                rows = _rows(embedded.filter(pk__in=chunk))
                if not rows:
                    continue
                batch = _vectors(rows, english=english)
                if kind == "multilingual":
                    # Late multilingual vectors are new claims (with their English
                    # vectors, if any) for the index and the counts.
                    adder.submit(batch)
                    _count(builder, rows)
                elif "english" in batch:
                    # Late English vectors (a backfill) belong to claims indexed and
                    # counted already.
                    adder.submit({"english": batch["english"]})
            changed = changed or bool(len(gone) or len(late))
    # Claims embedded above the high-water mark, in primary-key ranges (keyset pagination:
    # each batch is an index range scan, however far the build has come).
    high = old_high
    batches = 0
    while True:
        rows = _rows(embedded.filter(pk__gt=high).order_by("pk")[:batch_size])
        if rows:
            adder.submit(_vectors(rows, english=english))
            _count(builder, rows)
            high, changed = rows[-1].pk, True
            batches += 1
            if batches % 10 == 0:
                adder.progress()
        if len(rows) < batch_size:
            break
    adder.wait()
    if not changed and builder.current is not None:
        return None
    postings = None
    if connection.vendor != "postgresql":  # PostgreSQL has its full-text index instead
        pairs = embedded.annotate(
            match_text=Coalesce(
                NullIf(F("standalone"), Value("")), F("text"), output_field=TextField()
            )
        ).values_list("pk", "match_text")
        ids, texts = zip(*pairs, strict=True) if pairs.exists() else ((), ())
        postings = WordPostings.build(ids, [claim_words(t) for t in texts])
    return builder.commit(high_water=high, postings=postings)


# --- in-memory lexical candidates -------------------------------------------------------------


def lexical_candidates_memory(
    *,
    text: str,
    exclude: Iterable[str],
    limit: int,
    budget: int,
    reader: SharedVectorIndex | None = None,
) -> list[str]:
    """The SQLite fallback: claims sharing the claim's rarest words, by summed IDF.

    Reads the word index written with the shared index (memory-mapped); same contract as
    `lexical_candidates_postgres`. Claims newer than the generation are not in it (the exact
    scan of recent claims covers them semantically). `reader`: another collection's index
    (the known fact-checks'), instead of our claims'.
    """
    if reader is None:  # (not `or`: an index without rows is falsy)
        reader = shared_index()
    postings = reader.postings
    if postings is None:
        return []
    df = HashedCounts(reader.stats.claim_word_df)
    n = max(reader.stats.n, 1)
    skip = {int(i) for i in exclude}
    scores: Counter[int] = Counter()
    for word in rare_words(text, df, budget):
        idf = math.log((n + 1) / (df[word] + 1)) + 1.0
        for claim_id in set(postings.lookup(word).tolist()):
            if claim_id not in skip:
                scores[claim_id] += idf
    return [str(claim_id) for claim_id, _score in scores.most_common(limit)]
