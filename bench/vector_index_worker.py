"""The benchmark's worker process (`bench/bench_vector_index.py --worker`): one fresh process
per size and code, matching new claims as an NLP worker does, and what it measures about itself
(latency, CPU, private memory, what opening the shared index cost it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "bench_vector_index.py"
PG = "postgres://postgres@127.0.0.1:5432"
WARMUP = 20


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def memory(index_dir: str) -> dict[str, float]:
    """MiB from /proc/self/smaps_rollup: private (USS), proportional (PSS), resident (RSS) and
    anonymous memory; and, from /proc/self/smaps, the private pages of the index files.

    A file page mapped by one process only counts as that process's Private_Clean: with a single
    worker the shared index's pages show up as "private" although they are page cache that a
    second worker would share (and the kernel can drop). `private_own` leaves them out.
    """
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    index_private, in_index = 0.0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            in_index = len(parts) >= 6 and parts[5].startswith(index_dir)
        elif in_index and parts and parts[0] in ("Private_Clean:", "Private_Dirty:"):
            index_private += int(parts[1]) / 1024
    private = fields["Private_Clean"] + fields["Private_Dirty"]
    return {
        "private": private,
        "private_own": private - index_private,
        "index_private": index_private,
        "anonymous": fields["Anonymous"],
        "pss": fields["Pss"],
        "rss": fields["Rss"],
    }


def django_setup(db: str, index_dir: Path) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.test"
    os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"] = str(index_dir)
    import django

    django.setup()
    from django.conf import settings

    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = index_dir
    settings.CLAIMTRACKER_VECTOR_INDEX = {"SCAN_LIMIT": 10**9}  # the writer runs on its own


def worker(args) -> None:
    started = time.perf_counter()
    django_setup(args.pg_db, Path(args.index_dir))
    import numpy as np
    from django.db.models.expressions import RawSQL

    from claims.models import Claim
    from claims.nlp.matching import embedding_from_bytes
    from claims.services.matching import claims_find_candidates, shared_index
    from claims.services.matching.fts import LEXEMES_SQL

    ids = json.loads(Path(args.query_ids).read_text())
    fields = ["id", "article_id", "text", "standalone", "language", "embedding", "embedding_en"]
    claims = {
        c.pk: c
        for c in Claim.objects.filter(pk__in=ids)
        .only(*fields)
        .annotate(lexemes=RawSQL(LEXEMES_SQL, []))  # noqa: S611 (constant), as the app reads them
    }
    # What opening the shared index costs this process (usearch's own structures for the
    # generation; its file pages are excluded): the part of a worker that could grow with the
    # number of stored claims.
    index_dir = str(Path(args.index_dir).resolve())
    before_open = memory(index_dir)["private_own"]
    shared_index()
    index_open = memory(index_dir)["private_own"] - before_open
    times, cpu, first = [], [], None
    ann, top = [], []
    profiler = None
    for n, pk in enumerate(ids):
        claim = claims[pk]
        if n == WARMUP and args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        # CPU clock outside the wall-clock interval: reading it costs up to milliseconds on
        # the loaded cores, and it is not the search's time.
        c = time.process_time()
        t = time.perf_counter()
        (found,) = claims_find_candidates(claims=[claim], top=5)
        elapsed = time.perf_counter() - t
        if n >= WARMUP:
            cpu.append((time.process_time() - c) * 1000)
            top.append([[m.id, m.score] for m in found])
        if first is None:
            first = time.perf_counter() - started
        if n >= WARMUP:
            times.append(elapsed * 1000)
        index = shared_index()
        ann.append(
            index.search(
                "multilingual", embedding_from_bytes(bytes(claim.embedding))[None, :], 10
            ).tolist()
        )
    if profiler is not None:
        profiler.disable()
        Path(args.profile).parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(args.profile)
    result = {
        "p50": pct(times, 0.5), "p95": pct(times, 0.95), "startup_s": first,
        "cpu_p50": pct(cpu, 0.5), "cpu_p95": pct(cpu, 0.95),
        "memory": memory(index_dir), "index_open_mib": index_open, "ann": ann[WARMUP:],
        "times": times, "cpu": cpu, "top": top,
    }  # fmt: skip
    del np
    print(json.dumps(result))


def run_worker(args, query_ids: list[int], *, code_root: Path = ROOT, profile: str = "") -> dict:
    path = Path(args.index_dir) / "queries.json"
    path.write_text(json.dumps(query_ids))
    extra = ["--code-root", str(code_root)] + (["--profile", profile] if profile else [])
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--worker", "--pg-db", args.pg_db, "--index-dir",
         args.index_dir, "--query-ids", str(path), *extra],
        check=True, capture_output=True, text=True, cwd=code_root,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_workers(args, query_ids: list[int], size: int) -> dict[str, dict]:
    """The worker with this checkout's code and, with `--compare`, the other's, alternating
    (`--rounds` each); latencies pooled per code, the rest from its first round."""
    roots = {"this": ROOT}
    if args.compare:
        roots = {"compared": Path(args.compare).resolve(), "this": ROOT}
    runs: dict[str, list[dict]] = {name: [] for name in roots}
    for round_ in range(args.rounds if args.compare else 1):
        for name, root in roots.items():
            profile = ""
            if args.profile and round_ == 0:
                profile = str(Path(args.profile) / f"{size}-{name}.prof")
            runs[name].append(run_worker(args, query_ids, code_root=root, profile=profile))
    results = {}
    for name, done in runs.items():
        times = [t for r in done for t in r["times"]]
        cpu = [t for r in done for t in r["cpu"]]
        results[name] = {
            **done[0], "p50": pct(times, 0.5), "p95": pct(times, 0.95),
            "cpu_p50": pct(cpu, 0.5), "cpu_p95": pct(cpu, 0.95), "runs": len(done),
        }  # fmt: skip
    return results


def top_differences(a: list, b: list) -> int:
    """Queries whose top 5 differ (ids, or a score by more than 1e-4)."""
    return sum(
        len(x) != len(y)
        or any(i != j or abs(s - t) > 1e-4 for (i, s), (j, t) in zip(x, y, strict=True))
        for x, y in zip(a, b, strict=True)
    )


def _summary(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("ann", "times", "cpu", "top")}
