"""Train the desk ranking model (claims/nlp/models/checkworthiness/desk.npz).

1. Subjectivity head: logistic regression over multilingual USE embeddings, trained on CheckThat!
   2025 task 1 German + English news sentences (train + dev; dev-test only scored, never used for a
   choice after the C value was picked on dev).
2. News head: logistic regression over the same embeddings, on the annotated articles' candidate
   units (kept or not; top claims weigh 3). Inside the desk model it is cross-fitted: the desk
   weights see out-of-fold head logits.
3. Desk model: a linear model over the named features of claims.nlp.ranking, fitted on the units
   the integrated pipeline produces for the annotated real-news articles of ``--splits`` ("dev",
   the default and the shipped file's data; "seen" = dev + heldout + final + blind + fresh; or a
   comma-separated list, see training/checkworthiness/unit_data.py) (real structure
   segments; only candidate units), with a within-article pairwise objective: the annotators'
   first top claim above their second above their third above other check-worthy units above the
   rest (training/checkworthiness/desk_cv.py, where the variants are compared).
4. Per-language Platt scaling on article-level cross-validated (out-of-fold) logits, so a score is
   P(kept) in both languages; one common threshold 0.5 (no tuning: "more likely kept than not").

    PYTHONPATH=. python training/checkworthiness/train_desk.py --data ../shared/datasets \
        --shared ../shared [--splits dev|seen|dev,heldout] [--subjectivity shipped] [--out DIR]

``--subjectivity shipped`` copies the subjectivity head of the shipped desk.npz instead of
refitting it on CheckThat! 2025 (the same data, so the same head; no embedding run);
``--limit N`` trains on the first N articles per language and split (a smoke test, not a model).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.checkworthiness.embed_cache import cached_embeddings
from training.checkworthiness.news_data import NewsArticle, subjectivity_split

NEWS_C = 0.3  # news head; 0.1 / 0.3 / 1.0 within noise in article-level CV
SUBJ_C = 0.3  # picked on the 2025 dev split (mean macro-F1 de/en), see the model card
DESK_C = 1.0
TOP_WEIGHT = 3.0
THRESHOLD = 0.5
NEWS_COLUMN = 2  # index of "news_head" in claims.nlp.ranking.FEATURE_NAMES
FOLDS = 5


def subjectivity_head(root: Path, parts: tuple[str, ...]) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for lang in ("de", "en"):
        for part in parts:
            texts, labels = subjectivity_split(root, lang, part)
            xs.append(cached_embeddings(f"subj-{lang}-{part}", texts))
            ys.extend(labels)
    model = LogisticRegression(C=SUBJ_C, max_iter=2000, class_weight="balanced")
    model.fit(np.vstack(xs), np.array(ys))
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def subjectivity_report(root: Path, coef: np.ndarray, bias: float) -> dict[str, float]:
    from sklearn.metrics import f1_score

    out = {}
    for lang in ("de", "en"):
        for part in ("dev", "dev_test"):
            texts, labels = subjectivity_split(root, lang, part)
            logits = cached_embeddings(f"subj-{lang}-{part}", texts) @ coef + bias
            out[f"{lang}-{part}"] = float(f1_score(labels, logits >= 0, average="macro"))
    return out


@dataclass
class ArticleData:
    article: NewsArticle
    features: np.ndarray
    checkworthiness: np.ndarray
    kept: np.ndarray  # 1 = top claim or other check-worthy sentence
    weight: np.ndarray
    embeddings: np.ndarray

    def with_head(self, head: tuple[np.ndarray, float] | None) -> np.ndarray:
        """The features with the news head's logits filled in (zeros without a head)."""
        out = self.features.copy()
        out[:, NEWS_COLUMN] = 0.0 if head is None else self.embeddings @ head[0] + head[1]
        return out


