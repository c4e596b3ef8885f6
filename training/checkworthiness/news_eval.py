"""Desk ranking on the annotated real-news dev articles: one command, one table per language.

    python training/checkworthiness/news_eval.py --data ../shared/datasets [--json]

Metrics (per language, pooled over articles, 95% bootstrap intervals over articles):
- top@5: share of gold top claims with one of their sentences among the article's 5 best-ranked;
- non@5: share of the top-5 slots taken by gold non-claims;
- nonflag: share of gold non-claims at or above the check-worthy threshold;
- keptflag: share of kept sentences (top + other check-worthy) at or above it (recall);
- each again with the gold boilerplate kinds (byline, credit, teaser, cta, notice, navigation)
  removed before ranking, as the structure step does in production.

Variants: "today" is the sentence-level check-worthiness score with its per-language threshold.
The desk variants are fitted with 5-fold article-level cross-validation (scores of an article come
from a model that never saw it), then calibrated per language (Platt, nested in the same folds) and
flagged at the common threshold 0.5. "shipped (in-sample)" is the shipped desk.npz, which was fitted
on all these articles: optimistic, shown for reference only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import itertools

from training.checkworthiness.news_data import BOILERPLATE_KINDS, dev_articles
from training.checkworthiness.train_desk import (
    THRESHOLD,
    ArticleData,
    article_data,
    oof_calibrated,
    oof_logits,
    subjectivity_head,
)

BOOTSTRAP = 1000


def article_counts(
    d: ArticleData, scores: np.ndarray, threshold: float, drop_boilerplate: bool
) -> dict[str, int]:
    a = d.article
    keep = [
        i
        for i in range(len(scores))
        if not (drop_boilerplate and a.non_claims.get(i) in BOILERPLATE_KINDS)
    ]
    ranked = sorted(keep, key=lambda i: -scores[i])[:5]
    top5 = set(ranked)
    non = [i for i in keep if i in a.non_claims]
    kept = [i for i in keep if a.label(i) in ("top", "checkworthy")]
    return {
        "top": len(a.top_groups),
        "top_hit": sum(1 for g in a.top_groups if g & top5),
        "slots": len(ranked),
        "non_in5": sum(1 for i in ranked if i in a.non_claims),
        "non": len(non),
        "non_flag": sum(1 for i in non if scores[i] >= threshold),
        "kept": len(kept),
        "kept_flag": sum(1 for i in kept if scores[i] >= threshold),
    }


def ratios(rows: list[dict[str, int]]) -> dict[str, float]:
    s = {k: sum(r[k] for r in rows) for k in rows[0]}
    return {
        "top@5": s["top_hit"] / max(s["top"], 1),
        "non@5": s["non_in5"] / max(s["slots"], 1),
        "nonflag": s["non_flag"] / max(s["non"], 1),
        "keptflag": s["kept_flag"] / max(s["kept"], 1),
    }


def with_intervals(
    rows: list[dict[str, int]], seed: int = 7
) -> dict[str, tuple[float, float, float]]:
    point = ratios(rows)
    rng = random.Random(seed)
    samples = [ratios([rng.choice(rows) for _ in rows]) for _ in range(BOOTSTRAP)]
    out = {}
    for k, v in point.items():
        vals = sorted(s[k] for s in samples)
        out[k] = (v, vals[int(0.025 * BOOTSTRAP)], vals[int(0.975 * BOOTSTRAP) - 1])
    return out


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = 5) -> tuple[float, list[tuple]]:
    """Expected calibration error and (bin, n, mean predicted, observed) rows, equal-width bins."""
    rows, ece = [], 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in itertools.pairwise(edges):
        m = (probs >= lo) & ((probs < hi) if hi < 1 else (probs <= hi))
        if m.sum():
            p, o = float(probs[m].mean()), float(labels[m].mean())
            rows.append((f"{lo:.1f}-{hi:.1f}", int(m.sum()), round(p, 3), round(o, 3)))
            ece += m.sum() / len(probs) * abs(p - o)
    return ece, rows


def evaluate(
    data: list[ArticleData], scores: list[np.ndarray], thresholds: dict[str, float]
) -> dict:
    out = {}
    for lang in ("de", "en"):
        idx = [i for i, d in enumerate(data) if d.article.lang == lang]
        res = {}
        for name, drop in (("all", False), ("no-boilerplate", True)):
            rows = [article_counts(data[i], scores[i], thresholds[lang], drop) for i in idx]
            res[name] = with_intervals(rows)
        probs = np.concatenate([scores[i] for i in idx])
        labels = np.concatenate([data[i].kept for i in idx])
        res["ece"], res["bins"] = reliability(probs, labels)
        out[lang] = res
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument(
        "--shared", type=Path, default=None, help="pages; default $CLAIMTRACKER_SHARED or ../shared"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from claims.nlp.checkworthiness import checkworthiness_threshold
    from claims.nlp.ranking import FEATURE_NAMES, desk_model, desk_threshold

    subj = subjectivity_head(args.data, ("train", "dev"))
    data = article_data(dev_articles(args.shared), subj)
    n_art = {lang: sum(d.article.lang == lang for d in data) for lang in ("de", "en")}
    cols = {name: i for i, name in enumerate(FEATURE_NAMES)}
    variants: dict[str, dict] = {}
    today = {lang: checkworthiness_threshold(lang) for lang in ("de", "en")}
    variants["today: check-worthiness score"] = evaluate(
        data, [d.checkworthiness for d in data], today
    )
    rules = ["quantities", "names", "lead", "headline", "position", "question", "short"]
    subsets = {
        "desk CV: checkworthiness + subjectivity": ["checkworthiness", "subjectivity"],
        "desk CV: + quantities, names": ["checkworthiness", "subjectivity", "quantities", "names"],
        "desk CV: + lead, headline, position": [
            "checkworthiness",
            "subjectivity",
            "quantities",
            "names",
            "lead",
            "headline",
            "position",
        ],
        "desk CV: all but news head": ["checkworthiness", "subjectivity", *rules],
        "desk CV: all but subjectivity": ["checkworthiness", "news_head", *rules],
        "desk CV: news head alone": ["news_head"],
        "desk CV: all features (shipped set)": list(FEATURE_NAMES),
    }
    common = {lang: THRESHOLD for lang in ("de", "en")}
    for name, names in subsets.items():
        logits = oof_logits(data, [cols[n] for n in names])
        variants[name] = evaluate(data, oof_calibrated(data, logits), common)
    for train_lang in ("de", "en"):
        logits = oof_logits(data, list(range(len(FEATURE_NAMES))), train_lang=train_lang)
        variants[f"desk: all features, trained on {train_lang} only (CV)"] = evaluate(
            data, oof_calibrated(data, logits), common
        )
    model = desk_model()
    shipped = []
    head = (model.news_coef, model.news_bias)
    for d in data:
        shipped.append(model.calibrate(model.raw_logits(d.with_head(head)), d.article.lang))
    variants["shipped desk.npz (in-sample)"] = evaluate(
        data, shipped, {lang: desk_threshold() for lang in ("de", "en")}
    )
    if args.json:
        print(json.dumps({"articles": n_art, "variants": variants}, indent=1))
        return
    print(f"dev articles: {n_art}; 95% bootstrap intervals over articles\n")
    for lang in ("de", "en"):
        print(f"## {lang}\n")
        print(
            "| variant | top@5 | non@5 | non flagged | kept flagged | top@5 no-bp | non@5 no-bp | "
            "non flagged no-bp | ECE |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for name, res in variants.items():
            r = res[lang]

            def cell(part: str, key: str, r: dict = r) -> str:
                v, lo, hi = r[part][key]
                return f"{v:.2f} [{lo:.2f}, {hi:.2f}]"

            print(
                f"| {name} | {cell('all', 'top@5')} | {cell('all', 'non@5')} | "
                f"{cell('all', 'nonflag')} | {cell('all', 'keptflag')} | "
                f"{cell('no-boilerplate', 'top@5')} | {cell('no-boilerplate', 'non@5')} | "
                f"{cell('no-boilerplate', 'nonflag')} | {r['ece']:.3f} |"
            )
        print()
    print("## Reliability (equal-width bins: n, mean predicted, observed share kept)\n")
    for name in ("today: check-worthiness score", "desk CV: all features (shipped set)"):
        for lang in ("de", "en"):
            bins = variants[name][lang]["bins"]
            print(
                f"- {name}, {lang}: "
                + "; ".join(f"{b} n={n} p={p:.2f} obs={o:.2f}" for b, n, p, o in bins)
            )


if __name__ == "__main__":
    main()
