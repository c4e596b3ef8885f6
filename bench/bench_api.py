"""Benchmark of the public verdict API on PostgreSQL: one command.

    /work/venv/bin/python bench/bench_api.py [--reseed] [--http-seconds 15]

1. Creates the database ``claimtracker_bench_api`` on 127.0.0.1:5432 (trust auth), migrates it
   and seeds 1,000,000 claims, 300,000 articles and 100,000 published verdicts with set-based
   ``INSERT ... SELECT generate_series`` (skipped when already seeded, unless ``--reseed``).
2. Server time (Django's full request path, in-process: middleware, auth, throttling, filters,
   serializer, JSON rendering) of ``GET /api/v1/verdicts/`` on the first and the 10,000th page
   (page_size=10, so page 10,000 is the last), with and without filters, p50/p95, and the
   number of SQL queries per request -- with the shared cache of anonymous answers switched
   off, so every request is built from the database; then the same for answers from the cache.
3. Requests/s over HTTP under gunicorn (2 sync workers) with wrk (or a Python keep-alive loop
   if wrk is missing), with a trivial Django JSON view measured by the same server as the
   ceiling: once with the shared cache (Redis, db 11 unless BENCH_API_CACHE_URL says
   otherwise) and once with every request a cache miss. Beside req/s, the gunicorn workers'
   CPU time per request, which other jobs on the machine disturb less. Writes
   bench/results/api.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from base64 import b64encode
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "api.md"

PAGE_SIZE = 10
DEEP_PAGE = 10_000
REPEATS = 60

sys.path.insert(0, str(ROOT))

from bench.api_http import measure_http  # noqa: E402
from bench.api_seed import (  # noqa: E402
    DB_URL,
    N_ARTICLES,
    N_CLAIMS,
    N_VERDICTS,
    ensure_database,
    seed_if_needed,
)

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["DATABASE_URL"] = DB_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_settings"


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def _deep_cursor(queryset, ordering: str) -> tuple[str, int]:
    """The cursor DRF would hand out for page DEEP_PAGE (position of the row just before it),
    or for the last page when the filter leaves fewer pages; and that page's number."""
    field = ordering.lstrip("-")
    total = queryset.count()
    page = min(DEEP_PAGE, max(1, (total - 1) // PAGE_SIZE + 1))
    offset = (page - 1) * PAGE_SIZE - 1
    row = queryset.order_by(ordering, "-id" if ordering.startswith("-") else "id")[
        offset : offset + 1
    ]
    row = list(row.values_list(field, flat=True))
    query = urlencode({"p": str(row[0])})
    return b64encode(query.encode()).decode(), page


def measure_server_time() -> list[dict]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from claims.api.filters import VerdictFilter
    from claims.selectors.public import published_verdicts

    cache.clear()  # the benchmark's own Redis database
    client = Client()
    counter = iter(range(10**9))

    def get(url):
        # Many readers, as in production: each address stays within the anonymous quota.
        n = next(counter) % 20_000
        return client.get(url, HTTP_X_FORWARDED_FOR=f"10.{n % 100}.{n // 100}.7")

    uncached = override_settings(CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT=0)
    uncached.enable()
    cases = [
        ("no filter", {}),
        ("language=en & rating=Richtig", {"language": "en", "rating": "Richtig"}),
        ("rating_min=0.5 (normalised range)", {"rating_min": "0.5"}),
        ("published_since=2024-03-01", {"published_since": "2024-03-01"}),
        ("ordering=-updated_at", {"ordering": "-updated_at"}),
        ("q=Arbeitslosigkeit 1995 (full text)", {"q": "Arbeitslosigkeit 1995"}),
    ]
    rows = []
    for name, params in cases:
        filtered = VerdictFilter(
            {k: v for k, v in params.items() if k != "ordering"}, published_verdicts()
        ).qs
        ordering = params.get("ordering", "-published_at")
        deep_cursor, deep_page = _deep_cursor(filtered, ordering)
        last = " (last)" if deep_page < DEEP_PAGE else ""
        pages = [("1", None), (f"{deep_page:,}{last}", deep_cursor)]
        for page_name, cursor in pages:
            query = {**params, "page_size": PAGE_SIZE}
            if cursor:
                query["cursor"] = cursor
            url = "/api/v1/verdicts/?" + urlencode(query)
            response = get(url)
            assert response.status_code == 200, (url, response.content[:300])
            assert len(response.json()["results"]) > 0, url
            times, cpu = [], []
            queries = set()
            repeats = REPEATS if "full text" not in name else 10
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as ctx:
                    t0, c0 = time.perf_counter(), time.process_time()
                    response = get(url)
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                queries.add(len(ctx.captured_queries))
            rows.append(
                {
                    "case": name,
                    "page": page_name,
                    "p50": statistics.median(times),
                    "p95": _pct(times, 95),
                    "cpu": statistics.mean(cpu),
                    "queries": ",".join(str(q) for q in sorted(queries)),
                }
            )
            print(rows[-1], flush=True)
    uncached.disable()
    return rows


def measure_cached() -> list[dict]:
    """Server time of answers from the shared cache (after one request fills it)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    first_id = client.get("/api/v1/verdicts/?page_size=1", HTTP_X_FORWARDED_FOR="10.9.9.9").json()
    first_id = first_id["results"][0]["id"]
    urls = [
        ("GET /api/v1/verdicts/?page_size=10", "/api/v1/verdicts/?page_size=10"),
        ("GET /api/v1/verdicts/?page_size=50", "/api/v1/verdicts/?page_size=50"),
        (
            "q=Arbeitslosigkeit 1995, page 1",
            "/api/v1/verdicts/?page_size=10&q=Arbeitslosigkeit+1995",
        ),
        ("GET /api/v1/verdicts/{id}/", f"/api/v1/verdicts/{first_id}/"),
        ("GET /api/v1/verdicts/{id}/claimreview", f"/api/v1/verdicts/{first_id}/claimreview"),
    ]
    out = []
    for n, (name, url) in enumerate(urls):
        ip = f"10.8.{n}.{{}}"
        assert client.get(url, HTTP_X_FORWARDED_FOR=ip.format(0)).status_code == 200
        times, cpu, queries = [], [], set()
        for i in range(REPEATS):
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url, HTTP_X_FORWARDED_FOR=ip.format(i % 250 + 1))
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, url
            queries.add(len(ctx.captured_queries))
        out.append(
            {
                "case": name,
                "p50": statistics.median(times),
                "p95": _pct(times, 95),
                "cpu": statistics.mean(cpu),
                "queries": ",".join(str(q) for q in sorted(queries)),
            }
        )
        print(out[-1], flush=True)
    return out


NOTES = """
## Reading these numbers

- Targets (issue 5): p50 <= 10 ms and p95 <= 50 ms server time on any page; a fixed number of
  queries; >= 50% of the trivial view's requests/s.
- The machine has 2 cores shared with other engineers' training runs and benchmarks (load
  average in the header and per HTTP row): wall-clock numbers move by up to 2x between runs.
  The CPU columns (Django's CPU per request in-process; the gunicorn workers' CPU per request
  over HTTP) are steadier; over HTTP, "trivial's CPU / this CPU" is what the req/s ratio
  would be if the web workers' own CPU were the only cost (wrk, Redis and PostgreSQL share the
  same 2 cores and are not in it).