def article_data(articles: list[NewsArticle], subj: tuple[np.ndarray, float]) -> list[ArticleData]:
    from claims.nlp.checkworthiness import checkworthiness_scores
    from claims.nlp.ranking import desk_features

    out = []
    for lang in ("de", "en"):
        arts = [a for a in articles if a.lang == lang]
        vectors = cached_embeddings(f"news-{lang}", [s for a in arts for s in a.sentences])
        start = 0
        for a in arts:
            emb = vectors[start : start + len(a.sentences)]
            start += len(a.sentences)
            cw = np.array(checkworthiness_scores(a.sentences, lang=lang, embeddings=emb))
            feats = desk_features(
                a.sentences,
                lang=lang,
                embeddings=emb,
                title=a.title,
                checkworthiness=cw,
                subjectivity=emb @ subj[0] + subj[1],
                news_head=np.zeros(len(cw)),  # filled per fold (cross-fitting)
            )
            kept = np.array(
                [1 if a.label(i) in ("top", "checkworthy") else 0 for i in range(len(cw))]
            )
            weight = np.array([TOP_WEIGHT if i in a.top else 1.0 for i in range(len(cw))])
            out.append(ArticleData(a, feats, cw, kept, weight, emb))
    return out


def fit_head(data: list[ArticleData]) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=NEWS_C, max_iter=2000)
    model.fit(
        np.vstack([d.embeddings for d in data]),
        np.concatenate([d.kept for d in data]),
        np.concatenate([d.weight for d in data]),
    )
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def _fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray, columns: list[int]) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean = np.zeros(x.shape[1])
    scale = np.ones(x.shape[1])
    mean[columns] = x[:, columns].mean(axis=0)
    scale[columns] = x[:, columns].std(axis=0) + 1e-9
    model = LogisticRegression(C=DESK_C, max_iter=2000)
    model.fit(((x - mean) / scale)[:, columns], y, w)
    coef = np.zeros(x.shape[1])
    coef[columns] = model.coef_[0]
    return {"mean": mean, "scale": scale, "coef": coef, "bias": float(model.intercept_[0])}


def cross_fitted_features(
    data: list[ArticleData], columns: list[int]
) -> tuple[list[np.ndarray], tuple[np.ndarray, float] | None]:
    """Each article's features for fitting the desk weights, and the news head fitted on all of
    `data` (None when its column is not used). The head's column is cross-fitted: an article's
    value comes from a head that never saw it, so the weights learn how far to trust the head on
    unseen articles rather than on its own training data."""
    if NEWS_COLUMN not in columns:
        return [d.with_head(None) for d in data], None
    fold = folds_of(data)
    feats: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        inner = fit_head([d for d, g in zip(data, fold, strict=True) if g != f])
        for i, d in enumerate(data):
            if fold[i] == f:
                feats[i] = d.with_head(inner)
    return feats, fit_head(data)


def fit_desk(data: list[ArticleData], columns: list[int]) -> dict:
    """Desk weights (and the news head when its column is used, cross-fitted inside `data`)."""
    feats, head = cross_fitted_features(data, columns)
    params = _fit_lr(
        np.vstack(feats),
        np.concatenate([d.kept for d in data]),
        np.concatenate([d.weight for d in data]),
        columns,
    )
    params["head"] = head
    return params


def desk_logits(params: dict, d: ArticleData) -> np.ndarray:
    x = d.with_head(params["head"])
    return ((x - params["mean"]) / params["scale"]) @ params["coef"] + params["bias"]


def folds_of(data: list[ArticleData], k: int = FOLDS) -> list[int]:
    """Article-level folds, stratified by language, stable (sorted ids, round robin)."""
    fold = [0] * len(data)
    for lang in ("de", "en"):
        idx = sorted(
            (i for i, d in enumerate(data) if d.article.lang == lang),
            key=lambda i: data[i].article.id,
        )
        for j, i in enumerate(idx):
            fold[i] = j % k
    return fold


def oof_logits(
    data: list[ArticleData], columns: list[int], train_lang: str | None = None
) -> list[np.ndarray]:
    """Out-of-fold desk logits per article (train_lang: fit only on that language's articles)."""
    fold = folds_of(data)
    out: list[np.ndarray] = [np.zeros(0)] * len(data)
    for f in range(FOLDS):
        train = [
            d
            for d, g in zip(data, fold, strict=True)
            if g != f and (train_lang is None or d.article.lang == train_lang)
        ]
        params = fit_desk(train, columns)
        for i, d in enumerate(data):
            if fold[i] == f:
                out[i] = desk_logits(params, d)
    return out


