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
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG = "postgres://postgres@127.0.0.1:5432"
SHARED = Path(os.environ.get("CLAIMTRACKER_SHARED", "/work/shared"))
RESULTS = ROOT / "bench" / "results" / "ingest.md"
SEED_URL = "https://bench.example/"  # the pre-filled store's articles (bench_vector_index.seed)


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


# --- pages ------------------------------------------------------------------------------------


def worst_pages(n: int) -> list[bytes]:
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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„])")


def news_articles() -> dict[str, list[tuple[str, list[str]]]]:
    """(title, paragraphs) of real news articles per language, from the shared news pages."""
    from claims.ingest.extract import extract_html

    german = []
    with (SHARED / "news-pages/de-text/10kgnad-test.csv").open(encoding="utf-8") as fh:
        for line in fh:
            text = line.partition(";")[2].strip().strip("'")
            sentences = _SENTENCE_END.split(text)
            if len(sentences) < 6:
                continue
            paragraphs = [" ".join(sentences[i : i + 3]) for i in range(1, len(sentences), 3)]
            german.append((sentences[0], paragraphs))
    english = []
    for path in sorted((SHARED / "news-pages/en").glob("en-*.html")):
        doc = extract_html(path.read_bytes(), url="https://news.example/" + path.stem)
        paragraphs = [p for p in doc.text.split("\n") if len(p.split()) >= 6]
        if doc.language == "en" and sum(map(len, paragraphs)) >= 1000:
            english.append((doc.title or paragraphs[0][:80], paragraphs))
    return {"de": german, "en": english}


def article_parts(articles: list[tuple[str, list[str]]], chars: int) -> list[tuple[str, list[str]]]:
    """Each article cut to about `chars` characters of text; a long one gives a second part
    from where the first stops (a different text: the English pool has ~150 articles only)."""
    first, second = [], []
    for title, paragraphs in articles:
        parts: list[list[str]] = [[]]
        size = 0
        for p in paragraphs:
            if size >= chars:
                if len(parts) == 2:
                    break
                parts.append([])
                size = 0
            parts[-1].append(p)
            size += len(p)
        first.append((title, parts[0]))
        if len(parts) == 2 and sum(map(len, parts[1])) >= chars // 2:
            second.append((title, parts[1]))
    return first + second


def page_html(i: int, lang: str, title: str, paragraphs: list[str]) -> bytes:
    from html import escape

    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<meta property="article:published_time" content="{day}"></head>'
        f"<body><header><nav><a href='/'>Home</a></nav></header><main><article>"
        f"<h1>{escape(title)}</h1>\n{body}\n</article></main></body></html>"
    ).encode()