- **Depth costs nothing**: page 10,000 (or a filtered list's last page) costs what page 1 costs,
  in time and in queries (1; 2 with `rating=`, which resolves the label name to ids first).
- **Full-text search** reads a stored `tsvector` (claim text + short verdict, written by the
  verdict services, GIN-indexed: migration 0004) instead of computing `to_tsvector` per row
  across the claim join, which scanned until a page was full (page 1 p95 was 57 ms).
- **Cached answers**: anonymous list/detail/ClaimReview answers come from Redis, keyed by URL and
  Accept header and valid while the "published verdicts version" is unchanged (publishing and
  correcting replace it). A hit costs two Redis round trips (one `MGET` for the version, the
  answer and the client's quota history; one `SET` for the quota) and no SQL.
- **Cache misses** (the first request for a URL after each publication, and every request for a
  URL nobody asked for in the last minute) are built from the database: far below the trivial
  view's rate, because a page is an SQL round trip, ORM row building, cursor links and 50
  serialised rows, against a view that returns a constant. The >= 50% target is met by cached
  answers only.
- The load generator plays 20,000 readers (`X-Forwarded-For`, bench/api_clients.lua) under the
  production quotas (120/min per address). Giving one address an unlimited quota instead, as the
  previous version of this benchmark did, makes DRF's throttle read and write every timestamp of
  the last minute under one key on each request (~60,000 floats at 1,000 req/s): that measured the
  throttle's history, not the API.
- Fixed with the help of this benchmark: Django's Redis cache backend built a new `redis.Redis`
  client per cache call (~0.3 ms of CPU each with redis-py 8: claimtracker/cache.py reuses it);
  django-filter built its form class per request (a third of an uncached page; built once now,
  and skipped without filter parameters); list rows reversed two URLs per row (now a template per
  page); orjson instead of the stdlib encoder; hiredis for Redis replies. Earlier: list rows from
  `.values()` instead of six model instances per row; exact `language=` codes and `rating=` label
  ids so PostgreSQL estimates the filters right.
"""


HTTP_ROWS = [
    ("trivial", "trivial Django JSON view (ceiling)"),
    ("list", "GET /api/v1/verdicts/?page_size=50"),
    ("list_filtered", "GET /api/v1/verdicts/?page_size=50&language=en&rating=Richtig"),
    ("detail", "GET /api/v1/verdicts/{id}/"),
]


def _http_table(http: dict) -> list[str]:
    trivial = http["trivial"]
    lines = [
        "| endpoint | req/s | vs trivial | worker CPU ms/request | trivial's CPU / this CPU "
        "| load avg |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in HTTP_ROWS:
        r = http[name]
        lines.append(
            f"| {label} | {r['rate']:,.0f} | {r['rate'] / trivial['rate']:.0%} "
            f"| {r['cpu_ms']:.2f} | {trivial['cpu_ms'] / r['cpu_ms']:.0%} | {r['load']:.1f} |"
        )
    return lines


def write_results(seed: dict, rows: list[dict], cached_rows: list[dict], http: dict) -> None:
    lines = [
        "# API benchmark (bench/bench_api.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other work while "
        f"measured: load average {LOAD[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the "
        f"end, on 2 cores), Python {platform.python_version()}, PostgreSQL 15 and Redis 7 on "
        "127.0.0.1.",
        f"Data: {N_CLAIMS:,} claims, {N_ARTICLES:,} articles, {N_VERDICTS:,} published verdicts "
        "(database `claimtracker_bench_api`).",
        "",
        "Seeding time: "
        + (
            f"{seed['seed_seconds']:.0f} s (set-based INSERT ... SELECT generate_series, the "
            "search vectors, VACUUM ANALYZE)."
            if seed["seed_seconds"] == seed["seed_seconds"]
            else "reused an already seeded database."
        ),
        "",
        f"## Server time of GET /api/v1/verdicts/, built from the database (page_size={PAGE_SIZE}; "
        f"page {DEEP_PAGE:,} is the last page; filtered lists have fewer pages, so their last "
        "page is measured)",
        "",
        "In-process through Django's full request path (middleware, API-key/session "
        "authentication, throttling, filters, serializer, JSON), with the shared cache of "
        f"anonymous answers switched off: {REPEATS} requests each (10 for full text), after one "
        "warm-up request. The CPU column is this process's CPU time per request (Django's "
        "share; PostgreSQL's is not in it), which the machine's load disturbs less than the "
        "wall-clock percentiles.",
        "",
        "| filter | page | p50 ms | p95 ms | Django CPU ms (mean) | SQL queries |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['page']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['cpu']:.1f} "
            f"| {r['queries']} |"
        )
    lines += [
        "",
        "## Server time of answers from the shared cache (Redis)",
        "",
        f"The same path, {REPEATS} requests each after one that filled the cache.",
        "",
        "| request | p50 ms | p95 ms | Django CPU ms (mean) | SQL queries |",
        "|---|---|---|---|---|",
    ]
    for r in cached_rows:
        lines.append(
            f"| {r['case']} | {r['p50']:.2f} | {r['p95']:.2f} | {r['cpu']:.2f} | {r['queries']} |"
        )
    if http.get("tool") != "skipped":
        cached, uncached = http["cached"], http["uncached"]
        lines += [
            "",
            f"## Requests/s over HTTP (gunicorn, 2 sync workers; load: {cached['tool']} with 8 "
            "connections from 20,000 client addresses, same machine)",
            "",
            "Each table comes from one server run, its trivial view measured by that server. "
            "The CPU columns count the gunicorn workers' user + system time per request "
            "(PostgreSQL, Redis and the load generator are not in it).",
            "",
            "### With the shared cache (anonymous answers from Redis)",
            "",
            *_http_table(cached),
            "",
            "### Every request a cache miss (built from the database, as after each publication)",
            "",
            *_http_table(uncached),
        ]
    lines.append(NOTES)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")


LOAD = os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--http-seconds", type=int, default=15)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    ensure_database(args.reseed)
    seed = seed_if_needed()
    print("seed", seed, flush=True)
    rows = measure_server_time()
    cached_rows = measure_cached()
    http: dict = {"tool": "skipped"}
    if not args.skip_http:
        http = {
            "cached": measure_http(args.http_seconds, cached=True),
            "uncached": measure_http(args.http_seconds, cached=False),
        }
    write_results(seed, rows, cached_rows, http)
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
