"""What reading a unit with its article would cost at run time (round "context", issue #12).

    PYTHONPATH=. python training/checkworthiness/context_speed.py --shared ../shared

Per language, on the annotated dev articles (pages read from ../shared), in one process with one
BLAS thread: the whole pipeline as it ships (``extract_claims_batch``, the baseline), then, on
the same units, what the round's representations add: the context features with the headline's
embedding (one more sentence per article through the multilingual encoder) and, for English,
the MiniLM encoder over every unit. Words per CPU-second (whitespace words of the article texts)
of the pipeline alone and with each addition, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    from claims.nlp import extract
    from claims.nlp.embeddings import embed
    from training.checkworthiness.context_features import context_features
    from training.extraction.evaluate import load_gold, read_article

    print(
        "| language | articles | words | pipeline words/s (CPU) | + context features "
        "| ratio | + MiniLM over every unit | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for lang in ("de", "en"):
        gold = [g for g in load_gold("dev") if g.language == lang]
        docs = [read_article(g, args.shared) for g in gold]
        texts = [d.text for d in docs]
        contexts = [extract.ArticleContext.of(d.title, d.published) for d in docs]
        words = sum(len(t.split()) for t in texts)
        extract.extract_claims_batch(texts[:1], lang, contexts=contexts[:1])  # load, warm up
        t0 = time.process_time()
        claims = extract.extract_claims_batch(texts, lang, contexts=contexts)
        pipeline = time.process_time() - t0
        units = [[t[c.start : c.end] for c in cs] for t, cs in zip(texts, claims, strict=True)]
        t0 = time.process_time()
        for doc, cs, us in zip(docs, claims, units, strict=True):
            title = embed([doc.title])[0] if doc.title else None
            context_features(
                us,
                segments=[c.segment for c in cs],
                embeddings=embed(us),  # the pipeline has these already; re-encoded here
                checkworthiness=[c.score for c in cs],
                title_embedding=title,
            )
        with_embed = time.process_time() - t0
        t0 = time.process_time()
        for us in units:
            embed(us)
        reembed = time.process_time() - t0
        context = max(with_embed - reembed, 0.0)  # the features and the headline only
        minilm = 0.0
        if lang == "en":
            from claims.nlp.minilm import base_encoder

            encoder = base_encoder()
            encoder.encode(["warm up"])
            t0 = time.process_time()
            for us in units:
                encoder.encode(us)
            minilm = time.process_time() - t0
        base = words / pipeline
        ctx = words / (pipeline + context)
        mini = f"{words / (pipeline + context + minilm):,.0f}" if minilm else "–"
        ratio = f"{(pipeline + context) / (pipeline + context + minilm):.2f}" if minilm else "–"
        print(
            f"| {lang} | {len(texts)} | {words:,} | {base:,.0f} | {ctx:,.0f} | {ctx / base:.2f} "
            f"| {mini} | {ratio} |",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the process (both languages, MiniLM loaded): {peak:.0f} MB")


if __name__ == "__main__":
    main()
