"""The claims the matching benchmarks store and query (bench_matching_db.py,
bench_known_factchecks.py, bench_vector_index.py, bench_ingest.py): real claim sentences from the
shared datasets (synthetic Zipf text without them), their repeats in other words, and a database
seeded with them as the app stores claims."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("CLAIMTRACKER_DATASETS", ROOT.parent / "shared" / "datasets"))
REAL = 1000  # stored claims with real embeddings (the ones the repeat queries paraphrase)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def dataset_sentences() -> list[tuple[str, str]]:
    """(language, sentence) from the shared datasets, when they are there (never committed)."""
    out: list[tuple[str, str]] = []
    csv.field_size_limit(sys.maxsize)
    claimbuster = DATASETS / "claimbuster" / "crowdsourced.csv"
    if claimbuster.exists():
        with claimbuster.open(encoding="utf-8") as fh:
            out += [("en", row["Text"]) for row in csv.DictReader(fh) if row.get("Text")]
    vclaims = DATASETS / "matching" / "clef2021-task2b" / "vclaims.jsonl"
    if vclaims.exists():
        with vclaims.open(encoding="utf-8") as fh:
            out += [("en", json.loads(line)["vclaim"]) for line in fh if line.strip()]
    snopes = DATASETS / "matching" / "clef2020-task2" / "verified_claims.docs.tsv"
    if snopes.exists():
        with snopes.open(encoding="utf-8") as fh:
            out += [("en", row[1]) for row in csv.reader(fh, delimiter="\t") if len(row) > 1][1:]
    germeval = DATASETS / "germeval2021" / "GermEval21_TrainData.csv"
    if germeval.exists():
        with germeval.open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            out += [("de", row.get("comment_text", "")) for row in reader]
    german = DATASETS / "matching" / "checkthat2025-de" / "collection.tsv"
    if german.exists():
        with german.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
            out += [("de", row.get("text", "")) for row in rows]
    return [(lang, " ".join(t.split())[:400]) for lang, t in out if len(t.split()) >= 5]


def synthetic_sentences(n: int, rng: random.Random) -> list[tuple[str, str]]:
    vocabulary = [f"w{i}" for i in range(30000)]
    weights = [1 / (r + 1) for r in range(len(vocabulary))]  # Zipf, like real word frequencies
    return [
        ("en", " ".join(rng.choices(vocabulary, weights, k=rng.randint(8, 25))) + ".")
        for _ in range(n)
    ]


def claim_texts(n: int, rng: random.Random) -> tuple[list[tuple[str, str]], str]:
    base = dataset_sentences()
    source = "shared datasets (ClaimBuster, PolitiFact, Snopes, GermEval, CheckThat! 2025 de)"
    if len(base) < 1000:
        return synthetic_sentences(n, rng), "synthetic Zipf text (datasets not found)"
    rng.shuffle(base)
    texts = list(base[:n])
    while len(texts) < n:  # beyond the real sentences: the same words, shuffled
        lang, text = base[len(texts) % len(base)]
        words = text.split()
        rng.shuffle(words)
        texts.append((lang, " ".join(words)))
    return texts, source


def paraphrase(text: str) -> str:
    """A repeat in other words: drop a word or two, add an attribution."""
    words = text.rstrip(".").split()
    if len(words) > 8:
        del words[len(words) // 2]
    return " ".join(words) + ", sagte er." if text[:1].isupper() else " ".join(words)


# --- a seeded database (Django set up by the caller) ------------------------------------------


def seed(n: int, rng: random.Random) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    import numpy as np
    from django.db import connection

    from claims.models import Article, Claim, Outlet
    from claims.nlp.matching import (
        ENGLISH_DIM,
        claim_embeddings,
        embedding_to_bytes,
        english_claim_embeddings,
    )
    from claims.services.matching import FTS_INDEXES_SQL
    from claims.services.matching.config import english_signal_enabled

    texts, source = claim_texts(n + 200, rng)
    stored, spare = texts[:n], texts[n:]
    outlets = Outlet.objects.bulk_create(
        [Outlet(name=f"Outlet {i}", domain=f"outlet{i}.example") for i in range(50)]
    )
    per_article = 5
    articles = []
    for start in range(0, n // per_article, 5000):
        batch = [
            Article(
                url=f"https://outlet{i % 50}.example/{i}",
                url_hash=hashlib.sha256(f"a{i}".encode()).hexdigest(),
                source=Article.Source.URL,
                outlet=outlets[i % 50],
                language="en",
                status=Article.Status.DONE,
            )
            for i in range(start, min(start + 5000, n // per_article))
        ]
        articles += Article.objects.bulk_create(batch)
    vectors = np.random.default_rng(7).standard_normal((n, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    real_rows = sorted(rng.sample(range(n), REAL))
    vectors[real_rows] = claim_embeddings([stored[i][1] for i in real_rows])
    # As the app stores them: an English-encoder vector for English claims (random unit vectors,
    # the really embedded claims' real ones), none for the others.
    english: list[np.ndarray | None] = [None] * n
    if english_signal_enabled():
        random_en = np.random.default_rng(8).standard_normal((n, ENGLISH_DIM)).astype(np.float32)
        random_en /= np.linalg.norm(random_en, axis=1, keepdims=True)
        english = [random_en[i] if stored[i][0] == "en" else None for i in range(n)]
        real_en = english_claim_embeddings([stored[i][1] for i in real_rows])
        for i, vector in zip(real_rows, real_en, strict=True):
            english[i] = vector
    for start in range(0, n, 5000):
        Claim.objects.bulk_create(
            [
                Claim(
                    article=articles[i // per_article],
                    index=i % per_article,
                    text=stored[i][1],
                    start=0,
                    end=len(stored[i][1]),
                    score=0.8,
                    checkworthy=True,
                    claim_type=Claim.Type.OTHER,
                    language=stored[i][0],
                    embedding=embedding_to_bytes(vectors[i]),
                    embedding_en=None
                    if english[i] is None
                    else embedding_to_bytes(english[i], ENGLISH_DIM),
                )
                for i in range(start, min(start + 5000, n))
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in FTS_INDEXES_SQL:
                cursor.execute(statement)
            cursor.execute("ANALYZE")
    real_texts = [stored[i] for i in real_rows]
    return real_texts, spare, source


def bench_article(path: str, key: str, lang: str):
    """A processed article of the benchmark's own, at https://bench.example/<path>."""
    from claims.models import Article

    return Article.objects.create(
        url=f"https://bench.example/{path}",
        url_hash=hashlib.sha256(key.encode()).hexdigest(),
        source=Article.Source.URL,
        language=lang,
        status=Article.Status.DONE,
    )


def extracted_claim(article, index: int, text: str, lang: str):
    """A check-worthy claim written as extraction writes it: with its vectors (the multilingual
    one from check-worthiness's encoder pass, the English one encoded for it), so the matching
    call only searches. Returns (claim, ms spent encoding beyond check-worthiness's pass)."""
    from claims.models import Claim
    from claims.nlp.embeddings import embed
    from claims.services.matching import claims_embed_new

    claim = Claim(
        article=article, index=index, text=text, start=0, end=len(text), score=0.8,
        checkworthy=True, claim_type=Claim.Type.OTHER, language=lang,
    )  # fmt: skip
    sentence_vector = embed([text])[0]  # check-worthiness computes this for every sentence
    t = time.perf_counter()
    claims_embed_new(claims=[claim], sentence_embeddings=[sentence_vector])
    extra_ms = (time.perf_counter() - t) * 1000
    claim.save()
    return claim, extra_ms
