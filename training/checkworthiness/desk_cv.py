"""Desk model variants on the pipeline's units of the dev articles, article-level cross-validated.

    PYTHONPATH=. python training/checkworthiness/desk_cv.py --data ../shared/datasets \
        --shared ../shared [--refresh] [--splits dev|seen|dev,heldout]

Every variant's scores of an article come from a model (news head, desk weights and the
per-language Platt scaling) that never saw that article (5 folds by article, stratified by
language). The metrics are the evaluation's own (training.extraction.evaluate.score_article):
the out-of-fold scores replace the pipeline's, check-worthy = candidate and score >= 0.5.
Only candidate units are ranked and trained on (the others are context, never check-worthy).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.checkworthiness.desk_extras import EXTRA_NAMES, extra_features
from training.checkworthiness.train_desk import (
    FOLDS,
    NEWS_COLUMN,
    THRESHOLD,
    ArticleData,
    cross_fitted_features,
    folds_of,
    oof_calibrated,
)
from training.checkworthiness.unit_data import UnitArticle, unit_articles

TOP_WEIGHT = 3.0


def unit_data(articles: list[UnitArticle], subj: tuple[np.ndarray, float]) -> list[ArticleData]:
    """Desk features of each article's candidate units (news head column filled per fold)."""
    from claims.nlp.ranking import desk_features

    out = []
    for a in articles:
        cand = np.flatnonzero(a.candidate)
        emb = a.embeddings[cand]
        feats = desk_features(
            [a.units[i] for i in cand],
            lang=a.lang,
            embeddings=emb,
            segments=[a.segments[i] for i in cand],
            positions=[int(i) for i in cand],
            title=a.title,
            checkworthiness=a.checkworthiness[cand],
            subjectivity=emb @ subj[0] + subj[1],
            news_head=np.zeros(len(cand)),
        )
        extra = extra_features(
            [a.units[i] for i in cand],
            lang=a.lang,
            segments=[a.segments[i] for i in cand],
            positions=[int(i) for i in cand],
            claimants=[a.claimant[i] for i in cand],
            reported=[a.reported[i] for i in cand],
            checkworthiness_logits=feats[:, 0],
        )
        feats = np.hstack([feats, extra])
        kept = a.kept[cand]
        top = a.top[cand]
        weight = np.where(top > 0, TOP_WEIGHT, 1.0)
        d = ArticleData(a, feats, a.checkworthiness[cand], kept, weight, emb)
        d.grade = kept + top  # 2 top claim, 1 other check-worthy, 0 rest
        # With the annotators' order of their top claims: first 5, second 4, third 3.
        rank = a.top_rank[cand]
        d.ordered = np.where(rank >= 0, 5.0 - np.maximum(rank, 0), kept)
        d.index = cand
        out.append(d)
    return out


def _standardise(x: np.ndarray, columns: list[int]):
    mean = np.zeros(x.shape[1])
    scale = np.ones(x.shape[1])
    mean[columns] = x[:, columns].mean(axis=0)
    scale[columns] = x[:, columns].std(axis=0) + 1e-9
    return mean, scale


def pointwise(feats: list[np.ndarray], data: list[ArticleData], columns: list[int], c: float):
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(feats)
    mean, scale = _standardise(x, columns)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(
        ((x - mean) / scale)[:, columns],
        np.concatenate([d.kept for d in data]),
        np.concatenate([d.weight for d in data]),
    )
    coef = np.zeros(x.shape[1])
    coef[columns] = model.coef_[0]
    return mean, scale, coef, float(model.intercept_[0])


def pairwise(
    feats: list[np.ndarray], data: list[ArticleData], columns: list[int], c: float, key="grade"
):
    """Within-article pairs: top claim > other check-worthy > rest (logistic loss on differences,
    every article's pairs weigh as much as its candidates, so long articles do not dominate)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(feats)
    mean, scale = _standardise(x, columns)
    diffs, weights = [], []
    for f, d in zip(feats, data, strict=True):
        z = ((f - mean) / scale)[:, columns]
        grade = getattr(d, key)
        hi, lo = np.nonzero(grade[:, None] > grade[None, :])
        if not len(hi):
            continue
        diffs.append(z[hi] - z[lo])
        weights.append(np.full(len(hi), len(grade) / len(hi)))
    dx = np.vstack(diffs)
    w = np.concatenate(weights)
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(np.vstack([dx, -dx]), np.r_[np.ones(len(dx)), np.zeros(len(dx))], np.r_[w, w])
    coef = np.zeros(x.shape[1])
    coef[columns] = model.coef_[0]
    return mean, scale, coef, 0.0


def ordered_pairwise(feats, data, columns, c):
    """Pairwise with the annotators' order among their top claims as well."""
    return pairwise(feats, data, columns, c, key="ordered")


def fit(data: list[ArticleData], columns: list[int], fitter: Callable, c: float) -> dict:
    feats, head = cross_fitted_features(data, columns)
    mean, scale, coef, bias = fitter(feats, data, columns, c)
    return {"mean": mean, "scale": scale, "coef": coef, "bias": bias, "head": head}


def logits(params: dict, d: ArticleData) -> np.ndarray:
    x = d.with_head(params["head"])
    return ((x - params["mean"]) / params["scale"]) @ params["coef"] + params["bias"]


def oof(data: list[ArticleData], columns: list[int], fitter: Callable, c: float, lang=None):
    fold = folds_of(data)
    out: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        train = [
            d
            for d, g in zip(data, fold, strict=True)
            if g != f and (lang is None or d.article.lang == lang)
        ]
        params = fit(train, columns, fitter, c)
        for i, d in enumerate(data):
            if fold[i] == f:
                out[i] = logits(params, d)
    return out


