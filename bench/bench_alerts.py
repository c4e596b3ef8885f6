"""Alert evaluation cost per new claim, against ingestion without alerts, in the same run.

    python bench/bench_alerts.py [--articles 40] [--users 1000] [--rules 10000]

On PostgreSQL (database `alerts_bench` on 127.0.0.1, created and dropped): 1,000 users with
10,000 watch rules (speakers, outlets, topics, claim groups; some groups carry a published
false verdict), then N text articles (German and English, half of them repeats) ingested the
way the worker does it: extraction, matching, then (timed apart) the alert evaluation with its
inbox writes and email tasks (Celery eager, Django's dummy email backend: the SMTP hop is not
measured). Prints ms per new check-worthy claim for both and their ratio; the result table is
kept in bench/results/alerts.md.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "alerts_bench"
PG = "postgres://postgres@127.0.0.1:5432"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
        "DATABASE_URL": f"{PG}/{DB}",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
)
os.environ.pop("CELERY_BROKER_URL", None)

GERMAN = (
    "Donald Trump sagte am Montag in Berlin, Nordkorea habe seit mehr als einem Jahr keine "
    "Atomwaffen und Raketen mehr getestet. Die Arbeitslosigkeit sei im Jahr {year} um {n} "
    "Prozent gestiegen, erklärte Olaf Scholz. Die Stadt meldete {n} neue Wohnungen."
)
ENGLISH = (
    "Trump said North Korea has not tested nuclear weapons or missiles for more than a year. "
    "Unemployment rose by {n} percent in {year}, the minister said. "
    "The agency reported {n} new cases of measles in the state."
)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def setup_rules(users: int, rules: int) -> None:
    from django.contrib.auth import get_user_model

    from claims.models import ClaimGroup, Outlet, Speaker, WatchRule
    from tests.factories import ensure_roles

    ensure_roles()
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"u{i}", email=f"u{i}@bench.test") for i in range(users)]
    )
    user_ids = list(User.objects.values_list("pk", flat=True))
    from django.contrib.auth.models import Group

    Group.objects.get(name="editor").user_set.add(*user_ids[:20])
    speakers = Speaker.objects.bulk_create(
        [Speaker(name="Donald Trump"), Speaker(name="Olaf Scholz")]
        + [Speaker(name=f"Speaker {i}") for i in range(498)]
    )
    outlets = Outlet.objects.bulk_create([Outlet(name=f"Outlet {i}") for i in range(50)])
    groups = ClaimGroup.objects.bulk_create([ClaimGroup() for _ in range(1000)])
    vocabulary = ["nordkorea", "raketen", "arbeitslosigkeit", "wohnungen", "measles", "missiles"]
    vocabulary += [f"wort{i}" for i in range(300)]
    rng = random.Random(7)
    rows, seen = [], set()
    while len(rows) < rules:
        user = rng.choice(user_ids)
        kind = rng.choices(["speaker", "outlet", "topic", "group"], [3, 2, 3, 2])[0]
        target = {
            "speaker": lambda: {"speaker": rng.choice(speakers)},
            "outlet": lambda: {"outlet": rng.choice(outlets)},
            "topic": lambda: {"topic": " ".join(rng.sample(vocabulary, rng.choice([1, 2])))},
            "group": lambda: {"group": rng.choice(groups)},
        }[kind]()
        key = (user, kind, *(getattr(v, "pk", v) for v in target.values()))
        if key not in seen:
            seen.add(key)
            rows.append(WatchRule(user_id=user, kind=kind, **target))
    WatchRule.objects.bulk_create(rows)


def ingest(text: str, url: str):
    from django.utils import timezone

    from claims.models import Article
    from claims.services import pipeline
    from claims.services.ingestion import article_process_sync, article_submit
    from claims.services.matching import article_claims_match

    article = article_submit(source=Article.Source.TEXT, url=url, text=text, enqueue=False)
    # The next stages are called here, one by one (no eager tasks, so no alerts inside this).
    enqueue, pipeline.enqueue_on_commit = pipeline.enqueue_on_commit, lambda *a: None
    try:
        article_process_sync(article_id=article.pk)
    finally:
        pipeline.enqueue_on_commit = enqueue
    article_claims_match(article_id=article.pk)
    Article.objects.filter(pk=article.pk).update(matched_at=timezone.now())
    return article


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=10000)
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        import django

        django.setup()
        import logging

        logging.getLogger("celery").setLevel(logging.WARNING)
        from django.conf import settings
        from django.core.management import call_command

        settings.CLAIMTRACKER_MATCHING = {}
        call_command("migrate", verbosity=0)
        from claims.models import Claim, Notification, RatingLabel, RatingScale, WatchRule
        from claims.services import notifications
        from claims.services.alerts import article_alerts_evaluate
        from claims.services.alerts_watchers import WatchIndex
        from tests.factories import PublishedVerdictFactory

        # Emails are their own task on the fetch queue (a worker elsewhere): count the sends.
        queued: list = []
        notifications.enqueue_on_commit = lambda task, *ids: queued.append(ids)

        setup_rules(args.users, args.rules)
        # The checked claim: a first German article, its main claim published as false.
        first = ingest(GERMAN.format(year=2000, n=1), "https://bench.example/0")
        main_claim = first.claims.filter(checkworthy=True).order_by("index").first()
        scale = RatingScale.objects.create(name="Bench", best_rating=5, worst_rating=1)
        false = RatingLabel.objects.create(scale=scale, name="Falsch", value=1)
        PublishedVerdictFactory(claim=main_claim, rating_label=false)
        # Warm the models, the URL configuration and the rule index, as a running worker has.
        warm = ingest(ENGLISH.format(year=2000, n=1), "https://bench.example/warm")
        article_alerts_evaluate(article_id=warm.pk)
        t0 = time.perf_counter()
        WatchIndex.build()
        build_ms = (time.perf_counter() - t0) * 1000
        ingest_s = alerts_s = 0.0
        new_claims = 0
        for i in range(args.articles):
            text = (GERMAN if i % 2 == 0 else ENGLISH).format(year=1990 + i % 30, n=i * 37 + 5)
            t0 = time.perf_counter()
            article = ingest(text, f"https://bench.example/{i + 1}")
            ingest_s += time.perf_counter() - t0
            new_claims += Claim.objects.filter(article=article, checkworthy=True).count()
            t0 = time.perf_counter()
            article_alerts_evaluate(article_id=article.pk)
            alerts_s += time.perf_counter() - t0
        notes = Notification.objects.count()
        rules = WatchRule.objects.count()
        ingest_ms = ingest_s * 1000 / new_claims
        alerts_ms = alerts_s * 1000 / new_claims
        print(f"articles {args.articles}, new check-worthy claims {new_claims}, users {args.users}")
        print(f"watch rules {rules}, inbox entries {notes}, emails queued {len(queued)}")
        print()
        print("| step | ms per new claim | ratio to ingestion |")
        print("| --- | ---: | ---: |")
        print(f"| ingestion without alerts (extract + match) | {ingest_ms:.1f} | 1.00 |")
        print(
            f"| alert evaluation (rules, repeats, trends, inbox rows, email sends queued) "
            f"| {alerts_ms:.1f} | {alerts_ms / ingest_ms:.2f} |"
        )
        print()
        print(f"Building the index of {rules} rules (after a rule changed): {build_ms:.0f} ms.")
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
