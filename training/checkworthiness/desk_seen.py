"""The desk model trained on every seen split against dev only: same folds, paired bootstrap.

    PYTHONPATH=. python training/checkworthiness/desk_seen.py --shared ../shared [--refresh]

"Seen" = dev + heldout + final + blind + fresh (training.checkworthiness.unit_data.SEEN; fresh
since round "context", so a rerun reads it too): the last four were each scored once as unseen
data and are spent since, so every number here is a development number. A new untouched split
is never read (unit_data refuses it).

1. Cross-validation, the same folds for both recipes: 5 folds by article over all seen articles
   (stratified by language, sorted ids round robin). For each fold, the "dev" recipe trains on the
   dev articles of the other folds, the "seen" recipe on all articles of the other folds; both
   score the fold's articles (news head, desk weights and per-language Platt scaling all fitted
   without them). Differences come with a paired article bootstrap (the same resampled articles
   for both recipes).
2. Cross-split: trained on dev + heldout, scored on final + blind (against dev only).
3. Cross-language (the desk and its news head are shared by both languages): trained on one
   language's seen articles, the other language scored (ranking metrics; the Platt scaling of the
   training language).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.checkworthiness.desk_cv import BASE, ece, fit, logits, ordered_pairwise, unit_data
from training.checkworthiness.train_desk import FOLDS, THRESHOLD, ArticleData, fit_platt, folds_of
from training.checkworthiness.unit_data import SEEN, unit_articles

METRICS = ("top5_recall", "top5_nonclaims", "nonclaims_flagged")
SHORT = {"top5_recall": "top5", "top5_nonclaims": "non5", "nonclaims_flagged": "nonflag"}
BOOTSTRAP = 1000
DESK_C = 1.0


def ordered_nonclaims_last(feats, data, columns, c):
    """Pairwise with the annotators' order, and gold non-claims below unlabelled units too."""
    from training.checkworthiness.desk_cv import pairwise

    return pairwise(feats, data, columns, c, key="ordered_non")


def add_nonclaim_grade(data: list[ArticleData]) -> None:
    for d in data:
        d.ordered_non = np.where(d.article.non_claim[d.index] > 0, -1.0, d.ordered)


def counts(d: ArticleData, scores: np.ndarray, threshold: float = THRESHOLD) -> dict:
    """The evaluation's per-article numerator/denominator pairs with these scores."""
    from training.extraction.evaluate import score_article

    a = d.article
    full = np.zeros(len(a.claims))
    full[d.index] = scores
    claims = [
        dataclasses.replace(
            c, score=float(full[k]), checkworthy=bool(c.candidate and full[k] >= threshold)
        )
        for k, c in enumerate(a.claims)
    ]
    return score_article(a.gold, a.text, claims, None)[0].values


def _ratio(rows: Sequence[dict], name: str) -> float:
    hit = sum(r.get(name, [0, 0])[0] for r in rows)
    total = sum(r.get(name, [0, 0])[1] for r in rows)
    return hit / total if total else float("nan")


def compare(rows_a: list[dict], rows_b: list[dict], seed: int = 0) -> dict[str, dict]:
    """Pooled value of each recipe, 95 % bootstrap of each and of the paired difference b - a."""
    rng = random.Random(seed)
    n = len(rows_a)
    samples = [[rng.randrange(n) for _ in range(n)] for _ in range(BOOTSTRAP)]
    out = {}
    for m in METRICS:
        va, vb = _ratio(rows_a, m), _ratio(rows_b, m)
        boot_a, boot_b, diff = [], [], []
        for s in samples:
            ra, rb = _ratio([rows_a[i] for i in s], m), _ratio([rows_b[i] for i in s], m)
            boot_a.append(ra)
            boot_b.append(rb)
            diff.append(rb - ra)

        def ci(xs: list[float]) -> tuple[float, float]:
            xs = sorted(x for x in xs if x == x)
            return xs[int(0.025 * (len(xs) - 1))], xs[int(0.975 * (len(xs) - 1))]

        total = sum(r.get(m, [0, 0])[1] for r in rows_a)
        out[m] = {"a": va, "b": vb, "ci_a": ci(boot_a), "ci_b": ci(boot_b), "diff": ci(diff)}
        out[m]["n"] = total
    return out