def reword(text: str, lang: str) -> str:
    """A repeat in other words: a word in the middle dropped, an attribution added."""
    words = text.rstrip(".").split()
    if len(words) > 8:
        del words[len(words) // 2]
    return " ".join(words) + (", hieß es." if lang == "de" else ", officials said.")


def realistic_pages(n: int, *, rate: float, chars: int, rng: random.Random):
    """N different real articles, alternating German and English, `rate` of their check-worthy
    claims repeated from earlier pages of the same language (half verbatim, half reworded).

    The repeats are chosen among the claims the pipeline itself finds check-worthy (a pre-pass
    of the claim NLP over the pages), and inserted as a paragraph of their own at a random place.
    """
    from claims.nlp import extract_claims

    pool = {lang: article_parts(articles, chars) for lang, articles in news_articles().items()}
    per_lang = {"de": 0, "en": 0}
    base = []
    for i in range(n):
        lang = "de" if i % 2 == 0 else "en"
        title, paragraphs = pool[lang][per_lang[lang] % len(pool[lang])]
        if per_lang[lang] >= len(pool[lang]):
            print(f"warning: only {len(pool[lang])} {lang} texts; page {i} repeats one")
        per_lang[lang] += 1
        base.append((lang, title, paragraphs))
    t0 = time.perf_counter()
    checkworthy = []
    for lang, title, paragraphs in base:
        found = extract_claims("\n\n".join(paragraphs), lang=lang, title=title)
        checkworthy.append([c.text for c in found if c.checkworthy and c.candidate])
    prepass = time.perf_counter() - t0
    earlier: dict[str, list[str]] = {"de": [], "en": []}
    bodies, inserted, verbatim = [], 0, 0
    for i, ((lang, title, paragraphs), claims) in enumerate(zip(base, checkworthy, strict=True)):
        paragraphs = list(paragraphs)
        for _claim in claims:
            if earlier[lang] and rng.random() < rate:
                repeat = rng.choice(earlier[lang])
                if rng.random() < 0.5:
                    verbatim += 1
                else:
                    repeat = reword(repeat, lang)
                paragraphs.insert(rng.randint(1, len(paragraphs)), repeat)
                inserted += 1
        earlier[lang].extend(claims)
        bodies.append(page_html(i, lang, title, paragraphs))
    info = {
        "pool_de": len(pool["de"]),
        "pool_en": len(pool["en"]),
        "checkworthy_base": sum(map(len, checkworthy)),
        "inserted": inserted,
        "verbatim": verbatim,
        "prepass_s": prepass,
        "chars": sum(len(b) for b in bodies) / max(1, len(bodies)),
    }
    return bodies, info


def seed_store(count: int) -> dict:
    """`count` stored, check-worthy claims (5 per article) with random unit vectors and real
    claim sentences, written with COPY, then the shared vector index built over them."""
    from bench_matching_db import claim_texts
    from bench_vector_index import seed

    from claims.services.matching import vector_index_update

    t0 = time.perf_counter()
    texts, source = claim_texts(max(count, 1), random.Random(13))
    seed(0, count, texts, {}, random.Random(13))
    seeded = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    generation = vector_index_update(wait=True)
    return {
        "claims": count,
        "source": source,
        "seed_s": seeded,
        "index_s": time.perf_counter() - t0,
        "index_cpu_s": time.process_time() - c0,
        "high_water": generation.high_water if generation else 0,
    }


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


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (from /proc; 0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError):
        return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the worker and its pool processes."""
    return sum(proc_cpu(p) for p in [pid, *children(pid)])


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


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


# --- the profile of matching, stage by stage --------------------------------------------------


class StageProfile:
    """Nested timers around named functions: per stage (a path of names) the calls, this
    process's CPU, PostgreSQL's CPU for this connection, wall time and SQL statements."""

    def __init__(self):
        self.stack: list[str] = []
        self.order: list[tuple[str, ...]] = []
        self.stats: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        self.sql: dict[tuple[str, ...], int] = defaultdict(int)

    @staticmethod
    def db_cpu() -> float:
        from django.db import connection

        if connection.connection is None:
            return 0.0
        return proc_cpu(connection.connection.info.backend_pid)

    @contextmanager
    def stage(self, name: str):
        self.stack.append(name)
        path = tuple(self.stack)
        if path not in self.stats:
            self.order.append(path)
        c, d, w = time.process_time(), self.db_cpu(), time.perf_counter()
        try:
            yield
        finally:
            s = self.stats[path]
            s[0] += 1
            s[1] += time.process_time() - c
            s[2] += self.db_cpu() - d
            s[3] += time.perf_counter() - w
            self.stack.pop()

    def wrap(self, owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            with self.stage(name):
                return original(*args, **kwargs)

        setattr(owner, attr, timed)

    def count_sql(self, execute, sql, params, many, context):
        self.sql[tuple(self.stack)] += 1
        return execute(sql, params, many, context)

    def reset(self) -> None:
        self.order.clear()
        self.stats.clear()
        self.sql.clear()

    def rows(self, articles: int) -> list[dict]:
        out = []
        for path in self.order:
            calls, cpu, db, wall, _ = self.stats[path]
            sql = sum(n for p, n in self.sql.items() if p[: len(path)] == path)
            out.append({
                "path": list(path), "calls": calls / articles, "cpu_ms": cpu / articles * 1e3,
                "db_ms": db / articles * 1e3, "wall_ms": wall / articles * 1e3,
                "sql": sql / articles,
            })  # fmt: skip
        return out


def install_profile() -> StageProfile:
    from claims.nlp.matching import ClaimIndex
    from claims.nlp.matching.shared import SharedVectorIndex
    from claims.services import alerts, claim_extraction, ingestion, pipeline
    from claims.services import matching as matching_pkg
    from claims.services.factchecks import matching as factchecks
    from claims.services.matching import candidates, embeddings, groups

    prof = StageProfile()
    import claims.nlp

    claims.nlp.extract_claims = claims.nlp.extract_claims  # resolve the lazy export first
    for owner, attr, name in [
        (ingestion, "article_fetch", "article_fetch: download, trafilatura"),
        (claim_extraction, "article_extract_claims", "article_extract_claims"),
        (claims.nlp, "extract_claims", "claim NLP (spaCy, check-worthiness)"),
        (matching_pkg, "claims_embed_new", "vectors for matching (before the transaction)"),
        (embeddings, "claim_embeddings", "multilingual encoder"),
        (embeddings, "english_claim_embeddings", "English encoder"),
        (pipeline, "article_match", "article_match"),
        (matching_pkg, "article_claims_match", "our claims: article_claims_match"),
        (groups, "claims_embed_unsaved", "vectors still missing"),
        (groups, "claims_find_candidates", "candidate search + scoring"),
        (SharedVectorIndex, "search", "HNSW search (shared index)"),
        (candidates, "_nearest_recent", "exact scan of claims newer than the index"),
        (candidates, "lexical_candidates_postgres", "full-text query"),
        (candidates, "_candidate_rows", "candidate rows read back"),
        (candidates, "_semantic_top", "exact re-rank of the candidates"),
        (ClaimIndex, "add", "core: index of the candidates"),
        (ClaimIndex, "search", "core: signals and blend"),
        (groups, "_claims_match", "group and match writes (per matched claim)"),
        (groups, "claims_embeddings_store", "vectors stored"),
        (factchecks, "article_factchecks_match", "known fact-checks"),
        (alerts, "article_alerts_evaluate", "article_alerts_evaluate"),
    ]:
        prof.wrap(owner, attr, name)
    return prof


def profile_matching(bodies: list[bytes]) -> dict:
    """The pages through the pipeline's tasks in this process (matching on), one task after the
    other as a worker runs them, with a timer on every stage: where an article's time goes."""
    from django.conf import settings
    from django.db import connection, transaction

    from claims.models import Article
    from claims.services import alerts, pipeline
    from claims.services.ingestion import article_submit
    from claimtracker.celery import app
    from tests.ingest.server import LocalServer

    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    app.conf.task_always_eager = True  # no broker, no ledger: the tasks run here
    prof = install_profile()
    queue: list = []

    def enqueue(task, *args):
        # Queued after the commit and run by the loop below, as a worker would, instead of
        # inside the committing task (eager dispatch would nest every stage in the previous).
        transaction.on_commit(lambda: queue.append((task, args)))

    pipeline.enqueue_on_commit = alerts.enqueue_on_commit = enqueue

    def ingest(server, path: str, body: bytes) -> int:
        article = article_submit(source=Article.Source.URL, url=server.add(path, body=body))
        while queue:
            task, task_args = queue.pop(0)
            with prof.stage("task " + task.name.rsplit(".", 1)[-1]):
                task.apply(args=task_args, throw=True)
        return article.pk

    with LocalServer() as server, connection.execute_wrapper(prof.count_sql):
        for i, body in enumerate(worst_pages(2)):  # models and code paths warm
            ingest(server, f"/pw/{i}", body)
        prof.reset()
        t0, c0, d0 = time.perf_counter(), time.process_time(), prof.db_cpu()
        ids = [ingest(server, f"/p/{i}", body) for i, body in enumerate(bodies)]
        wall, cpu, db = time.perf_counter() - t0, time.process_time() - c0, prof.db_cpu() - d0
    rows = Article.objects.filter(pk__in=ids)
    return {
        "articles": len(ids),
        "matched": rows.exclude(matched_at=None).count(),
        "wall": wall,
        "cpu": cpu,
        "db": db,
        "stages": prof.rows(len(ids)),
    }


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


# --- the report -------------------------------------------------------------------------------


def mode_table(r: dict, concurrency: int) -> list[str]:
    off, on = r["runs"]
    n, bare = r["pages"], r["bare"]
    bare_wall = (bare["extract"] + bare["nlp"]) / concurrency
    lines = [
        "| measure | matching off | matching on |",
        "|---|---|---|",
    ]

    def row(name: str, fmt) -> None:
        lines.append(f"| {name} | {fmt(off)} | {fmt(on)} |")

    row("articles done / failed", lambda x: f"{n - x['failed']} / {x['failed']}")
    row(
        "check-worthy claims stored (per article)",
        lambda x: f"{x['checkworthy']} ({x['checkworthy'] / n:.1f})",
    )
    row(
        "of them in a group / matches confirmed, suggested",
        lambda x: (
            f"{x['grouped']} ({x['grouped'] / max(1, x['checkworthy']):.1%}) / "
            f"{x['confirmed']}, {x['suggested']}"
        ),
    )
    row("wall time, submit to last article finished", lambda x: f"{x['wall']:.1f} s")
    row("**throughput**", lambda x: f"**{n / x['wall'] * 60:.0f} articles/min**")
    row("worker CPU time (all processes)", lambda x: f"{x['cpu']:.1f} s")
    row("worker CPU per article", lambda x: f"{x['cpu'] / n * 1e3:.0f} ms")
    row(
        "latency submit -> claims stored p50 / p95",
        lambda x: f"{pct(x['latencies'], 0.5):.1f} s / {pct(x['latencies'], 0.95):.1f} s",
    )
    lines.append(
        "| latency submit -> matched p50 / p95 | – | "
        f"{pct(on['latencies_matched'] or [0], 0.5):.1f} s / "
        f"{pct(on['latencies_matched'] or [0], 0.95):.1f} s |"
    )
    row(
        "worker RSS after warm-up / peak",
        lambda x: f"{x['rss_before'] / 1024:.0f} MB / {x['peak'] / 1024:.0f} MB",
    )
    row(
        "load average during the run (min–max)",
        lambda x: f"{min(x['load']):.1f}–{max(x['load']):.1f}",
    )
    row("pipeline wall / (extraction + NLP)", lambda x: f"{x['wall'] / bare_wall:.2f}x")
    row(
        "worker CPU beyond extraction and NLP",
        lambda x: f"{(x['cpu'] / bare['cpu'] - 1) * 100:.0f}%",
    )
    lines += task_rows(off, on)
    lines += [
        "",
        f"**Matching on / off: {off['wall'] / on['wall']:.0%} of the throughput by wall clock, "
        f"{off['cpu'] / on['cpu']:.0%} by worker CPU** (articles per worker CPU-second; the "
        "issue's target is ≥ 60%). Baseline in the same run, in-process on the same pages: "
        f"trafilatura {bare['extract']:.1f} s, claim NLP {bare['nlp']:.1f} s, "
        f"{bare['cpu']:.1f} CPU-s together.",
    ]
    return lines


def task_rows(off: dict, on: dict) -> list[str]:
    """Worker CPU per article by task (the pool process, from the probe) and outside tasks."""
    if not (off.get("tasks") and on.get("tasks")):
        return []
    lines = []
    names = list(dict.fromkeys([*off["tasks"], *on["tasks"]]))

    def cell(run: dict, name: str) -> str:
        count, cpu, _wall = run["tasks"].get(name, (0, 0.0, 0.0))
        return f"{cpu / run['articles'] * 1e3:.0f} ms ({count})" if count else "–"

    for name in names:
        lines.append(
            f"| worker CPU per article in {name} (tasks run) | {cell(off, name)} | "
            f"{cell(on, name)} |"
        )

    def outside(run: dict) -> str:
        inside = sum(cpu for _count, cpu, _wall in run["tasks"].values())
        return f"{(run['cpu'] - inside) / run['articles'] * 1e3:.0f} ms"

    lines.append(
        "| worker CPU per article outside tasks (Celery, both processes) | "
        f"{outside(off)} | {outside(on)} |"
    )
    return lines


def profile_table(p: dict, on_run: dict) -> list[str]:
    n = p["articles"]
    lines = [
        f"{n} further realistic pages (not part of the runs above; same repeat rate) through the "
        "same tasks in the benchmark's process, one after the other, matching on, after the runs "
        f"above (so the store holds the pre-filled claims and the runs' pages; {p['matched']} "
        "of them matched). Per article: calls, this process's CPU, PostgreSQL's CPU for this "
        "connection (its backend process), wall time, SQL statements; indented stages are "
        "part of the one above.",
        "",
        "| stage | calls | CPU ms | PostgreSQL CPU ms | wall ms | SQL |",
        "|---|---|---|---|---|---|",
    ]
    for s in p["stages"]:
        indent = "&nbsp;&nbsp;" * (len(s["path"]) - 1)
        lines.append(
            f"| {indent}{s['path'][-1]} | {s['calls']:.2f} | {s['cpu_ms']:.1f} | "
            f"{s['db_ms']:.1f} | {s['wall_ms']:.1f} | {s['sql']:.1f} |"
        )
    worker_ms = on_run["cpu"] / on_run["articles"] * 1e3
    lines += [
        "",
        f"Whole article in-process: {p['cpu'] / n * 1e3:.0f} ms CPU, {p['db'] / n * 1e3:.0f} ms "
        f"PostgreSQL CPU, {p['wall'] / n * 1e3:.0f} ms wall. The real worker of the "
        f"matching-on run spent {worker_ms:.0f} ms CPU per article: the difference is Celery "
        "(messages, acks, the dispatch ledger in Redis) and the worker's other threads, minus "
        "this profile's own timers.",
    ]
    return lines


def report(results: list[dict], args) -> str:
    lines = [
        f"# Ingestion benchmark\n\n`python bench/bench_ingest.py --mode {args.mode} --pages "
        f"{args.pages} --concurrency {args.concurrency} --repeat-rate {args.repeat_rate} "
        f"--store {args.store}`: {args.pages} pages per run, one worker process "
        f"(concurrency {args.concurrency}), {os.cpu_count()} cores shared with other jobs.",
        "",
        "| mode | matching off | matching on | on/off wall | on/off worker CPU | load average |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        off, on = r["runs"]
        loads = off["load"] + on["load"]
        lines.append(
            f"| {r['mode']} | {r['pages'] / off['wall'] * 60:.0f} articles/min | "
            f"{r['pages'] / on['wall'] * 60:.0f} articles/min | {off['wall'] / on['wall']:.0%} | "
            f"{off['cpu'] / on['cpu']:.0%} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    for r in results:
        lines += ["", f"## {r['mode'].capitalize()} case", ""]
        if r["mode"] == "worst":
            lines += [
                "Every page repeats the claims of every earlier page of its language (two "
                "templates, one distinct sentence each), so every check-worthy claim joins a "
                "group: the worst case for matching's writes. The store starts empty.",
                "",
            ]
        else:
            info, store = r["pages_info"], r["store"]
            lines += [
                f"Real, different articles (10kGNAD German texts and the article-extraction "
                f"benchmark's English pages, alternating, cut to ~{args.page_chars} characters "
                f"of text, a long English article giving a second page from where the first "
                f"stops: {info['pool_en']} English texts for {(args.pages + 1) // 2} English "
                f"pages; {info['chars'] / 1024:.1f} KiB of HTML a page on average). A "
                f"pre-pass of the claim NLP found {info['checkworthy_base']} check-worthy claims "
                f"in the pages before repeats; {info['inserted']} repeats of an earlier page's "
                f"check-worthy claim were inserted (rate {args.repeat_rate:.0%}, "
                f"{info['verbatim']} verbatim, the rest reworded) into these pages and the "
                f"profile's. Pre-filled store: {store['claims']:,} check-worthy claims "
                f"({store['source']}; random unit vectors) seeded with COPY in "
                f"{store['seed_s']:.0f} s, the shared vector index built over them in "
                f"{store['index_s']:.0f} s ({store['index_cpu_s']:.0f} CPU-s) before the "
                "workers start. "
                + (
                    f"During the matching run the benchmark sends the index's update task every "
                    f"{r['index_interval']:.0f} s, as beat does (`--index-interval`), to the same "
                    "worker (it serves the default queue too, so its CPU is in the worker's); "
                    "claims stored since the last update are found by the exact scan of claims "
                    "newer than the index."
                    if r.get("index_interval")
                    else "No index update runs during the runs (`--index-interval 0`): every "
                    "claim stored during a run is found by the exact scan of claims newer than "
                    "the index, which grows with the run."
                ),
                "",
            ]
        lines += mode_table(r, args.concurrency)
        if r.get("profile"):
            lines += ["", "### Where matching's time goes (realistic, per article)", ""]
            lines += profile_table(r["profile"], r["runs"][1])
    return "\n".join(lines) + "\n"


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
