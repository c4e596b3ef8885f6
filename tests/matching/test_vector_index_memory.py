"""A process reading the shared vector index keeps (almost) nothing per stored claim.

Real processes: the writer (`GenerationBuilder`) writes generations of two sizes, and a fresh
Python process per generation opens it as a worker does (`SharedVectorIndex`), searches it and
asks `holds`, then reports its private memory without the index files' pages (which the page
cache shares between processes). usearch keeps a pointer per node in each process that opens a
file (~15-25 bytes a vector, measured in bench/results/vector-index.md); the hash table of keys
it would also build (another ~25-30 bytes a vector, 25 to 50 MiB per million claims and kind)
is left out, since the writer's sorted key files answer `holds`. (At these small sizes the
reader's pointer tables fit in heap pages the process already has, so its growth measures near
zero; the control's table does not.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claims.nlp.matching.shared import KEYS_SUFFIX, GenerationBuilder, IndexParameters
from claims.nlp.matching.vectors import EMBEDDING_DIM, ENGLISH_DIM

ROOT = Path(__file__).resolve().parents[2]
# A cheap graph: this measures memory, not recall.
CHEAP = IndexParameters(connectivity=4, expansion_add=8, expansion_search=16)
SMALL, LARGE = 2_000, 50_000

READER = r"""
import json, sys
from pathlib import Path
import numpy as np

def private(exclude):
    rollup = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        rollup[name.rstrip(":")] = int(value)
    excluded, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            inside = len(parts) >= 6 and parts[5].startswith(exclude)
        elif inside and parts and parts[0] in ("Private_Clean:", "Private_Dirty:"):
            excluded += int(parts[1])
    return (rollup["Private_Clean"] + rollup["Private_Dirty"] - excluded) * 1024

directory, mode = Path(sys.argv[1]), sys.argv[2]
from claims.nlp.matching.shared import SharedVectorIndex
from usearch.index import Index
rng = np.random.default_rng(3)
queries = rng.standard_normal((50, 2, 512)).astype(np.float32)
before = private(str(directory.resolve()))
if mode == "reader":
    reader = SharedVectorIndex(directory)
    reader.refresh()
    found = [reader.search("multilingual", q, 20).tolist() for q in queries]
    held = {str(k): reader.holds("english", k) for k in (1, 2, 3, 10**9)}
    out = {"found": found, "held": held, "count": len(reader)}
else:  # usearch's default: the key table too (the control)
    name = json.loads((directory / "current.json").read_text())["directory"]
    views = [Index.restore(str(directory / name / f"{kind}.usearch"), view=True)
             for kind in ("multilingual", "english")]
    for q in queries:
        views[0].search(q, 20, threads=1)
    out = {}
out["private"] = private(str(directory.resolve())) - before
print(json.dumps(out))
"""


def write_generation(directory: Path, count: int) -> GenerationBuilder:
    rng = np.random.default_rng(count)
    builder = GenerationBuilder(directory, CHEAP)
    ids = np.arange(1, count + 1, dtype=np.int64)
    builder.add("multilingual", ids, rng.standard_normal((count, EMBEDDING_DIM)))
    english = ids[::2]  # every other claim English
    builder.add("english", english, rng.standard_normal((len(english), ENGLISH_DIM)))
    builder.commit(high_water=count)
    return builder


def read(directory: Path, mode: str = "reader") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", READER, str(directory), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def generations(tmp_path_factory):
    root = tmp_path_factory.mktemp("vector-memory")
    built = {}
    for count in (SMALL, LARGE):
        builder = write_generation(root / str(count), count)
        built[count] = (root / str(count), builder)
    return built


def test_the_writer_saves_each_kinds_sorted_ids_beside_its_index(generations):
    directory, builder = generations[SMALL]
    current = builder.current
    for kind, count in (("multilingual", SMALL), ("english", SMALL // 2)):
        keys = np.load(directory / current.directory / f"{kind}{KEYS_SUFFIX}")
        assert len(keys) == count
        assert (np.diff(keys) > 0).all()
        assert set(keys.tolist()) == set(builder.keys(kind).tolist())


def test_another_process_finds_what_the_writer_holds_without_the_key_table(generations):
    directory, builder = generations[SMALL]
    result = read(directory)
    assert result["count"] == SMALL
    # Claims 1 and 3 are English (every other one from the first), 2 is not; 10**9 is no claim.
    assert result["held"] == {"1": True, "2": False, "3": True, str(10**9): False}
    index = builder.indexes["multilingual"]
    queries = np.random.default_rng(3).standard_normal((50, 2, EMBEDDING_DIM)).astype(np.float32)
    for found, q in zip(result["found"], queries, strict=True):
        # The same graph, searched the same way: the writer's own results.
        expected = index.search(q, 20, threads=1)
        assert found == np.asarray(expected.keys).ravel().tolist()


def test_holds_answers_per_kind_from_the_key_files(generations):
    directory, _builder = generations[SMALL]
    from claims.nlp.matching.shared import SharedVectorIndex

    reader = SharedVectorIndex(directory)
    reader.refresh()
    assert reader._keys["multilingual"] is not None  # the files were used, not usearch's table
    assert reader.holds("multilingual", 1) and reader.holds("multilingual", SMALL)
    assert not reader.holds("multilingual", SMALL + 1) and not reader.holds("multilingual", 0)
    assert reader.holds("english", 1) and not reader.holds("english", 2)
    assert str(5) in reader and "0" not in reader


def test_a_readers_private_memory_hardly_grows_with_the_number_of_claims(generations):
    small, large = read(generations[SMALL][0]), read(generations[LARGE][0])
    growth = (large["private"] - small["private"]) / (LARGE - SMALL)
    # The control: usearch's default view (with its key table) grows measurably more, so
    # the measurement can tell the two apart.
    control = (
        read(generations[LARGE][0], "control")["private"]
        - read(generations[SMALL][0], "control")["private"]
    ) / (LARGE - SMALL)
    # Per stored claim: a multilingual vector and, here, half an English one.
    assert growth < 30, f"{growth:.1f} bytes per stored claim"
    assert control > growth + 20, f"control {control:.1f}, reader {growth:.1f} bytes a claim"
