"""A distribution-shift check on training data only: train on old debates, test on new ones.

    python training/checkworthiness/shift_proxy.py --data ../shared/datasets

The CheckThat! 2024 test set is newer than its training data and dev scores overstate test scores.
To see which English components generalise over time without touching any test data, this trains
on ClaimBuster crowdsourced debates before 2000 and scores those from 2008-2016 (same annotation,
newer topics and speakers): average precision, best F1(pos), and F1 at fixed thresholds of the
shipped model's stacking weights.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from claims.nlp.checkworthiness import TOKEN_PATTERN, linguistic_features  # noqa: E402
from training.checkworthiness.data import claimbuster  # noqa: E402
from training.checkworthiness.embed_cache import cached_embeddings  # noqa: E402
from training.checkworthiness.metrics import average_precision, f1_positive  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1].parent / "shared/datasets")
    args = parser.parse_args(argv)
    split = claimbuster(args.data, "crowdsourced")
    with (args.data / "claimbuster" / "crowdsourced.csv").open(encoding="utf-8") as fh:
        years = np.array([int(r["File_id"][:4]) for r in csv.DictReader(fh)])
    emb = cached_embeddings(split.name, split.texts)
    texts = np.array(split.texts, dtype=object)
    y = np.array(split.labels)
    old, new = years < 2000, years >= 2008

    lr = LogisticRegression(C=3, max_iter=3000).fit(emb[old], y[old])
    mlp = MLPClassifier((256,), alpha=1e-3, early_stopping=True, random_state=13, max_iter=200)
    mlp.fit(emb[old], y[old])
    p = np.clip(mlp.predict_proba(emb[new])[:, 1], 1e-6, 1 - 1e-6)
    vec = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=2, sublinear_tf=True
    )
    tfidf = LogisticRegression(C=3, max_iter=3000).fit(vec.fit_transform(texts[old]), y[old])
    feats = linguistic_features(list(texts), "en")
    feat = LogisticRegression(C=1, max_iter=3000).fit(feats[old], y[old])
    logits = {
        "USE + LR": lr.decision_function(emb[new]),
        "USE + MLP": np.log(p / (1 - p)),
        "TF-IDF + LR": tfidf.decision_function(vec.transform(texts[new])),
        "features + LR": feat.decision_function(feats[new]),
    }
    # The shipped English mix (stacking weights from train.py) applied to these components.
    meta = json.loads(
        str(np.load(HERE.parents[1] / "claims/nlp/models/checkworthiness/model.npz")["meta"])
    )
    mix = meta["languages"]["en"]["mix"]
    logits["stack as shipped (MLP, TF-IDF, features)"] = (
        mix[0] * logits["USE + MLP"]
        + mix[1] * logits["TF-IDF + LR"]
        + mix[2] * logits["features + LR"]
        + meta["languages"]["en"]["mix_bias"]
    )
    yn = list(y[new])
    print(f"train: {old.sum()} sentences 1960-1996; test: {new.sum()} sentences 2008-2016")
    print("| component | AP | best F1(pos) |")
    print("|---|---|---|")
    for name, z in logits.items():
        best = max(
            f1_positive(yn, list((z >= t).astype(int)))
            for t in np.quantile(z, np.linspace(0.4, 0.95, 56))
        )
        print(f"| {name} | {average_precision(yn, list(z)):.3f} | {best:.3f} |")
    prob = 1 / (1 + np.exp(-logits["stack as shipped (MLP, TF-IDF, features)"]))
    cells = [
        f"{t:.2f}: {f1_positive(yn, list((prob >= t).astype(int))):.3f}"
        for t in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
    ]
    print("stack F1(pos) by threshold: " + ", ".join(cells))


if __name__ == "__main__":
    main()