def evaluate(data: list[ArticleData], scores: list[np.ndarray], threshold: float = THRESHOLD):
    """The evaluation's metrics with these scores in place of the pipeline's."""
    from training.extraction.evaluate import aggregate, score_article

    rows: dict[str, list] = {"de": [], "en": []}
    for d, s in zip(data, scores, strict=True):
        a: UnitArticle = d.article
        full = np.zeros(len(a.claims))
        full[d.index] = s
        claims = [
            dataclasses.replace(
                c, score=float(full[k]), checkworthy=bool(c.candidate and full[k] >= threshold)
            )
            for k, c in enumerate(a.claims)
        ]
        rows[a.lang].append(score_article(a.gold, a.text, claims, None)[0])
    out = {}
    for lang, r in rows.items():
        if not r:
            continue
        m = aggregate(r)
        out[lang] = {k: m[k] for k in ("top5_recall", "top5_nonclaims", "nonclaims_flagged")}
        # Recall of the threshold: gold check-worthy candidate units scored at or above it.
        kept = [
            (s >= threshold)[d.kept > 0]
            for d, s in zip(data, scores, strict=True)
            if d.article.lang == lang
        ]
        out[lang]["kept_flagged"] = {"value": float(np.concatenate(kept).mean())}
    return out


def ece(data: list[ArticleData], scores: list[np.ndarray], lang: str, bins: int = 5):
    p = np.concatenate([s for d, s in zip(data, scores, strict=True) if d.article.lang == lang])
    y = np.concatenate([d.kept for d in data if d.article.lang == lang])
    edges = np.minimum((p * bins).astype(int), bins - 1)
    table, total = [], 0.0
    for b in range(bins):
        m = edges == b
        if m.any():
            table.append((int(m.sum()), round(float(p[m].mean()), 2), round(float(y[m].mean()), 2)))
            total += m.sum() * abs(p[m].mean() - y[m].mean())
    return round(total / len(p), 3), table


def seed_rank(data: list[ArticleData], scores: list[np.ndarray]) -> str:
    for d, s in zip(data, scores, strict=True):
        if d.article.id == "seed-hanoi":
            order = np.argsort(-s, kind="stable")
            return " | ".join(f"{s[k]:.2f} {d.article.units[d.index[k]][:70]}" for k in order[:3])
    return "-"


def short(result: dict) -> str:
    cells = []
    for lang, m in result.items():
        r = m["top5_recall"]
        cells.append(
            f"{lang} top5 {r['value']:.2f} [{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}] "
            f"non5 {m['top5_nonclaims']['value']:.2f} "
            f"nonflag {m['nonclaims_flagged']['value']:.2f} "
            f"kept {m['kept_flagged']['value']:.2f}"
        )
    return " | ".join(cells)


NAMES: tuple[str, ...] = ()  # filled in main(): FEATURE_NAMES + EXTRA_NAMES
BASE = list(range(10))


def _variants() -> list[tuple[str, list[int], Callable]]:
    col = {n: i for i, n in enumerate(NAMES)}
    extra = [col[n] for n in EXTRA_NAMES]
    out = [
        ("sentence score only", [0], pointwise),
        ("(a) pointwise, 10 features", BASE, pointwise),
        ("(b) pairwise (top > check-worthy > rest), 10 features", BASE, pairwise),
        ("(b') pairwise with the annotators' top-claim order, 10 features", BASE, ordered_pairwise),
        ("(a) without the news head", [c for c in BASE if c != NEWS_COLUMN], pointwise),
        ("(b') without the news head", [c for c in BASE if c != NEWS_COLUMN], ordered_pairwise),
    ]
    for n in EXTRA_NAMES:
        out.append((f"(c) (b') + {n}", [*BASE, col[n]], ordered_pairwise))
        out.append((f"(c) (a) + {n}", [*BASE, col[n]], pointwise))
    out += [
        ("(c) (a) + all eight", BASE + extra, pointwise),
        ("(c) (b) + all eight", BASE + extra, pairwise),
        ("(c) (b') + all eight", BASE + extra, ordered_pairwise),
    ]
    return out


def main() -> None:
    global NAMES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--refresh", action="store_true", help="run the pipeline again")
    parser.add_argument("--only", default="", help="run the variants whose name holds this")
    parser.add_argument("--splits", default="dev", help='"dev" (default), "seen" or a list')
    args = parser.parse_args()
    from claims.nlp.ranking import FEATURE_NAMES, MODEL_FILE
    from training.checkworthiness.unit_data import parse_splits

    NAMES = FEATURE_NAMES + EXTRA_NAMES
    with np.load(MODEL_FILE, allow_pickle=False) as z:  # the CheckThat! subjectivity head
        subj = (z["subj_coef"], float(z["subj_bias"]))
    splits = parse_splits(args.splits)
    data = unit_data(unit_articles(args.shared, refresh=args.refresh, splits=splits), subj)
    shipped = [np.array([d.article.claims[k].score for k in d.index]) for d in data]
    label = "pipeline scores when the units were captured"
    print(f"{label:66s} {short(evaluate(data, shipped))}")
    print("   seed-hanoi top 3:", seed_rank(data, shipped))
    for name, columns, fitter in _variants():
        if args.only not in name:
            continue
        scores = oof_calibrated(data, oof(data, columns, fitter, 1.0))
        e = {lang: ece(data, scores, lang) for lang in ("de", "en")}
        print(f"{name:66s} {short(evaluate(data, scores))} ECE de {e['de'][0]} en {e['en'][0]}")
        print("   seed-hanoi top 3:", seed_rank(data, scores))
        print("   reliability (n, mean p, observed):", json.dumps({k: v[1] for k, v in e.items()}))


if __name__ == "__main__":
    main()