def fmt(result: dict[str, dict]) -> str:
    cells = []
    for m in METRICS:
        r = result[m]
        cells.append(
            f"{SHORT[m]} {r['a']:.3f} [{r['ci_a'][0]:.2f}-{r['ci_a'][1]:.2f}] -> {r['b']:.3f} "
            f"[{r['ci_b'][0]:.2f}-{r['ci_b'][1]:.2f}] diff {r['b'] - r['a']:+.3f} "
            f"[{r['diff'][0]:+.3f}, {r['diff'][1]:+.3f}] n={r['n']}"
        )
    return "\n      ".join(cells)


def cv_scores(
    data: list[ArticleData],
    fold: list[int],
    trains: Callable[[ArticleData], bool],
    fitter: Callable,
    columns: list[int] = BASE,
) -> list[np.ndarray]:
    """Out-of-fold calibrated scores: in each fold, fit on the other folds' articles that
    ``trains`` accepts; Platt per language on those training articles' out-of-fold logits."""
    raw: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        train = [d for d, g in zip(data, fold, strict=True) if g != f and trains(d)]
        params = fit(train, columns, fitter, DESK_C)
        for i, d in enumerate(data):
            if fold[i] == f:
                raw[i] = logits(params, d)
    out: list[np.ndarray] = [np.zeros(0)] * len(data)
    for lang in ("de", "en"):
        for f in range(FOLDS):
            idx = [
                i
                for i, d in enumerate(data)
                if d.article.lang == lang and fold[i] != f and trains(d)
            ]
            a, c = fit_platt(
                np.concatenate([raw[i] for i in idx]), np.concatenate([data[i].kept for i in idx])
            )
            for i, d in enumerate(data):
                if d.article.lang == lang and fold[i] == f:
                    out[i] = 1 / (1 + np.exp(-(a * raw[i] + c)))
    return out


def trained_scores(
    train: list[ArticleData], scored: list[ArticleData], fitter: Callable, platt_lang=None
) -> list[np.ndarray]:
    """Fit on ``train`` (Platt per language on its own out-of-fold logits), score ``scored``."""
    params = fit(train, BASE, fitter, DESK_C)
    fold = folds_of(train)
    raw: list[np.ndarray] = [np.zeros(0)] * len(train)
    for f in range(FOLDS):
        inner = fit([d for d, g in zip(train, fold, strict=True) if g != f], BASE, fitter, DESK_C)
        for i, d in enumerate(train):
            if fold[i] == f:
                raw[i] = logits(inner, d)
    platt = {}
    for lang in ("de", "en"):
        idx = [i for i, d in enumerate(train) if d.article.lang == lang]
        if idx:
            platt[lang] = fit_platt(
                np.concatenate([raw[i] for i in idx]), np.concatenate([train[i].kept for i in idx])
            )
    out = []
    for d in scored:
        a, c = platt.get(d.article.lang) or platt[platt_lang]
        out.append(1 / (1 + np.exp(-(a * logits(params, d) + c))))
    return out


def centred(data: list[ArticleData]) -> list[ArticleData]:
    """The same articles with each unit's embedding minus its article's candidate mean (the news
    head then learns what sets a unit apart within its article, not the article's topic)."""
    out = []
    for d in data:
        c = copy.copy(d)
        if len(d.embeddings):
            c.embeddings = d.embeddings - d.embeddings.mean(axis=0, keepdims=True)
        out.append(c)
    return out


def gbm_cv_scores(data: list[ArticleData], fold: list[int]) -> list[np.ndarray]:
    """Out-of-fold scores of a small gradient-boosted classifier (depth 3, 150 rounds, rate
    0.05, leaves of 40+ units) over the same ten features, news head cross-fitted: is the limit
    the linear combination? (Not calibrated: its flagged rates do not count.)"""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from training.checkworthiness.train_desk import cross_fitted_features

    out: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        train = [d for d, g in zip(data, fold, strict=True) if g != f]
        feats, head = cross_fitted_features(train, BASE)
        model = HistGradientBoostingClassifier(
            max_depth=3, learning_rate=0.05, max_iter=150, min_samples_leaf=40, random_state=0
        )
        model.fit(
            np.vstack(feats),
            np.concatenate([d.kept for d in train]),
            sample_weight=np.concatenate([d.weight for d in train]),
        )
        for i, d in enumerate(data):
            if fold[i] == f:
                x = d.with_head(head)
                out[i] = 1 / (1 + np.exp(-model.decision_function(x))) if len(x) else x[:, 0]
    return out


