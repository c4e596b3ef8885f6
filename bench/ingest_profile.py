"""The in-process profile of bench/bench_ingest.py: the pipeline's tasks one after the other,
with a timer on each stage (this process's CPU, PostgreSQL's CPU for this connection, wall time,
SQL statements)."""

from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from ingest_pages import worst_pages


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (from /proc; 0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError):
        return 0.0


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
        (
            candidates,
            "lexical_candidates_postgres_many",
            "full-text query (all claims of the article)",
        ),
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
