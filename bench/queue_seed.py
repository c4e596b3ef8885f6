"""The queue benchmark's claims (bench/bench_queue.py): 50 outlets, 20,000 articles and N claims
in German and English with realistic statuses, scores, claimants and types, bulk-created in
batches (reused when the database already holds them)."""

from __future__ import annotations

import random
import time
from datetime import timedelta

WORDS_DE = [
    "Regierung",
    "Inflation",
    "Prozent",
    "Jahr",
    "Millionen",
    "Euro",
    "Arbeitslosigkeit",
    "Migration",
    "Rente",
    "Steuern",
    "Klima",
    "Energie",
    "Strompreis",
    "Gesetz",
    "Bundestag",
    "Kanzler",
    "Ministerin",
    "Zahl",
    "gestiegen",
    "gesunken",
    "Nordkorea",
    "Atomwaffen",
    "Raketen",
    "getestet",
    "Haushalt",
    "Schulden",
    "Wachstum",
    "Löhne",
    "Mieten",
    "Wohnungen",
]
WORDS_EN = [
    "government",
    "inflation",
    "percent",
    "year",
    "million",
    "pounds",
    "unemployment",
    "migration",
    "pension",
    "taxes",
    "climate",
    "energy",
    "prices",
    "law",
    "parliament",
    "minister",
    "number",
    "rose",
    "fell",
    "hospital",
    "waiting",
    "lists",
    "missiles",
    "tested",
    "budget",
    "debt",
    "growth",
    "wages",
    "rents",
    "homes",
    "crime",
    "police",
]
CLAIMANTS = [
    "Olaf Scholz",
    "Friedrich Merz",
    "Donald Trump",
    "Kim Jong Un",
    "NHS England",
    "Statistisches Bundesamt",
    "the chancellor",
    "Robert Habeck",
    "",
    "",
]


def seed(n_claims: int) -> None:
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from claims.models import Article, Claim, Outlet
    from tests.factories import UserFactory

    if Claim.objects.count() >= n_claims and Claim.objects.filter(text__contains="wort").exists():
        print(f"reusing {Claim.objects.count():,} claims in {connection.settings_dict['NAME']}")
        return

    with connection.cursor() as cursor:  # a QuerySet.delete() of 100,000 rows takes minutes
        cursor.execute(
            "TRUNCATE claims_claim, claims_historicalclaim, claims_article, claims_outlet CASCADE"
        )
    rng = random.Random(7)
    started = time.perf_counter()
    outlets = Outlet.objects.bulk_create(
        [
            Outlet(
                name=f"Outlet {i}", domain=f"outlet{i}.example", language="de" if i % 3 else "en"
            )
            for i in range(50)
        ]
    )
    if not Group.objects.filter(name="reviewer").exists():
        raise SystemExit("roles missing: migrations did not run")
    users = [UserFactory(username=f"bench{i}", roles=["reviewer"]) for i in range(5)]
    now = timezone.now()
    n_articles = max(n_claims // 5, 1)
    articles = []
    for i in range(n_articles):
        lang = "en" if i % 3 == 0 else "de"
        articles.append(
            Article(
                url=f"https://news.example/{i}",
                url_hash=f"{i:064x}",
                outlet=outlets[i % 50],
                source=Article.Source.FEED,
                title=f"Article {i}",
                language=lang,
                text="",
                status=Article.Status.DONE,
                published_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 365)),
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=5000)
    statuses = (
        ["new"] * 70
        + ["selected"] * 10
        + ["dismissed"] * 15
        + ["in_review"] * 2
        + ["published"] * 3
    )
    types = [t for t, _ in Claim.Type.choices]
    batch = []
    for i in range(n_claims):
        article = articles[i % n_articles]
        words = WORDS_EN if article.language == "en" else WORDS_DE
        # Mostly a long tail of rarer words (Zipf-like over 20,000 synthetic ones), some common
        # news words: a search term then matches a few percent of claims, as in real queues.
        tokens = [
            rng.choice(words)
            if rng.random() < 0.15
            else f"wort{int(rng.paretovariate(1.1)) % 20000}"
            for _ in range(rng.randint(8, 20))
        ]
        text = " ".join(tokens).capitalize() + "."
        status = rng.choice(statuses)
        batch.append(
            Claim(
                article=article,
                index=i // n_articles,
                text=text,
                start=0,
                end=len(text),
                score=round(rng.random(), 4),
                checkworthy=True,
                claim_type=rng.choice(types),
                claimant=rng.choice(CLAIMANTS),
                language=article.language,
                status=status,
                dismiss_reason="opinion" if status == "dismissed" else "",
                assignee=rng.choice(users) if rng.random() < 0.2 else None,
            )
        )
        if len(batch) == 5000:
            Claim.objects.bulk_create(batch)
            batch = []
    if batch:
        Claim.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {n_claims:,} claims in {time.perf_counter() - started:.0f} s")