def learning_curve(data: list[ArticleData], repeats: int = 3) -> None:
    """Out-of-fold top@5 (same folds) when each fold trains on a random share of its training
    articles (per language), averaged over ``repeats`` draws: does more data move the ranking?"""
    fold = folds_of(data)
    print("\n== learning curve: share of the training folds' seen articles -> CV top5 / non5")
    for share in (0.25, 0.5, 0.75, 1.0):
        cells = {"de": [], "en": []}
        for r in range(repeats if share < 1 else 1):
            rng = random.Random(r)
            chosen = {d.article.id for d in data if rng.random() < share}
            picked = lambda d, chosen=chosen: d.article.id in chosen  # noqa: E731
            scores = cv_scores(data, fold, picked, ordered_pairwise)
            rows = [counts(d, s) for d, s in zip(data, scores, strict=True)]
            for lang in cells:
                sub = [x for x, d in zip(rows, data, strict=True) if d.article.lang == lang]
                cells[lang].append((_ratio(sub, "top5_recall"), _ratio(sub, "top5_nonclaims")))
        text = "  ".join(
            f"{lang} top5 {np.mean([c[0] for c in v]):.3f} "
            f"({', '.join(f'{c[0]:.3f}' for c in v)}) non5 {np.mean([c[1] for c in v]):.3f}"
            for lang, v in cells.items()
        )
        print(f"  {share:.2f} (~{share * 0.8 * len(data):.0f} articles): {text}")
    # The ceiling of this model on these features: fitted on every seen article, scored on them
    # (in-sample). A small gap to the out-of-fold level means bias, not variance.
    scores = trained_scores(data, data, ordered_pairwise)
    rows = [counts(d, s) for d, s in zip(data, scores, strict=True)]
    text = "  ".join(
        f"{lang} top5 {_ratio(sub, 'top5_recall'):.3f} non5 {_ratio(sub, 'top5_nonclaims'):.3f}"
        for lang in ("de", "en")
        if (sub := [x for x, d in zip(rows, data, strict=True) if d.article.lang == lang])
    )
    print(f"  in-sample, fitted on all {len(data)} articles: {text}")


