"""End-to-end ingestion benchmark: local pages -> Redis -> a real Celery worker -> PostgreSQL.

    python bench/bench_ingest.py [--pages 300] [--concurrency 1]

Serves N distinct article pages from a local HTTP server, submits them all, and waits until every
article is done. Reports articles/minute, p50/p95 latency from submit to claims stored, and the
worker's RSS. In the same run it measures the bare cost of the work the pipeline cannot avoid —
trafilatura extraction and the claim NLP on the same pages, in-process — and prints the pipeline's
overhead beyond it (target < 30%). Needs PostgreSQL and Redis on 127.0.0.1 (a database
`claimtracker_bench_ingest` is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "claimtracker_bench_ingest"
PG = "postgres://postgres@127.0.0.1:5432"
BROKER = "redis://127.0.0.1:6379/14"
ENV = {
    "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
    "DATABASE_URL": f"{PG}/{DB}",
    "CELERY_BROKER_URL": BROKER,
    "CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
os.environ.update(ENV)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def pages(n: int) -> list[bytes]:
    """N distinct pages: the test articles with a distinct paragraph each (no content dedupe)."""
    templates = [
        (ROOT / "tests/pages/article_de.html").read_text(),
        (ROOT / "tests/pages/article_en.html").read_text(),
    ]
    out = []
    for i in range(n):
        html = templates[i % 2]
        extra = (
            f"<p>Die Stadt meldete im Jahr {1990 + i % 30} genau {i * 37} neue Fälle.</p>"
            if i % 2 == 0
            else f"<p>The agency reported {i * 37} new cases in {1990 + i % 30}.</p>"
        )
        out.append(html.replace("</article>", extra + "</article>", 1).encode())
    return out


def rss_kib(pid: int) -> int:
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the worker and its pool processes (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, IndexError):
            pass
    return total / ticks


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()

    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from claims.ingest.extract import extract_html
    from claims.models import Article
    from claims.nlp import extract_claims
    from claims.services.ingestion import article_submit
    from tests.ingest.server import LocalServer

    bodies = pages(args.pages)

    def run(label: str, *, matching: bool) -> dict:
        """Submit every page once and wait until all are done; a fresh worker per run."""
        Article.objects.all().delete()
        env = {**os.environ, "CLAIMTRACKER_MATCHING_ENABLED": "true" if matching else "false"}
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "claimtracker", "worker", "-Q",
             "fetch,nlp,default", "--concurrency", str(args.concurrency),
             "-l", os.environ.get("BENCH_LOG", "ERROR"),
             "--without-gossip", "--without-mingle", "-n", f"bench-{label}@%h"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            with LocalServer() as server:
                urls = [server.add(f"/a/{i}", body=b) for i, b in enumerate(bodies)]
                # Warm the worker outside the measurement: models load lazily on first use, so
                # one page per language (the baseline below is warmed in both languages too).
                warm = [
                    article_submit(source=Article.Source.URL, url=server.add(f"/warm/{i}", body=b))
                    for i, b in enumerate(bodies[:2])
                ]
                while Article.objects.filter(
                    pk__in=[a.pk for a in warm], status__in=["done", "failed"]
                ).count() < len(warm):
                    time.sleep(0.2)
                rss_before = rss_kib(worker.pid)
                cpu_before = cpu_seconds(worker.pid)
                start = time.perf_counter()
                ids = [article_submit(source=Article.Source.URL, url=u).pk for u in urls]
                peak = 0
                finished = Article.objects.filter(pk__in=ids, status__in=["done", "failed"])
                while finished.count() < len(ids):
                    peak = max(peak, rss_kib(worker.pid))
                    time.sleep(0.25)
                wall = time.perf_counter() - start
                cpu = cpu_seconds(worker.pid) - cpu_before
        finally:
            # Warm shutdown: a matching task still running finishes first.
            os.killpg(worker.pid, 15)
            worker.wait(timeout=120)
        rows = Article.objects.filter(pk__in=ids)
        return {
            "urls": urls,
            "wall": wall,
            "cpu": cpu,
            "failed": rows.filter(status="failed").count(),
            "latencies": [(a.processed_at - a.created_at).total_seconds() for a in rows],
            "rss_before": rss_before,
            "peak": peak,
        }

    load_before = os.getloadavg()[0]
    runs = [run("ingestion", matching=False), run("with-matching", matching=True)]
    urls = runs[0]["urls"]

    # Baseline: the unavoidable work on the same pages, in this process.
    extract_claims("Warm-up.", lang="de")
    extract_claims("Warm-up.", lang="en")
    t0, c0 = time.perf_counter(), time.process_time()
    docs = [extract_html(b, url=u) for b, u in zip(bodies, urls, strict=True)]
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        extract_claims(d.text, lang=d.language)
    t_nlp = time.perf_counter() - t0
    bare = (t_extract + t_nlp) / args.concurrency
    bare_cpu = time.process_time() - c0

    lines = [
        f"Ingestion benchmark: {args.pages} pages, worker concurrency {args.concurrency}, "
        f"{os.cpu_count()} cores, load average before: {load_before:.1f}",
        "",
        "| measure | ingestion (matching off) | with claim matching |",
        "|---|---|---|",
    ]

    def row(name: str, fmt) -> None:
        lines.append(f"| {name} | " + " | ".join(fmt(r) for r in runs) + " |")

    row("articles done / failed", lambda r: f"{args.pages - r['failed']} / {r['failed']}")
    row("wall time, submit to last claims stored", lambda r: f"{r['wall']:.1f} s")
    row("throughput", lambda r: f"{args.pages / r['wall'] * 60:.0f} articles/min")
    row(
        "latency submit -> claims stored p50 / p95",
        lambda r: f"{pct(r['latencies'], 0.5):.2f} s / {pct(r['latencies'], 0.95):.2f} s",
    )
    row(
        "worker RSS after warm-up / peak",
        lambda r: f"{r['rss_before'] / 1024:.0f} MB / {r['peak'] / 1024:.0f} MB",
    )
    row("pipeline wall / (extraction + NLP)", lambda r: f"{r['wall'] / bare:.2f}x")
    row(
        "overhead beyond extraction and NLP, wall", lambda r: f"{(r['wall'] / bare - 1) * 100:.0f}%"
    )
    row("worker CPU time (all processes)", lambda r: f"{r['cpu']:.1f} s")
    row(
        "overhead beyond extraction and NLP, CPU",
        lambda r: f"{(r['cpu'] / bare_cpu - 1) * 100:.0f}%",
    )
    lines += [
        "",
        f"Baseline in the same run, in-process on the same pages: trafilatura extraction "
        f"{t_extract:.1f} s ({args.pages / t_extract:.0f} pages/s), claim NLP {t_nlp:.1f} s; "
        f"{bare_cpu:.1f} CPU-s together. The wall ratio includes this harness (HTTP server, "
        "submissions, polling) and PostgreSQL competing for the 2 cores; the CPU ratio counts "
        "the worker's own processes only. "
        "Target: ingestion overhead beyond extraction and NLP < 30%. Claim matching is the "
        "extra work of issue 6 (embedding check-worthy claims, searching the index); "
        "bench/bench_matching_db.py measures it on its own.",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results" / "ingest.md"
    out.write_text("\n".join(lines) + "\n")
    django.db.connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
