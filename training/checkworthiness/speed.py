"""Speed and memory of the shipped check-worthiness model, for the model card.

    python training/checkworthiness/speed.py

Scores the seed article's sentences (German news) and English sentences written like news, repeated
to a few thousand, in one process with one BLAS thread. Reports the encoder and the model's own
heads apart, since claim matching shares the encoder.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from claims.nlp.checkworthiness import checkworthiness_model  # noqa: E402
from claims.nlp.embeddings import embed  # noqa: E402
from training.checkworthiness.evaluate import SEED_FILE, split_sentences  # noqa: E402

EN = [
    "The unemployment rate fell to 3.9 percent in April, the lowest level since 2000, the Labor "
    "Department said on Friday.",
    "Senator Smith said the bill would cut taxes for 80 percent of middle-class families.",
    "Thank you all for coming out tonight, it is wonderful to see so many friends.",
    "The company reported a net loss of $1.2 billion for the quarter, compared with a profit "
    "a year earlier.",
    "Officials in Brussels expect the talks to continue next week.",
    "We will never give up, and we will win this fight together.",
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(lang: str, sentences: list[str]) -> None:
    model = checkworthiness_model()
    words = sum(len(s.split()) for s in sentences)
    t0 = time.perf_counter()
    vectors = embed(sentences)
    t1 = time.perf_counter()
    model.scores(sentences, lang=lang, embeddings=vectors)
    t2 = time.perf_counter()
    enc, heads = t1 - t0, t2 - t1
    print(
        f"{lang}: {len(sentences)} sentences, {words / len(sentences):.1f} words each | "
        f"encoder {len(sentences) / enc:,.0f} sentences/s = {words / enc:,.0f} words/s | "
        f"heads {len(sentences) / heads:,.0f} sentences/s = {words / heads:,.0f} words/s | "
        f"together {words / (enc + heads):,.0f} words/s"
    )


def main() -> None:
    base = rss_mb()
    t0 = time.perf_counter()
    model = checkworthiness_model()
    load_model = time.perf_counter() - t0
    after_model = rss_mb()
    embed(["warm up"])
    after_encoder = rss_mb()
    print(
        f"model file {model.path.stat().st_size / 1e6:.2f} MB, loads in {load_model:.2f}s, "
        f"+{after_model - base:.0f} MB RSS; encoder +{after_encoder - after_model:.0f} MB; "
        f"peak RSS {after_encoder:.0f} MB"
    )
    de = split_sentences(SEED_FILE.read_text(encoding="utf-8"))
    measure("de", (de * (3000 // len(de) + 1))[:3000])
    measure("en", (EN * (3000 // len(EN) + 1))[:3000])
    print(f"peak RSS after scoring {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
