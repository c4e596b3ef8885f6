"""End-to-end ingestion benchmark: local pages -> Redis -> a real Celery worker -> PostgreSQL.

    python bench/bench_ingest.py [--mode both|worst|realistic] [--pages 300] [--concurrency 1]
        [--repeat-rate 0.04] [--store 20000] [--index-interval 120] [--profile-articles 40]
        [--pg-db claimtracker_bench_ingest] [--redis-db 14]

Two modes, each in its own child process and its own database (created and dropped), each
measuring claim matching off and on in the same run, with a fresh worker per measurement:

* **worst** (unchanged since the first version): N pages made from the two test articles with
  one distinct paragraph each, so every page repeats the claims of every earlier page of its
  language and every check-worthy claim joins a group; the store starts empty.
* **realistic**: N real, different articles (the shared news pages: German texts of 10kGNAD,
  English pages of the article-extraction benchmark, alternating, each cut to about
  `--page-chars` of text) into which `--repeat-rate` of the check-worthy claims are repeats of
  a check-worthy claim of an earlier page of the same language (half verbatim, half reworded:
  a word dropped, an attribution added), found by a pre-pass of the claim NLP over the pages;
  the store is pre-filled with `--store` claims (real claim sentences of the shared datasets,
  random unit vectors, seeded with COPY) and the shared vector index is built over them before
  the worker starts, so matching searches a non-empty index as on a running desk; during the
  matching run the index's update task is sent every `--index-interval` seconds (120, beat's
  default; 0: never) to the same worker, which serves the default queue too. After the two
  worker runs, `--profile-articles` more such pages go through the same services in this
  process (one task after the other, as a worker runs them) with a timer on each stage: this
  process's CPU, PostgreSQL's CPU for this connection (its backend process in /proc), wall time
  and SQL statements per stage. A probe in the worker (`--include bench_ingest`) reports the
  worker's CPU per task, and what Celery spends outside the task bodies.

Reports articles/minute, the ratio matching on / off (wall and worker CPU), p50/p95 latency from
submit to claims stored (every page is submitted at once, so latency is mostly queueing), worker
CPU and RSS, and the bare cost of the work the pipeline cannot avoid (trafilatura and the claim
NLP on the same pages, in-process). Needs PostgreSQL and Redis on 127.0.0.1; the shared files
are read from CLAIMTRACKER_SHARED / CLAIMTRACKER_DATASETS and never written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG = "postgres://postgres@127.0.0.1:5432"
RESULTS = ROOT / "bench" / "results" / "ingest.md"
SEED_URL = "https://bench.example/"  # the pre-filled store's articles (bench_vector_index.seed)

# The benchmark's parts, by concept (bench/ is on the path above).
from ingest_pages import realistic_pages, seed_store, worst_pages  # noqa: E402
from ingest_profile import proc_cpu, profile_matching  # noqa: E402
from ingest_report import report  # noqa: E402

PROBE_ENV = "BENCH_INGEST_PROBE"


def _install_probe(path: str) -> None:
    """In the worker (`celery worker --include bench_ingest`): each task's CPU time in its
    pool process and wall time, one JSON line per task appended to `path`."""
    from celery.signals import task_postrun, task_prerun

    started: dict[str, tuple[float, float]] = {}

    @task_prerun.connect(weak=False)
    def _pre(task_id=None, **_kwargs) -> None:
        started[task_id] = (time.process_time(), time.perf_counter())

    @task_postrun.connect(weak=False)
    def _post(task_id=None, task=None, **_kwargs) -> None:
        cpu, wall = started.pop(task_id, (None, None))
        if cpu is None:
            return
        line = [task.name.rsplit(".", 1)[-1], time.process_time() - cpu, time.perf_counter() - wall]
        with open(path, "a") as fh:
            fh.write(json.dumps(line) + "\n")


if os.environ.get(PROBE_ENV):
    _install_probe(os.environ[PROBE_ENV])


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def setup_env(args) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
        "DATABASE_URL": f"{PG}/{args.pg_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    })  # fmt: skip


# --- measuring the worker ---------------------------------------------------------------------


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


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
    """User + system CPU time of the worker and its pool processes."""
    return sum(proc_cpu(p) for p in [pid, *children(pid)])


def run_worker(
    label: str, bodies: list[bytes], *, matching: bool, concurrency: int, index_interval: float = 0
) -> dict:
    """Submit every page once and wait until all are done; a fresh worker per run.

    `index_interval`: with matching on, send the shared index's update task every that many
    seconds, as beat does (`update-vector-index`, on the default queue, which this worker also
    serves: its CPU counts in the worker's).
    """
    from django.db.models import Count, Q

    from claims.models import Article, Claim, ClaimGroup, ClaimMatch
    from claims.services.ingestion import article_submit
    from claims.tasks import vector_index_update_task
    from tests.ingest.server import LocalServer

    # The pages of an earlier run go (the pre-filled store stays): every run starts alike.
    Article.objects.exclude(url__startswith=SEED_URL).delete()
    ClaimGroup.objects.all().delete()
    handle, name = tempfile.mkstemp(prefix="bench-ingest-tasks-", suffix=".jsonl")
    os.close(handle)
    probe = Path(name)
    env = {
        **os.environ,
        "CLAIMTRACKER_MATCHING_ENABLED": "true" if matching else "false",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        PROBE_ENV: str(probe),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "claimtracker", "worker", "-Q",
         "fetch,nlp,default", "--concurrency", str(concurrency), "--include", "bench_ingest",
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
                for i, b in enumerate(worst_pages(2))
            ]
            while Article.objects.filter(
                pk__in=[a.pk for a in warm], status__in=["done", "failed"]
            ).count() < len(warm) or (
                matching
                and Article.objects.filter(pk__in=[a.pk for a in warm], matched_at=None).exists()
            ):
                time.sleep(0.2)
            probe.write_text("")  # the warm-up's tasks are not counted
            rss_before = rss_kib(worker.pid)
            cpu_before = cpu_seconds(worker.pid)
            load = [os.getloadavg()[0]]
            start = time.perf_counter()
            ids = [article_submit(source=Article.Source.URL, url=u).pk for u in urls]
            peak = 0
            finished = Article.objects.filter(pk__in=ids, status__in=["done", "failed"])
            # With matching on an article is finished when it is matched (or failed).
            if matching:
                finished = finished.exclude(status="done", matched_at=None)
            last_load = last_index = time.perf_counter()
            while finished.count() < len(ids):
                peak = max(peak, rss_kib(worker.pid))
                if (
                    matching
                    and index_interval
                    and time.perf_counter() - last_index > index_interval
                ):
                    vector_index_update_task.delay()
                    last_index = time.perf_counter()
                if time.perf_counter() - last_load > 5:
                    load.append(os.getloadavg()[0])
                    last_load = time.perf_counter()
                time.sleep(0.25)
            wall = time.perf_counter() - start
            cpu = cpu_seconds(worker.pid) - cpu_before
            load.append(os.getloadavg()[0])
    finally:
        # Warm shutdown: a task still running finishes first.
        os.killpg(worker.pid, 15)
        worker.wait(timeout=300)
    tasks: dict[str, list[float]] = {}
    for line in probe.read_text().splitlines():
        name, task_cpu, task_wall = json.loads(line)
        entry = tasks.setdefault(name, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += task_cpu
        entry[2] += task_wall
    probe.unlink()
    rows = Article.objects.filter(pk__in=ids)
    claims = Claim.objects.filter(article_id__in=ids, checkworthy=True, candidate=True)
    matches = ClaimMatch.objects.filter(claim__article_id__in=ids).aggregate(
        confirmed=Count("id", filter=Q(level="confirmed")),
        suggested=Count("id", filter=Q(level="suggested")),
    )
    return {
        "label": label,
        "wall": wall,
        "cpu": cpu,
        "articles": len(ids),
        "failed": rows.filter(status="failed").count(),
        # Stored -> done for "claims stored"; with matching, done -> matched as well.
        "latencies": [(a.processed_at - a.created_at).total_seconds() for a in rows],
        "latencies_matched": [
            (a.matched_at - a.created_at).total_seconds() for a in rows if a.matched_at
        ],
        "rss_before": rss_before,
        "peak": peak,
        "load": load,
        "checkworthy": claims.count(),
        "grouped": claims.filter(group__isnull=False).count(),
        "confirmed": matches["confirmed"],
        "suggested": matches["suggested"],
        "tasks": tasks,
    }


def bare_cost(bodies: list[bytes]) -> dict:
    """The unavoidable work on the same pages, in this process: trafilatura and the claim NLP."""
    from claims.ingest.extract import extract_html
    from claims.nlp import extract_claims

    extract_claims("Warm-up.", lang="de")
    extract_claims("Warm-up.", lang="en")
    t0, c0 = time.perf_counter(), time.process_time()
    docs = [extract_html(b, url=f"http://127.0.0.1/a/{i}") for i, b in enumerate(bodies)]
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        extract_claims(d.text, lang=d.language)
    t_nlp = time.perf_counter() - t0
    return {"extract": t_extract, "nlp": t_nlp, "cpu": time.process_time() - c0}


# --- one mode (a child process) ---------------------------------------------------------------


def run_mode(args) -> dict:
    index_dir = tempfile.mkdtemp(prefix="bench-ingest-index-")
    # Every process of this run (this one, the workers) reads and writes this index only.
    os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"] = index_dir
    psql(f"DROP DATABASE IF EXISTS {args.pg_db}")
    psql(f"CREATE DATABASE {args.pg_db}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        result: dict = {"mode": args.child, "pages": args.pages, "cpus": os.cpu_count()}
        result["load_before"] = os.getloadavg()[0]
        if args.child == "worst":
            bodies = worst_pages(args.pages)
        else:
            rng = random.Random(args.seed)
            everything, result["pages_info"] = realistic_pages(
                args.pages + args.profile_articles,
                rate=args.repeat_rate,
                chars=args.page_chars,
                rng=rng,
            )
            bodies, extra = everything[: args.pages], everything[args.pages :]
            result["store"] = seed_store(args.store)
        interval = args.index_interval if args.child == "realistic" else 0
        result["index_interval"] = interval
        result["runs"] = [
            run_worker("ingestion", bodies, matching=False, concurrency=args.concurrency),
            run_worker(
                "with-matching",
                bodies,
                matching=True,
                concurrency=args.concurrency,
                index_interval=interval,
            ),
        ]
        result["bare"] = bare_cost(bodies)
        if args.child == "realistic" and args.profile_articles:
            if interval:  # as beat would have by now: the runs' claims are in the index
                from claims.services.matching import vector_index_update

                vector_index_update(wait=True)
            result["profile"] = profile_matching(extra)
        result["load_after"] = os.getloadavg()[0]
    finally:
        django.db.connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {args.pg_db}")
        shutil.rmtree(index_dir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["both", "worst", "realistic"], default="both")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--repeat-rate", type=float, default=0.04)
    parser.add_argument("--page-chars", type=int, default=3000)
    parser.add_argument("--store", type=int, default=20_000)
    parser.add_argument("--profile-articles", type=int, default=40)
    parser.add_argument("--index-interval", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--pg-db", default="claimtracker_bench_ingest")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=["worst", "realistic"], help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_env(args)
    if args.child:
        args.json.write_text(json.dumps(run_mode(args)))
        return
    modes = ["worst", "realistic"] if args.mode == "both" else [args.mode]
    results = []
    for mode in modes:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [sys.executable, __file__, *sys.argv[1:], "--child", mode, "--json", out.name],
                check=True,
            )
            results.append(json.loads(Path(out.name).read_text()))
        print(json.dumps({k: v for k, v in results[-1].items() if k != "runs"})[:3000])
    text = report(results, args)
    print(text)
    args.output.write_text(text)


if __name__ == "__main__":
    main()
