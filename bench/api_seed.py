"""The API benchmark's database (bench/bench_api.py): created, migrated and seeded with
1,000,000 claims, 300,000 articles and 100,000 published verdicts by set-based
``INSERT ... SELECT generate_series`` (skipped when already seeded)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "claimtracker_bench_api"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"

N_ARTICLES = 300_000
N_CLAIMS = 1_000_000
N_VERDICTS = 100_000


def _psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def ensure_database(reseed: bool) -> None:
    sql = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608 - a constant
    exists = _psql(sql) == "1"
    if exists and reseed:
        _psql(f"DROP DATABASE {DB_NAME} WITH (FORCE)")
        exists = False
    if not exists:
        _psql(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, check=True
    )


# Only module constants are interpolated.
SEED_SQL = f"""
INSERT INTO claims_outlet (created_at, updated_at, name, homepage, domain, country, language,
                           notes, active)
SELECT now(), now(), 'Outlet ' || g, 'https://outlet' || g || '.example/',
       'outlet' || g || '.example', 'DE', CASE WHEN g % 3 = 0 THEN 'en' ELSE 'de' END, '', true
FROM generate_series(1, 50) g;

INSERT INTO claims_ratingscale (created_at, updated_at, name, description, best_rating,
                                worst_rating, is_default)
VALUES (now(), now(), 'Bench scale', '', 5, 1, true);

INSERT INTO claims_ratinglabel (scale_id, name, alternate_name, description, "order", value,
                                colour)
SELECT s.id, l.name, '', '', l.ord, l.val, '#6b7280'
FROM claims_ratingscale s,
     (VALUES ('Falsch', 1, 1), ('Größtenteils falsch', 2, 2), ('Teilweise falsch', 3, 3),
             ('Größtenteils richtig', 4, 4), ('Richtig', 5, 5),
             ('Fehlender Kontext', 6, NULL)) AS l(name, ord, val)
WHERE s.name = 'Bench scale';

INSERT INTO claims_article (created_at, updated_at, url, url_hash, submitted_url, outlet_id,
    source, title, authors, published_at, language, text, raw_content_type, content_hash,
    status, error_reason, error, attempts)
SELECT now(), now(), 'https://news.example/a/' || g, md5('a' || g) || md5('b' || g), '',
       (SELECT min(id) FROM claims_outlet) + (g % 50), 'feed', 'Article ' || g, '[]'::jsonb,
       timestamptz '2020-01-01' + (g || ' minutes')::interval,
       CASE WHEN g % 3 = 0 THEN 'en' ELSE 'de' END, '', '', '', 'done', '', '', 1
FROM generate_series(1, {N_ARTICLES}) g;

INSERT INTO claims_claim (created_at, updated_at, article_id, index, text, start, "end",
    context_before, context_after, score, checkworthy, claim_type, reported, claimant,
    entities, numbers, language, status, dismiss_reason)
SELECT timestamptz '2020-01-01' + (g || ' seconds')::interval, now(),
       (SELECT min(id) FROM claims_article) + (g % {N_ARTICLES}), g / {N_ARTICLES},
       CASE WHEN g % 3 = 0
            THEN 'Unemployment rose by ' || (g % 97) || ' percent in ' || (1990 + g % 30) || '.'
            ELSE 'Die Arbeitslosigkeit stieg um ' || (g % 97) || ' Prozent im Jahr '
                 || (1990 + g % 30) || ', sagte Politiker ' || (g % 500) || '.' END,
       0, 60, '', '', (g % 1000) / 1000.0, g % 2 = 0, 'quantity', true,
       'Politiker ' || (g % 500), '[]'::jsonb, '[]'::jsonb,
       CASE WHEN g % 3 = 0 THEN 'en' ELSE 'de' END,
       CASE WHEN g < {N_VERDICTS} THEN 'published' ELSE 'new' END, ''
FROM generate_series(0, {N_CLAIMS - 1}) g;

INSERT INTO claims_verdict (created_at, updated_at, claim_id, rating_label_id, summary,
    explanation, status, review_comment, slug, published_at, version)
SELECT c.created_at, timestamptz '2024-01-01' + (c.rn * 7 || ' minutes')::interval, c.id,
       (SELECT min(id) FROM claims_ratinglabel) + (c.rn % 6),
       'Short verdict number ' || c.rn || '.', 'Explanation **' || c.rn || '**.',
       'published', '', 'verdict-' || c.rn,
       timestamptz '2024-01-01' + (c.rn * 5 || ' minutes')::interval, 1
FROM (SELECT id, created_at, row_number() OVER (ORDER BY id) AS rn
      FROM claims_claim WHERE status = 'published') c;
"""  # noqa: S608


def seed_if_needed() -> dict[str, float]:
    counts = _psql("SELECT count(*) FROM claims_verdict", DB_NAME)
    if counts == str(N_VERDICTS):
        return {"seed_seconds": float("nan")}
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-v", "ON_ERROR_STOP=1",
         "-q", "-c", SEED_SQL],
        check=True,
    )  # fmt: skip
    # The verdicts' stored search vectors, as migration 0004 fills them for existing rows (the
    # services write them for new ones; the seed bypasses the services).
    import importlib

    backfill = importlib.import_module("claims.migrations.0004_verdict_search_vector").BACKFILL
    _psql(backfill, DB_NAME)
    _psql("VACUUM ANALYZE", DB_NAME)
    return {"seed_seconds": time.perf_counter() - started}