def fit_platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0, max_iter=2000).fit(logits.reshape(-1, 1), labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def oof_calibrated(data: list[ArticleData], logits: list[np.ndarray]) -> list[np.ndarray]:
    """Per-language Platt scaling, itself cross-validated by article (nested in the same folds)."""
    fold = folds_of(data)
    out: list[np.ndarray] = [np.zeros(0)] * len(data)
    for lang in ("de", "en"):
        for f in range(FOLDS):
            train = [i for i, d in enumerate(data) if d.article.lang == lang and fold[i] != f]
            a, c = fit_platt(
                np.concatenate([logits[i] for i in train]),
                np.concatenate([data[i].kept for i in train]),
            )
            for i, d in enumerate(data):
                if d.article.lang == lang and fold[i] == f:
                    out[i] = 1 / (1 + np.exp(-(a * logits[i] + c)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("claims/nlp/models/checkworthiness"))
    parser.add_argument("--splits", default="dev", help='"dev" (default), "seen" or a list')
    parser.add_argument("--subjectivity", choices=("train", "shipped"), default="train")
    parser.add_argument("--limit", type=int, default=None, help="articles per language and split")
    args = parser.parse_args(argv)
    from sklearn import __version__ as sklearn_version

    from claims.nlp.ranking import FEATURE_NAMES, MODEL_FILE
    from training.checkworthiness.desk_cv import fit, oof, ordered_pairwise, unit_data
    from training.checkworthiness.unit_data import parse_splits, unit_articles

    assert FEATURE_NAMES[NEWS_COLUMN] == "news_head"
    splits = parse_splits(args.splits)
    if args.subjectivity == "shipped":
        with np.load(MODEL_FILE, allow_pickle=False) as z:
            subj = (z["subj_coef"], float(z["subj_bias"]))
    else:
        head = subjectivity_head(args.data, ("train",))
        print("subjectivity (train only):", json.dumps(subjectivity_report(args.data, *head)))
        subj = subjectivity_head(args.data, ("train", "dev"))
        report = json.dumps(subjectivity_report(args.data, *subj))
        print("subjectivity (shipped, train+dev):", report)
    data = unit_data(unit_articles(args.shared, splits=splits, limit=args.limit), subj)
    columns = list(range(len(FEATURE_NAMES)))
    for d in data:  # the training frame carries the extra (not shipped) variant columns too
        d.features = d.features[:, : len(FEATURE_NAMES)]
    params = fit(data, columns, ordered_pairwise, DESK_C)
    out_of_fold = oof(data, columns, ordered_pairwise, DESK_C)
    platt = {}
    for lang in ("de", "en"):
        idx = [i for i, d in enumerate(data) if d.article.lang == lang]
        platt[lang] = fit_platt(
            np.concatenate([out_of_fold[i] for i in idx]),
            np.concatenate([data[i].kept for i in idx]),
        )
    header = {
        "features": list(FEATURE_NAMES),
        "platt": platt,
        "threshold": THRESHOLD,
        "articles": {lang: sum(d.article.lang == lang for d in data) for lang in ("de", "en")},
        "splits": list(splits),
        "sklearn": sklearn_version,
        "subjectivity_C": SUBJ_C,
        "desk_C": DESK_C,
        "top_weight": TOP_WEIGHT,
        "objective": "within-article pairwise, annotators' top-claim order",
        "data": f"pipeline units of the annotated {'+'.join(splits)} articles (claims.nlp.extract)",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out / "desk.npz",
        header=np.array(json.dumps(header)),
        mean=params["mean"].astype(np.float64),
        scale=params["scale"].astype(np.float64),
        coef=params["coef"].astype(np.float64),
        bias=np.array(params["bias"]),
        subj_coef=subj[0],
        subj_bias=np.array(subj[1]),
        news_coef=params["head"][0],
        news_bias=np.array(params["head"][1]),
    )
    print(
        "desk weights:",
        {n: round(float(c), 3) for n, c in zip(FEATURE_NAMES, params["coef"], strict=True)},
        "bias",
        round(params["bias"], 3),
    )
    print("platt:", platt)


if __name__ == "__main__":
    main()
