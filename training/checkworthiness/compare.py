"""Compare check-worthiness candidates on the dev splits; writes comparison.md beside this file.

    python training/checkworthiness/compare.py --data ../shared/datasets

Every candidate is trained with train.py's code, saved, loaded with the production loader
(claims.nlp.checkworthiness.CheckworthinessModel) and scored by evaluate.py, so the numbers are
those the shipped model would get. English candidates are scored with the shipped German model
and vice versa, since each row changes one language only.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import numpy as np  # noqa: E402

from claims.nlp.checkworthiness import CheckworthinessModel  # noqa: E402
from training.checkworthiness.data import all_splits  # noqa: E402
from training.checkworthiness.embed_cache import cached_embeddings  # noqa: E402
from training.checkworthiness.evaluate import evaluate  # noqa: E402
from training.checkworthiness.train import fit_language, save_model  # noqa: E402

CB = "claimbuster-crowdsourced"
GE = "germeval-train"
EN_THRESHOLD = {"metric": "f1_positive", "dev": ["ct24-dev-test", "claimbuster-groundtruth"]}
DE_THRESHOLD = {"metric": "germeval_official", "dev": ["germeval-dev"]}


def c(name: str, kind: str, train: dict[str, float], **kw) -> dict:
    return {"name": name, "kind": kind, "train": train, **kw}


EN_USE = c("emb", "emb", {CB: 1.0}, C=3.0)
EN_MLP = c("mlp", "emb_mlp", {CB: 1.0}, hidden=256, alpha=1e-3)
EN_TFIDF = c("tfidf", "tfidf", {CB: 1.0}, C=3.0, ngram_max=2, min_df=2)
EN_FEAT = c("feat", "feat", {CB: 1.0}, C=1.0)
DE_USE = c("emb", "emb", {GE: 1.0}, C=1.0)
DE_USE_EN = c("emb_en", "emb", {CB: 1.0}, C=3.0)
DE_SHARED = c("emb_shared", "emb", {GE: 1.0, CB: 0.1}, C=1.0)
DE_MLP = c("mlp", "emb_mlp", {GE: 1.0}, hidden=128, alpha=1e-2)
DE_TFIDF = c("tfidf", "tfidf", {GE: 1.0}, C=3.0, ngram_max=2, min_df=2)
DE_CHAR = c(
    "char", "tfidf", {GE: 1.0}, C=3.0, analyzer="char_wb", ngram_min=2, ngram_max=5, min_df=2
)
DE_FEAT = c("feat", "feat", {GE: 1.0}, C=1.0)


def en(*components: dict) -> dict:
    return {"components": list(components), "stack_on": CB, "threshold": EN_THRESHOLD}


def de(*components: dict) -> dict:
    return {"components": list(components), "stack_on": GE, "threshold": DE_THRESHOLD}


CANDIDATES: list[tuple[str, str, dict]] = [
    ("en", "TF-IDF word 1-2 + LR (baseline)", en(EN_TFIDF)),
    ("en", "linguistic features + LR", en(EN_FEAT)),
    ("en", "USE + LR", en(EN_USE)),
    ("en", "USE + linear SVM", en(c("svm", "emb", {CB: 1.0}, C=0.3, model="svm"))),
    ("en", "USE + MLP (256)", en(EN_MLP)),
    ("en", "stack: USE-LR + TF-IDF", en(EN_USE, EN_TFIDF)),
    ("en", "stack: USE-LR + TF-IDF + features", en(EN_USE, EN_TFIDF, EN_FEAT)),
    ("en", "stack: USE-MLP + TF-IDF", en(EN_MLP, EN_TFIDF)),
    ("en", "stack: USE-MLP + TF-IDF + features", en(EN_MLP, EN_TFIDF, EN_FEAT)),
    ("en", "stack: USE-LR + USE-MLP + TF-IDF", en(EN_USE, EN_MLP, EN_TFIDF)),
    ("en", "stack: USE-LR + USE-MLP + TF-IDF + features", en(EN_USE, EN_MLP, EN_TFIDF, EN_FEAT)),
    ("de", "TF-IDF word 1-2 + LR (baseline)", de(DE_TFIDF)),
    ("de", "TF-IDF char 2-5 + LR", de(DE_CHAR)),
    ("de", "linguistic features + LR", de(DE_FEAT)),
    ("de", "USE + LR, GermEval only", de(DE_USE)),
    ("de", "USE + LR, English only (zero-shot)", de(DE_USE_EN)),
    ("de", "USE + LR, shared head GermEval + 0.1 × English", de(DE_SHARED)),
    ("de", "USE + MLP (128), GermEval only", de(DE_MLP)),
    ("de", "stack: USE-LR de + USE-LR en", de(DE_USE, DE_USE_EN)),
    ("de", "stack: USE-LR de + en + TF-IDF word", de(DE_USE, DE_USE_EN, DE_TFIDF)),
    (
        "de",
        "stack: USE-LR de + en + TF-IDF word + features",
        de(DE_USE, DE_USE_EN, DE_TFIDF, DE_FEAT),
    ),
    ("de", "stack: shared + TF-IDF word", de(DE_SHARED, DE_TFIDF)),
    ("de", "stack: shared + TF-IDF word + features", de(DE_SHARED, DE_TFIDF, DE_FEAT)),
    ("de", "stack: USE-MLP de + USE-LR en + TF-IDF word", de(DE_MLP, DE_USE_EN, DE_TFIDF)),
    ("de", "stack: USE-LR de + en + TF-IDF char", de(DE_USE, DE_USE_EN, DE_CHAR)),
    (
        "de",
        "stack: USE-LR de + en + word + char + features",
        de(DE_USE, DE_USE_EN, DE_TFIDF, DE_CHAR, DE_FEAT),
    ),
    ("de", "stack: shared + word + char + features", de(DE_SHARED, DE_TFIDF, DE_CHAR, DE_FEAT)),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1].parent / "shared/datasets")
    parser.add_argument(
        "--base", type=Path, default=HERE.parents[1] / "claims/nlp/models/checkworthiness/model.npz"
    )
    parser.add_argument("--only", default=None, help="substring of candidate names to run")
    args = parser.parse_args(argv)
    splits = all_splits(args.data)
    base_meta_arrays = dict(np.load(args.base, allow_pickle=False))
    base_meta = json.loads(str(base_meta_arrays.pop("meta")))

    def embedder(split):
        return cached_embeddings(split.name, split.texts)

    rows = []
    for lang, name, lconf in CANDIDATES:
        if args.only and args.only not in name:
            continue
        t0 = time.perf_counter()
        arrays, lmeta = fit_language(lang, copy.deepcopy(lconf), splits, 13)
        train_s = time.perf_counter() - t0
        meta = copy.deepcopy(base_meta)
        meta["languages"][lang] = lmeta
        merged = {k: v for k, v in base_meta_arrays.items() if not k.startswith(f"{lang}_")}
        merged.update(arrays)
        with tempfile.TemporaryDirectory() as tmp:
            path = save_model(Path(tmp), merged, meta)
            size = sum(v.nbytes for v in arrays.values())
            model = CheckworthinessModel(path)
            r = evaluate(model, args.data, embedder)
            # Scoring speed without the encoder (shared with claim matching; measured apart).
            probe = splits["ct19-dev" if lang == "en" else "germeval-dev"]
            emb = embedder(probe)
            t0 = time.perf_counter()
            model.scores(probe.texts, lang=lang, embeddings=emb)
            per_s = len(probe.texts) / (time.perf_counter() - t0)
        rows.append((lang, name, r, per_s, size, train_s, lmeta))
        print(lang, name, json.dumps(r), f"{per_s:.0f}/s", file=sys.stderr, flush=True)

    lines = [
        "| lang | candidate | CT24 dev F1(pos) | CT24 dev AP | ClaimBuster GT F1(pos) | "
        "CT19 held-out MAP | GermEval dev official | GermEval dev AP | seed rank | "
        "threshold | sentences/s (w/o encoder) | weights (MB, raw) | train s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, name, r, per_s, size, train_s, lmeta in rows:
        if lang == "en":
            cells = [
                f"{r['checkthat2024_dev']['f1_positive']:.3f}",
                f"{r['checkthat2024_dev']['average_precision']:.3f}",
                f"{r['claimbuster_groundtruth']['f1_positive']:.3f}",
                f"{r['checkthat2019_heldout_debates']['map']:.3f}",
                "",
                "",
                "",
            ]
        else:
            cells = [
                "",
                "",
                "",
                "",
                f"{r['germeval2021_dev']['official']:.2f}",
                f"{r['germeval2021_dev']['average_precision']:.3f}",
                f"{r['seed_article']['rank']}",
            ]
        lines.append(
            f"| {lang} | {name} | "
            + " | ".join(cells)
            + f" | {lmeta['threshold']:.2f} | {per_s:,.0f} | {size / 1e6:.2f} | {train_s:.0f} |"
        )
    table = "\n".join(lines)
    print(table)
    if not args.only:
        (HERE / "comparison.md").write_text(
            "# Check-worthiness candidates on dev (generated by compare.py)\n\n" + table + "\n"
        )


if __name__ == "__main__":
    main()
