"""What a reader of the shared vector index holds per stored claim: private memory by size.

    python bench/bench_vector_memory.py GEN_DIR [GEN_DIR ...] [--compare /path/to/checkout]
        [--rounds 2] [--searches 200] [--out /tmp/vector-memory.json]

Each GEN_DIR is a generation directory the writer wrote (`gen-NNNNNNNN/`, e.g. copies kept
from a `bench/bench_vector_index.py` run at 10,000, 100,000 and 300,000 claims). For each, a
fresh process with this checkout's `claims` package (and with `--compare`'s, alternating,
`--rounds` times each) opens it through `SharedVectorIndex` as a worker does, runs `--searches`
searches of each kind (two query vectors, 61 neighbours: what one claim's candidate search
asks) and `holds` lookups, and reports:

- private memory (Private_Clean + Private_Dirty of /proc/self/smaps_rollup) without the index
  directory's own file pages, before opening and after the searches: the difference is what
  the reader keeps in its own memory for the generation, i.e. what grows with the claims;
- the Python heap's growth over the same span (tracemalloc), to tell Python objects from
  native allocations (usearch's);
- the searches' own latency (one thread), p50 / p95 ms, and the time to open the generation
  (`refresh`: at a worker's first search after each switch to a new generation).

`--synthetic 10000,100000,300000,1000000 --dir DIR`: instead of saved generations, write
generations of those sizes first with this checkout's writer (`GenerationBuilder`): random unit
vectors, an English vector for 94% of the claims (the benchmark's texts' share), the shipped
connectivity (16: the per-node layout) but a cheap build (`expansion_add` 8: a graph of lower
recall, built in minutes instead of an hour at a million). What a reader keeps per node does not
depend on the graph's quality; the latency figures of such generations do, so they are not the
matching latency (`bench/bench_vector_index.py` measures that).

No database: the rest of a worker (Django, the per-search work) does not depend on the number
of stored claims; `bench/bench_vector_index.py` measures the whole worker. Generations written
before the key files (`<kind>.keys.npy`) get them here first, as the writer now writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The worker benchmark's reading of /proc/self/smaps (private memory without the pages of the
# files under a directory), so both benchmarks count memory the same way.
from vector_index_worker import memory, pct

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
DIMS = {"multilingual": 512, "english": 384}
WANT = 61  # OVERFETCH 2 x semantic_candidates 30, + 1 claim


def child(index_dir: str, exclude: str, searches: int) -> None:
    import tracemalloc

    import numpy as np

    from claims.nlp.matching.shared import SharedVectorIndex

    rng = np.random.default_rng(7)
    queries = {
        kind: rng.standard_normal((searches, 2, dim)).astype(np.float32)
        for kind, dim in DIMS.items()
    }
    probes = rng.integers(1, 2_000_000, size=searches)
    before = memory(exclude)
    tracemalloc.start()
    reader = SharedVectorIndex(Path(index_dir))
    t = time.perf_counter()
    reader.refresh()  # what every worker does at its first search after each new generation
    open_ms = (time.perf_counter() - t) * 1000
    times = []
    held = 0
    for n in range(searches):
        t = time.perf_counter()
        for kind in DIMS:
            reader.search(kind, queries[kind][n], WANT)
        times.append((time.perf_counter() - t) * 1000)
        held += reader.holds("multilingual", int(probes[n]))
    python_heap = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    after = memory(exclude)
    print(json.dumps({
        "claims": len(reader), "english": reader.generation.counts.get("english", 0),
        "private_before": before["private_own"], "private_after": after["private_own"],
        "anonymous_growth": after["anonymous"] - before["anonymous"],
        "python_heap": python_heap, "p50": pct(times, 0.5), "p95": pct(times, 0.95),
        "held": held, "open_ms": open_ms,
    }))  # fmt: skip


def prepare(generation: Path, work: Path) -> Path:
    """An index directory holding `generation` (a symlink) with a manifest, and the key files
    the writer now writes beside each HNSW file."""
    import numpy as np
    from usearch.index import Index

    counts = {}
    for kind in DIMS:
        path = generation / f"{kind}.usearch"
        if not path.exists():
            continue
        view = Index.restore(str(path), view=True)
        counts[kind] = len(view)
        keys = generation / f"{kind}.keys.npy"
        if not keys.exists():
            np.save(keys, np.sort(np.asarray(view.keys, dtype=np.int64)))
    directory = work / f"{generation.parent.name}-{generation.name}"
    directory.mkdir(parents=True, exist_ok=True)
    link = directory / generation.name
    if not link.exists():
        link.symlink_to(generation.resolve())
    manifest = {"number": 1, "high_water": 0, "counts": counts, "created": time.time(),
                "directory": generation.name}  # fmt: skip
    (directory / "current.json").write_text(json.dumps(manifest))
    return directory


def synthetic(sizes: list[int], root: Path) -> list[Path]:
    """Generations of `sizes` claims (each one's own directory), as described above."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from claims.nlp.matching.shared import GenerationBuilder, IndexParameters

    params = IndexParameters(expansion_add=8)
    made = []
    for size in sizes:
        directory = root / f"synthetic-{size}"
        if not (directory / "current.json").exists():
            rng = np.random.default_rng(size)
            builder = GenerationBuilder(directory, params, rebuild=True)
            for start in range(0, size, 100_000):
                ids = np.arange(start + 1, min(size, start + 100_000) + 1, dtype=np.int64)
                for kind, dim in DIMS.items():
                    chosen = ids if kind == "multilingual" else ids[rng.random(len(ids)) < 0.94]
                    builder.add(kind, chosen, rng.standard_normal((len(chosen), dim)))
            builder.commit(high_water=size)
            print(f"wrote {size:,} claims", flush=True)
        current = json.loads((directory / "current.json").read_text())["directory"]
        made.append(directory / current)
    return made


def run_child(code_root: Path, index_dir: Path, exclude: str, searches: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(index_dir), "--exclude", exclude,
         "--searches", str(searches)],
        check=True, capture_output=True, text=True, cwd=code_root,
        env={**os.environ, "PYTHONPATH": str(code_root)},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> str:
    """A markdown table from the children's results: per size and code, medians over rounds."""
    from statistics import median

    sizes = sorted({r["claims"] for r in results})
    codes = [c for c in ("compared", "this") if any(r["code"] == c for r in results)]
    lines = [
        "| stored claims (English vectors) | code | reader's private memory for the generation "
        "MiB | of it Python objects MiB | opening the generation ms | search p50 / p95 ms "
        "| load avg |",
        "|---|---|---|---|---|---|---|",
    ]
    growth: dict[str, list[tuple[int, float]]] = {c: [] for c in codes}
    for size in sizes:
        for code in codes:
            done = [r for r in results if r["claims"] == size and r["code"] == code]
            private = median(r["private_after"] - r["private_before"] for r in done)
            growth[code].append((size, private))
            lines.append(
                f"| {size:,} ({done[0]['english']:,}) | {code} | {private:.1f} | "
                f"{median(r['python_heap'] for r in done):.1f} | "
                f"{median(r.get('open_ms', float('nan')) for r in done):.0f} | "
                f"{median(r['p50'] for r in done):.2f} / {median(r['p95'] for r in done):.2f} "
                f"| {median(r['load'] for r in done):.1f} |"
            )
    for code, points in growth.items():
        (x0, y0), (x1, y1) = points[0], points[-1]
        lines.append(
            f"\n*{code}*: {y1 - y0:+.1f} MiB from {x0:,} to {x1:,} claims, "
            f"{(y1 - y0) / (x1 - x0) * 100_000:.2f} MiB per 100,000 claims."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generations", nargs="*")
    parser.add_argument("--compare", help="another checkout: its reader measured alongside")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--out")
    parser.add_argument("--synthetic", help="sizes to write first (comma-separated)")
    parser.add_argument("--dir", default="/tmp/vector-memory", help="where --synthetic writes")
    parser.add_argument("--report", help="print the table of an --out file and stop")
    parser.add_argument("--child")
    parser.add_argument("--exclude")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.exclude, args.searches)
        return
    if args.report:
        print(report(json.loads(Path(args.report).read_text())))
        return
    roots = {"this": ROOT}
    if args.compare:
        roots = {"compared": Path(args.compare).resolve(), "this": ROOT}
    generations = [Path(g) for g in args.generations]
    if args.synthetic:
        sizes = [int(n) for n in args.synthetic.split(",")]
        generations += synthetic(sizes, Path(args.dir))
    results = []
    with tempfile.TemporaryDirectory() as work:
        for generation in generations:
            directory = prepare(generation, Path(work))
            exclude = str(generation.resolve())
            for round_ in range(args.rounds):
                for name, root in roots.items():
                    r = run_child(root, directory, exclude, args.searches)
                    r.update(code=name, round=round_, load=os.getloadavg()[0])
                    print(json.dumps(r), flush=True)
                    results.append(r)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))
    print(report(results))


if __name__ == "__main__":
    main()
