"""Candidate ANN engines for the shared claim index: usearch (HNSW) against faiss-cpu (IVF, HNSW).

One command, baseline (exact numpy scan) in the same run:

    OMP_NUM_THREADS=1 python bench/bench_vector_engines.py --claims 100000 \
        --out bench/results/vector-engines.md

Vectors: unit 512-vectors around 20,000 random centres (claims that repeat form tight clusters;
pure noise is the worst case for any graph index and nothing like sentence embeddings), queries
are fresh points near stored ones. Reports build time, p50/p95 of one query (top 10), recall@10
against the exact scan, file size, and whether the file can be memory-mapped (shared by every
process on a machine through the page cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

DIM = 512


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def data(n: int, queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = unit(rng.standard_normal((min(20_000, n), DIM)))
    stored = unit(
        centres[rng.integers(0, len(centres), n)]
        + 0.9 * unit(rng.standard_normal((n, DIM))) / np.sqrt(2)
    )
    picked = stored[rng.integers(0, n, queries)]
    query = unit(picked + 0.35 * unit(rng.standard_normal((queries, DIM))))
    return stored, query


def timed(fn, queries):
    times, results = [], []
    for q in queries:
        start = time.perf_counter()
        results.append(fn(q))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], results


def recall(found, truth) -> float:
    return float(
        np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)])
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out")
    args = parser.parse_args()
    stored, queries = data(args.claims, args.queries)
    rows = []

    def exact(q):
        return np.argpartition(-(stored @ q), 10)[:10]

    p50, p95, truth = timed(exact, queries)
    rows.append(
        ("exact numpy scan (float32)", "-", p50, p95, 1.0, stored.nbytes, "no (a copy per process)")
    )
    tmp = tempfile.mkdtemp()

    from usearch.index import Index

    for dtype, conn, ef in (("i8", 16, 64), ("f16", 16, 64)):
        index = Index(
            ndim=DIM,
            metric="cos",
            dtype=dtype,
            connectivity=conn,
            expansion_add=ef,
            expansion_search=64,
        )
        start = time.perf_counter()
        index.add(np.arange(len(stored), dtype=np.uint64), stored, threads=os.cpu_count())
        build = time.perf_counter() - start
        path = os.path.join(tmp, f"u-{dtype}.usearch")
        index.save(path)
        del index
        view = Index.restore(path, view=True)
        p50, p95, found = timed(lambda q, v=view: v.search(q, 10).keys, queries)
        rows.append(
            (
                f"usearch HNSW {dtype} (M={conn}, ef_add={ef}, ef_search=64)",
                f"{build:.0f} s",
                p50,
                p95,
                recall(found, truth),
                os.path.getsize(path),
                "yes (Index.restore(view=True))",
            )
        )
    try:
        import faiss
    except ImportError:
        faiss = None
    if faiss is not None:
        faiss.omp_set_num_threads(1)
        nlist = int(4 * np.sqrt(len(stored)))
        quantizer = faiss.IndexFlatIP(DIM)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantizer, DIM, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        start = time.perf_counter()
        faiss.omp_set_num_threads(os.cpu_count())
        ivf.train(
            stored[np.random.default_rng(1).integers(0, len(stored), min(len(stored), 40 * nlist))]
        )
        ivf.add(stored)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        path = os.path.join(tmp, "f-ivf.faiss")
        faiss.write_index(ivf, path)
        for nprobe in (16, 64):
            ivf.nprobe = nprobe
            p50, p95, found = timed(lambda q, i=ivf: i.search(q[None, :], 10)[1][0], queries)
            rows.append(
                (
                    f"faiss IVF{nlist},SQ8 nprobe={nprobe}",
                    f"{build:.0f} s",
                    p50,
                    p95,
                    recall(found, truth),
                    os.path.getsize(path),
                    "IO_FLAG_MMAP, IVF lists only",
                )
            )
        hnsw = faiss.IndexHNSWSQ(DIM, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 64
        faiss.omp_set_num_threads(os.cpu_count())
        start = time.perf_counter()
        hnsw.train(stored[:20000])
        hnsw.add(stored)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        hnsw.hnsw.efSearch = 64
        path = os.path.join(tmp, "f-hnsw.faiss")
        faiss.write_index(hnsw, path)
        p50, p95, found = timed(lambda q, i=hnsw: i.search(q[None, :], 10)[1][0], queries)
        rows.append(
            (
                "faiss HNSW16,SQ8 (efC=64, efSearch=64)",
                f"{build:.0f} s",
                p50,
                p95,
                recall(found, truth),
                os.path.getsize(path),
                "no (read into each process)",
            )
        )
    lines = [
        f"# ANN engines for the shared claim index ({args.claims:,} vectors, 512 dims, "
        f"{args.queries} queries)",
        "",
        "`python bench/bench_vector_engines.py --claims N`; one query at a time, one thread for "
        "searching; build on all cores (2 here, shared with other jobs).",
        "",
        "| engine | build | p50 ms | p95 ms | recall@10 vs exact | file | shared by mmap |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, build, p50, p95, rec, size, mmap in rows:
        lines.append(
            f"| {name} | {build} | {p50:.2f} | {p95:.2f} | {rec:.3f} | {size / 2**20:.0f} MiB "
            f"| {mmap} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
