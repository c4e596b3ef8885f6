"""Train the check-worthiness model and write claims/nlp/models/checkworthiness/model.npz.

    python training/checkworthiness/train.py --data ../shared/datasets \\
        --out claims/nlp/models/checkworthiness [--config training/checkworthiness/config.json]

Per language, every component in the config (a logistic regression over USE embeddings, word
TF-IDF n-grams or linguistic features) is trained on its weighted training splits; their logits are
mixed by a logistic regression fitted on out-of-fold logits of the `stack_on` split (stacking), and
the decision threshold is the one that maximises the task metric on the dev splits. Embeddings are
cached under /tmp (see embed_cache.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from claims.nlp.checkworthiness import TOKEN_PATTERN, linguistic_features  # noqa: E402
from training.checkworthiness.data import Split, all_splits  # noqa: E402
from training.checkworthiness.embed_cache import cached_embeddings  # noqa: E402
from training.checkworthiness.metrics import f1_positive, germeval_official  # noqa: E402

METRICS = {"f1_positive": f1_positive, "germeval_official": germeval_official}


class Component:
    """One linear model over one kind of features, as configured."""

    def __init__(self, spec: dict, lang: str, seed: int) -> None:
        self.spec = spec
        self.lang = lang
        self.seed = seed
        self.vectorizer: TfidfVectorizer | None = None
        self.model: LogisticRegression | None = None

    def _features(self, split: Split, fit: bool = False, idx: np.ndarray | None = None):
        kind = self.spec["kind"]
        texts = split.texts if idx is None else [split.texts[i] for i in idx]
        if kind in ("emb", "emb_mlp"):
            x = cached_embeddings(split.name, split.texts)
            return x if idx is None else x[idx]
        if kind == "feat":
            return linguistic_features(texts, self.lang)
        if kind == "tfidf":
            if fit:
                analyzer = self.spec.get("analyzer", "word")
                self.vectorizer = TfidfVectorizer(
                    lowercase=True,
                    analyzer=analyzer,
                    token_pattern=TOKEN_PATTERN if analyzer == "word" else None,
                    ngram_range=(self.spec.get("ngram_min", 1), self.spec.get("ngram_max", 2)),
                    min_df=self.spec.get("min_df", 2),
                    sublinear_tf=self.spec.get("sublinear_tf", True),
                    norm="l2",
                    dtype=np.float64,
                )
                return self.vectorizer.fit_transform(texts)
            assert self.vectorizer is not None
            return self.vectorizer.transform(texts)
        raise ValueError(kind)

    def fit(self, splits: dict[str, Split], exclude: tuple[str, np.ndarray] | None = None):
        """Fit on the configured splits; `exclude` drops rows of one split (out-of-fold logits)."""
        parts, texts_for_tfidf, ys, ws = [], [], [], []
        for name, weight in self.spec["train"].items():
            split = splits[name]
            idx = np.arange(len(split.texts))
            if exclude is not None and exclude[0] == name:
                idx = np.setdiff1d(idx, exclude[1])
            ys.append(np.asarray(split.labels)[idx])
            ws.append(np.full(len(idx), float(weight)))
            if self.spec["kind"] == "tfidf":
                texts_for_tfidf.extend(split.texts[i] for i in idx)
            else:
                parts.append(self._features(split, idx=idx))
        y = np.concatenate(ys)
        w = np.concatenate(ws)
        if self.spec["kind"] == "tfidf":
            x = self._features(Split("fit", self.lang, texts_for_tfidf, list(y)), fit=True)
        else:
            x = np.vstack(parts)
        if self.spec["kind"] == "emb_mlp":
            # sklearn's MLP takes no sample weights: repeat rows of up-weighted splits instead.
            reps = np.maximum(np.rint(w / w.min()).astype(int), 1)
            self.model = MLPClassifier(
                hidden_layer_sizes=(self.spec.get("hidden", 128),),
                alpha=self.spec.get("alpha", 1e-3),
                early_stopping=True,
                max_iter=200,
                random_state=self.seed,
            ).fit(np.repeat(x, reps, axis=0), np.repeat(y, reps))
            return self
        if self.spec.get("model") == "svm":
            self.model = LinearSVC(C=self.spec.get("C", 1.0), random_state=self.seed)
            self.model.fit(x, y, sample_weight=w / w.mean())
            return self
        # Weights normalised to mean 1 so C means the same whatever the dataset weights are.
        self.model = LogisticRegression(
            C=self.spec.get("C", 1.0),
            class_weight=self.spec.get("class_weight"),
            max_iter=3000,
            random_state=self.seed,
        ).fit(x, y, sample_weight=w / w.mean())
        return self

    def logits(self, split: Split, idx: np.ndarray | None = None) -> np.ndarray:
        assert self.model is not None
        x = self._features(split, idx=idx)
        if isinstance(self.model, MLPClassifier):
            p = np.clip(self.model.predict_proba(x)[:, 1], 1e-6, 1 - 1e-6)
            return np.log(p / (1 - p))
        return self.model.decision_function(x)

    def export(self, key: str) -> tuple[dict[str, np.ndarray], dict]:
        """The arrays and metadata claims.nlp.checkworthiness reads for this component."""
        assert self.model is not None
        spec = self.spec
        entry: dict = {"name": spec["name"], "kind": spec["kind"]}
        arrays: dict[str, np.ndarray] = {}
        if isinstance(self.model, MLPClassifier):
            w1, w2 = self.model.coefs_
            b1, b2 = self.model.intercepts_
            arrays[f"{key}_w1"] = w1.astype(np.float32)
            arrays[f"{key}_b1"] = b1.astype(np.float32)
            arrays[f"{key}_coef"] = w2[:, 0].astype(np.float32)
            entry["bias"] = float(b2[0])
        else:
            arrays[f"{key}_coef"] = self.model.coef_[0].astype(np.float32)
            entry["bias"] = float(self.model.intercept_[0])
        if spec["kind"] == "tfidf":
            assert self.vectorizer is not None
            terms = self.vectorizer.get_feature_names_out()
            assert not any("\n" in t for t in terms)
            arrays[f"{key}_terms"] = np.array("\n".join(terms))
            arrays[f"{key}_idf"] = self.vectorizer.idf_.astype(np.float32)
            entry["analyzer"] = spec.get("analyzer", "word")
            entry["ngram_min"] = spec.get("ngram_min", 1)
            entry["ngram_max"] = spec.get("ngram_max", 2)
            entry["sublinear_tf"] = spec.get("sublinear_tf", True)
        return arrays, entry


def out_of_fold_logits(comps: list[Component], splits, name: str, seed: int) -> np.ndarray:
    split = splits[name]
    y = np.asarray(split.labels)
    out = np.zeros((len(y), len(comps)))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for j, comp in enumerate(comps):
        if name not in comp.spec["train"]:
            out[:, j] = comp.logits(split)  # not trained on it: already out of sample
            continue
        for _, held in folds.split(np.zeros(len(y)), y):
            fold = Component(comp.spec, comp.lang, seed).fit(splits, exclude=(name, held))
            out[held, j] = fold.logits(split, idx=held)
    return out


def choose_threshold(metric, dev: list[tuple[np.ndarray, np.ndarray]], window: int = 3) -> float:
    """Threshold maximising the dev metric, averaged over the dev splits and smoothed.

    Each grid point (step 0.01) is judged by the mean metric over its neighbours within
    +-`window` steps, so the choice sits on a plateau rather than on a spike of a few hundred dev
    sentences: the test data are shifted, and a flat optimum is the safer guess there.
    """
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    means = np.array(
        [np.mean([metric(list(y), list((p >= t).astype(int))) for y, p in dev]) for t in grid]
    )
    smoothed = np.array(
        [means[max(0, i - window) : i + window + 1].mean() for i in range(len(grid))]
    )
    return float(grid[int(np.argmax(smoothed))])


def fit_language(lang: str, lconf: dict, splits: dict[str, Split], seed: int):
    """Train one language's components, mix and threshold; return (arrays, meta)."""
    t0 = time.perf_counter()
    comps = [Component(spec, lang, seed).fit(splits) for spec in lconf["components"]]
    oof = None
    if len(comps) > 1 and "mix" not in lconf:
        oof = out_of_fold_logits(comps, splits, lconf["stack_on"], seed)
        stacker = LogisticRegression(C=lconf.get("stack_C", 1.0), max_iter=1000)
        stacker.fit(oof, splits[lconf["stack_on"]].labels)
        mix, mix_bias = stacker.coef_[0], float(stacker.intercept_[0])
    else:
        mix, mix_bias = np.ones(len(comps)) / len(comps), 0.0
    mix = np.asarray(lconf.get("mix", mix), dtype=np.float64)
    mix_bias = float(lconf.get("mix_bias", mix_bias))

    def score(split: Split) -> np.ndarray:
        z = np.column_stack([c.logits(split) for c in comps]) @ mix + mix_bias
        return 1 / (1 + np.exp(-z))

    tconf = lconf["threshold"]
    if tconf.get("from") == "oof" and oof is not None:
        # The training data's own cross-validated scores: no dev split is used for the choice.
        oof_scores = 1 / (1 + np.exp(-(oof @ mix + mix_bias)))
        dev = [(np.asarray(splits[lconf["stack_on"]].labels), oof_scores)]
    else:
        dev = [(np.asarray(splits[n].labels), score(splits[n])) for n in tconf["dev"]]
    dev_optimum = choose_threshold(METRICS[tconf["metric"]], dev)
    # An explicit value in the config overrides the dev optimum; its "note" says why.
    threshold = float(tconf.get("value", dev_optimum))

    arrays: dict[str, np.ndarray] = {}
    comp_meta = []
    for comp in comps:
        comp_arrays, entry = comp.export(f"{lang}_{comp.spec['name']}")
        arrays.update(comp_arrays)
        comp_meta.append(entry)
    meta = {
        "components": comp_meta,
        "mix": [float(v) for v in mix],
        "mix_bias": mix_bias,
        "threshold": threshold,
        "threshold_dev_optimum": dev_optimum,
    }
    print(
        f"{lang}: {len(comps)} components, mix {np.round(mix, 3).tolist()} + {mix_bias:.3f}, "
        f"threshold {threshold:.2f} (dev optimum {dev_optimum:.2f}), "
        f"{time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    return arrays, meta


def save_model(out: Path, arrays: dict[str, np.ndarray], meta: dict) -> Path:
    arrays = dict(arrays)
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    out.mkdir(parents=True, exist_ok=True)
    # float32 weights in a compressed file keep the shipped model at a few MB.
    np.savez_compressed(out / "model.npz", **arrays)
    return out / "model.npz"


def train(data: Path, out: Path, config: dict) -> dict:
    seed = int(config.get("seed", 13))
    splits = all_splits(data)
    arrays: dict[str, np.ndarray] = {}
    meta: dict = {
        "sklearn_version": sklearn.__version__,
        "config": config,
        "languages": {},
    }
    for lang, lconf in config["languages"].items():
        lang_arrays, meta["languages"][lang] = fit_language(lang, lconf, splits, seed)
        arrays.update(lang_arrays)
    save_model(out, arrays, meta)
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=ROOT / "claims/nlp/models/checkworthiness")
    parser.add_argument("--config", type=Path, default=HERE / "config.json")
    args = parser.parse_args(argv)
    config = json.loads(args.config.read_text())
    train(args.data, args.out, config)
    print(f"wrote {args.out / 'model.npz'}", file=sys.stderr)


if __name__ == "__main__":
    main()