def by_lang(data, rows_a, rows_b, keep=lambda d: True):
    for lang in ("de", "en"):
        idx = [i for i, d in enumerate(data) if d.article.lang == lang and keep(d)]
        yield lang, [rows_a[i] for i in idx], [rows_b[i] for i in idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--refresh", action="store_true", help="run the pipeline again")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: cv,split,lang")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    from claims.nlp.ranking import MODEL_FILE

    with np.load(MODEL_FILE, allow_pickle=False) as z:  # the CheckThat! subjectivity head
        subj = (z["subj_coef"], float(z["subj_bias"]))
    data = unit_data(unit_articles(args.shared, refresh=args.refresh, splits=SEEN), subj)
    for d in data:
        d.features = d.features[:, : len(BASE)]
    add_nonclaim_grade(data)
    split = {d.article.id: d.article.gold.split for d in data}
    for lang in ("de", "en"):
        n = {
            s: sum(d.article.lang == lang and split[d.article.id] == s for d in data) for s in SEEN
        }
        units = sum(len(d.kept) for d in data if d.article.lang == lang)
        print(f"{lang}: articles {n}, candidate units {units}")
    is_dev = lambda d: d.article.gold.split == "dev"  # noqa: E731
    spent = lambda d: d.article.gold.split != "dev"  # noqa: E731
    shipped = [np.array([d.article.claims[k].score for k in d.index]) for d in data]
    rows_shipped = [counts(d, s) for d, s in zip(data, shipped, strict=True)]

    if "cv" not in skip:
        fold = folds_of(data)
        old = cv_scores(data, fold, is_dev, ordered_pairwise)
        rows_old = [counts(d, s) for d, s in zip(data, old, strict=True)]
        variants = [
            ("seen, (b') as shipped", data, ordered_pairwise),
            ("seen, (b') + non-claims below unlabelled", data, ordered_nonclaims_last),
            ("seen, (b') with the news head over article-centred embeddings", centred(data), None),
            ("seen, gradient-boosted trees (pointwise) over the ten features", data, "gbm"),
        ]
        for name, frame, fitter in variants:
            if fitter == "gbm":
                new = gbm_cv_scores(frame, fold)
            else:
                new = cv_scores(frame, fold, lambda d: True, fitter or ordered_pairwise)
            rows_new = [counts(d, s) for d, s in zip(data, new, strict=True)]
            print(f"\n== CV (same folds), dev-trained (b') -> {name}")
            for lang in ("de", "en"):
                e_old, e_new = ece(data, old, lang), ece(data, new, lang)
                print(f"  ECE {lang} {e_old[0]} -> {e_new[0]}; reliability (n, mean p, kept)")
                print(f"      {e_old[1]}\n      {e_new[1]}")
            for part, keep in (("all seen", lambda d: True), ("dev", is_dev), ("spent", spent)):
                for lang, ra, rb in by_lang(data, rows_old, rows_new, keep):
                    print(f"  {part:8s} {lang}: {fmt(compare(ra, rb))}")
        print("\n== spent articles: shipped desk.npz (dev-trained, unseen there) -> CV dev recipe")
        for lang, ra, rb in by_lang(data, rows_shipped, rows_old, spent):
            print(f"  spent {lang}: {fmt(compare(ra, rb))}")

    if "c" not in skip:  # one more variant: a weaker news-head regularisation for twice the data
        import training.checkworthiness.train_desk as td

        fold = folds_of(data)
        old = cv_scores(data, fold, is_dev, ordered_pairwise)
        rows_old = [counts(d, s) for d, s in zip(data, old, strict=True)]
        saved = td.NEWS_C
        td.NEWS_C = 1.0
        try:
            new = cv_scores(data, fold, lambda d: True, ordered_pairwise)
        finally:
            td.NEWS_C = saved
        rows_new = [counts(d, s) for d, s in zip(data, new, strict=True)]
        print("\n== CV (same folds), dev-trained (b') -> seen, (b') with news head C 1.0")
        for lang, ra, rb in by_lang(data, rows_old, rows_new):
            print(f"  all seen {lang}: {fmt(compare(ra, rb))}")

    if "curve" not in skip:
        learning_curve(data)

    if "split" not in skip:
        train_old = [d for d in data if split[d.article.id] == "dev"]
        train_new = [d for d in data if split[d.article.id] in ("dev", "heldout")]
        scored = [d for d in data if split[d.article.id] in ("final", "blind")]
        ra = [
            counts(d, s)
            for d, s in zip(
                scored, trained_scores(train_old, scored, ordered_pairwise), strict=True
            )
        ]
        rb = [
            counts(d, s)
            for d, s in zip(
                scored, trained_scores(train_new, scored, ordered_pairwise), strict=True
            )
        ]
        rs = [rows_shipped[data.index(d)] for d in scored]
        print("\n== cross-split: final + blind scored; dev -> dev + heldout")
        for lang, x, y in by_lang(scored, ra, rb):
            print(f"  {lang}: {fmt(compare(x, y))}")
        print("   (shipped desk.npz on final + blind -> dev + heldout)")
        for lang, x, y in by_lang(scored, rs, rb):
            print(f"  {lang}: {fmt(compare(x, y))}")

    if "lang" not in skip:
        print("\n== cross-language: trained on the other language (dev only -> seen)")
        for lang, other in (("de", "en"), ("en", "de")):
            scored = [d for d in data if d.article.lang == lang]
            rows = []
            for splits in (("dev",), SEEN):
                train = [
                    d for d in data if d.article.lang == other and split[d.article.id] in splits
                ]
                s = trained_scores(train, scored, ordered_pairwise, platt_lang=other)
                rows.append([counts(d, x) for d, x in zip(scored, s, strict=True)])
            print(f"  {other} -> {lang}: {fmt(compare(rows[0], rows[1]))}")


if __name__ == "__main__":
    main()
