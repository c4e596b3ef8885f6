"""Generations of the shared vector index (claims/nlp/matching/shared.py), without Django."""

from __future__ import annotations

import json

import numpy as np

from claims.nlp.matching.shared import (
    Generation,
    GenerationBuilder,
    IndexParameters,
    SharedVectorIndex,
    collection_directory,
    writer_lock,
)

PARAMS = IndexParameters(dtype="f32")


def unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, 512)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def write(directory, ids, *, rebuild=False, changed_up_to=None) -> Generation:
    with writer_lock(directory, wait=True) as got:
        assert got
        builder = GenerationBuilder(directory, PARAMS, rebuild=rebuild)
        builder.add("multilingual", np.array(ids), unit(len(ids), ids[0]))
        return builder.commit(high_water=max(ids), changed_up_to=changed_up_to)


def test_collections_live_apart(tmp_path):
    assert collection_directory(tmp_path) == tmp_path
    assert collection_directory(tmp_path, "factchecks") == tmp_path / "factchecks"
    write(tmp_path, [1, 2])
    write(collection_directory(tmp_path, "factchecks"), [7])
    claims, factchecks = SharedVectorIndex(tmp_path), SharedVectorIndex(tmp_path / "factchecks")
    claims.refresh(), factchecks.refresh()
    assert 1 in claims and 7 not in claims
    assert 7 in factchecks and 1 not in factchecks
    # The claims' writer keeps only its gen-* directories: the collection's subdirectory stays.
    write(tmp_path, [3])
    write(tmp_path, [4])
    assert (tmp_path / "factchecks" / "current.json").exists()


def test_a_rebuild_takes_the_next_number_and_keeps_the_generation_readers_have(tmp_path):
    write(tmp_path, [1])
    second = write(tmp_path, [2])
    reader = SharedVectorIndex(tmp_path)
    reader.refresh()
    rebuilt = write(tmp_path, [5, 6], rebuild=True)
    # Not gen-00000001 again (a rebuild used to restart the numbering, over a kept directory).
    assert rebuilt.number == 3
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == [second.directory, rebuilt.directory]
    assert reader.refresh()
    assert 5 in reader and 1 not in reader and 2 not in reader


def test_changed_up_to_round_trips_and_old_manifests_still_read(tmp_path):
    generation = write(tmp_path, [1], changed_up_to="2026-12-07T17:00:00+00:00")
    assert Generation.read(tmp_path).changed_up_to == "2026-12-07T17:00:00+00:00"
    # A manifest written before the field existed (and one with a field this code does not
    # know) still reads.
    data = json.loads((tmp_path / "current.json").read_text())
    del data["changed_up_to"]
    data["written_by_a_newer_release"] = 1
    (tmp_path / "current.json").write_text(json.dumps(data))
    read = Generation.read(tmp_path)
    assert read.changed_up_to is None and read.number == generation.number
