"""The claim vector index shared by every process on a machine: usearch HNSW files on disk.

One writer (`GenerationBuilder`, under `writer_lock`) takes the current generation, applies the
changes the database gives it (claims added, deleted, re-embedded) and writes a new generation
directory: the multilingual and English HNSW indexes (int8 vectors by default, keyed by claim
id), the collection's counts (corpus.py) and, for SQLite, a word index. Then it points
`current.json` at it with an atomic rename. Readers (`SharedVectorIndex`) memory-map the files
(`Index.restore(path, view=True)`, `np.load(mmap_mode="r")`): the pages live once in the page
cache however many worker processes read them, and a reader notices a new generation by the
manifest's inode and opens it; files of the previous generation stay until the one after, so a
reader never has a file removed under it mid-search (unlinked mapped files stay readable anyway).

The index is a candidate generator only: the vectors in it are int8 copies; scores are computed
from the float32 vectors stored in the database. Claims newer than the generation's
`high_water` id are not in it; the caller scans those exactly.

Each collection (our own claims, the known fact-checks) has its own directory, generations,
manifest and writer lock (`collection_directory`); nothing here depends on what the ids are.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import CorpusStatistics, WordPostings
from .vectors import EMBEDDING_DIM, ENGLISH_DIM

MANIFEST = "current.json"
KEYS_SUFFIX = ".keys.npy"  # beside each `<kind>.usearch`: its claim ids, sorted (int64)
KINDS = {"multilingual": EMBEDDING_DIM, "english": ENGLISH_DIM}
CLAIMS = "claims"


def collection_directory(root: Path, collection: str = CLAIMS) -> Path:
    """Where a collection's generations live: our claims at the root (where they were first),
    any other collection in a subdirectory of that name (never matched by `gen-*`)."""
    return root if collection == CLAIMS else root / collection


@dataclass(frozen=True)
class IndexParameters:
    """HNSW settings (docs/matching.md has the measurements behind them)."""

    dtype: str = "i8"  # int8 vectors: 512 bytes a claim; "f16" doubles that for ~no recall
    connectivity: int = 16
    expansion_add: int = 64
    expansion_search: int = 96


@dataclass(frozen=True)
class Generation:
    number: int
    high_water: int  # the largest claim id the generation was built up to
    counts: dict[str, int]
    created: float
    directory: str  # name, inside the index directory
    # Search breadth (not kept in the usearch file: readers set it when they open one).
    expansion_search: int = IndexParameters.expansion_search
    # For collections whose rows change in place (a corrected fact-check): the newest
    # modification time (ISO) the generation holds; readers scan rows changed after it exactly.
    changed_up_to: str | None = None

    @classmethod
    def read(cls, directory: Path) -> Generation | None:
        try:
            data = json.loads((directory / MANIFEST).read_text())
        except FileNotFoundError:
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _new_index(dim: int, params: IndexParameters):
    from usearch.index import Index  # lazy: the web process never needs it

    return Index(
        ndim=dim,
        metric="cos",
        dtype=params.dtype,
        connectivity=params.connectivity,
        expansion_add=params.expansion_add,
        expansion_search=params.expansion_search,
    )


@contextlib.contextmanager
def writer_lock(directory: Path, *, wait: bool = False) -> Iterator[bool]:
    """One writer per index directory (per machine): yields whether this process got it.

    A file lock, not a database or Redis one, because each machine keeps its own copy of the
    files; the kernel drops it when the holder dies, so a killed writer never blocks the next.
    """
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".writer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class GenerationBuilder:
    """The next generation, in the writer's memory until `commit` (hold `writer_lock`)."""

    def __init__(
        self, directory: Path, params: IndexParameters | None = None, *, rebuild: bool = False
    ):
        from usearch.index import Index

        self.directory = directory
        self.params = params or IndexParameters()
        # A rebuild starts from nothing but still follows the generation readers have open: it
        # takes the next number (not gen-00000001 again, which may be a kept directory) and
        # keeps that generation until the next switch.
        self.replaces = Generation.read(directory)
        self.current = None if rebuild else self.replaces
        self.indexes = {}
        for kind, dim in KINDS.items():
            path = self._current_file(f"{kind}.usearch")
            self.indexes[kind] = (
                Index.restore(str(path)) if path is not None else _new_index(dim, self.params)
            )
        stats_dir = self._current_dir()
        self.stats = (
            CorpusStatistics.load(stats_dir).copy()
            if stats_dir is not None and (stats_dir / "sizes.npy").exists()
            else CorpusStatistics.empty()
        )
        self.high_water = self.current.high_water if self.current else 0

    def _current_dir(self) -> Path | None:
        return None if self.current is None else self.directory / self.current.directory

    def _current_file(self, name: str) -> Path | None:
        base = self._current_dir()
        if base is None or not (base / name).exists():
            return None
        return base / name

    def keys(self, kind: str) -> np.ndarray:
        index = self.indexes[kind]
        return np.asarray(index.keys, dtype=np.int64) if len(index) else np.zeros(0, np.int64)

    def add(self, kind: str, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add (or replace) vectors by claim id."""
        if not len(ids):
            return
        index = self.indexes[kind]
        keys = np.asarray(ids, dtype=np.uint64)
        present = [k for k in keys.tolist() if k in index]
        if present:
            index.remove(np.asarray(present, dtype=np.uint64))
        index.add(keys, np.asarray(vectors, dtype=np.float32), threads=os.cpu_count() or 1)

    def remove(self, kind: str, ids: np.ndarray) -> None:
        if len(ids):
            self.indexes[kind].remove(np.asarray(ids, dtype=np.uint64))

    def commit(
        self,
        *,
        high_water: int,
        postings: WordPostings | None = None,
        changed_up_to: str | None = None,
    ) -> Generation:
        """Write the generation next to the current one, then switch the manifest to it."""
        number = (self.replaces.number if self.replaces else 0) + 1
        name = f"gen-{number:08d}"
        tmp = self.directory / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        counts = {}
        for kind, index in self.indexes.items():
            counts[kind] = len(index)
            if len(index):
                index.save(str(tmp / f"{kind}.usearch"))
                # The ids the index holds, sorted: readers answer `holds` from this file
                # (memory-mapped) instead of usearch's in-process key table (see `_open`).
                np.save(tmp / f"{kind}{KEYS_SUFFIX}", np.sort(self.keys(kind)))
        self.stats.save(tmp)
        if postings is not None:
            postings.save(tmp)
        generation = Generation(
            number,
            int(high_water),
            counts,
            time.time(),
            name,
            self.params.expansion_search,
            changed_up_to,
        )
        os.replace(tmp, self.directory / name)
        manifest = self.directory / f".{MANIFEST}.tmp"
        manifest.write_text(json.dumps(generation.__dict__))
        os.replace(manifest, self.directory / MANIFEST)
        self._prune(keep={name, self.replaces.directory if self.replaces else name})
        self.current = self.replaces = generation
        return generation

    def _prune(self, keep: set[str]) -> None:
        for path in self.directory.glob("gen-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _open(path: Path, keys_path: Path):
    """A generation's HNSW file, memory-mapped, and its sorted ids (memory-mapped too).

    usearch builds a hash table of every key when it opens a file (~25-30 bytes a vector, in the
    process's own heap: 25 to 50 MiB per million claims and kind, in every worker); searches
    read the keys from the graph's nodes in the file and never use it. With the writer's
    sorted key file beside the index, the table is left out (`enable_key_lookups=False`) and
    `holds` is a binary search in pages the page cache shares. What usearch still keeps per
    vector in the process (pointers to each node and vector: ~15-25 bytes) is measured in
    bench/results/vector-index.md. Generations written without the key file (older code)
    are opened with the table.
    """
    from usearch.index import Index

    if keys_path.exists():
        return (
            Index.restore(str(path), view=True, enable_key_lookups=False),
            np.load(keys_path, mmap_mode="r"),
        )
    return Index.restore(str(path), view=True), None


class SharedVectorIndex:
    """A process's read-only view of the current generation (memory-mapped, reopened when the
    writer switches generations). Cheap to keep per process: its memory is the page cache's."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.generation: Generation | None = None
        self.stats = CorpusStatistics.empty()
        self.postings: WordPostings | None = None
        self._views: dict = {}
        self._keys: dict[str, np.ndarray | None] = {}
        self._stamp: tuple | None = None

    @property
    def high_water(self) -> int:
        return self.generation.high_water if self.generation else 0

    def refresh(self) -> bool:
        """Open the current generation if the manifest changed; returns whether it did."""
        try:
            st = os.stat(self.directory / MANIFEST)
        except FileNotFoundError:
            return False
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return False
        generation = Generation.read(self.directory)
        base = self.directory / generation.directory
        views, keys = {}, {}
        for kind in KINDS:
            path = base / f"{kind}.usearch"
            if generation.counts.get(kind) and path.exists():
                views[kind], keys[kind] = _open(path, base / f"{kind}{KEYS_SUFFIX}")
                views[kind].expansion_search = generation.expansion_search
        self._views, self._keys = views, keys
        self.stats = CorpusStatistics.load(base)
        self.postings = WordPostings.load(base)
        self.generation, self._stamp = generation, stamp
        return True

    def __len__(self) -> int:
        view = self._views.get("multilingual")
        return 0 if view is None else len(view)

    def __contains__(self, claim_id: object) -> bool:
        """Whether the generation holds the claim (its multilingual vector)."""
        return self.holds("multilingual", claim_id)  # type: ignore[arg-type]

    def holds(self, kind: str, claim_id: int | str) -> bool:
        """Whether the generation has the claim's vector of that kind."""
        view = self._views.get(kind)
        if view is None:
            return False
        keys = self._keys.get(kind)
        if keys is None:  # a generation written before the key files: usearch's own table
            return int(claim_id) in view
        at = int(np.searchsorted(keys, int(claim_id)))
        return at < len(keys) and int(keys[at]) == int(claim_id)

    def search(self, kind: str, vectors: np.ndarray, count: int) -> np.ndarray:
        """Claim ids of the approximate `count` nearest neighbours of each vector (all rows)."""
        view = self._views.get(kind)
        if view is None or not len(vectors):
            return np.zeros(0, dtype=np.int64)
        # One thread: a search is two to four vectors, and usearch's default (every core) cost
        # more in thread hand-off than the search itself (same results either way).
        found = view.search(np.asarray(vectors, dtype=np.float32), min(count, len(view)), threads=1)
        keys = np.asarray(found.keys).reshape(len(vectors), -1)
        distances = np.asarray(found.distances).reshape(len(vectors), -1)
        return keys[np.isfinite(distances)].astype(np.int64)
