"""Fit the query adapter and the signal weights on the train splits; thresholds on dev; report.

    OMP_NUM_THREADS=1 python -m training.matching.train
    # writes claims/nlp/matching/{weights.json,query_adapter.npy}
    # and training/matching/dev_results.json

Features come from `ClaimIndex.candidates`, the same code the app and `match_claims` run, so what is
tuned here is what ships. The adapter is cross-fitted: the train features the blend is fitted on
come from adapters that did not see those queries (two folds), so the blend does not learn to
trust an adapter that has memorised its training pairs. Embeddings are cached in /tmp (cache.py).
`--english-fold-deltas` does the same for a fine-tuned English encoder (crossfit.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from claims.nlp.matching.config import (
    ADAPTER_FILE,
    ENGLISH_ADAPTER_FILE,
    SIGNALS,
    WEIGHTS_FILE,
    MatchConfig,
)
from claims.nlp.matching.index import ClaimIndex

from .adapt import fit_adapter, training_arrays
from .blend import evaluate, fit_blend, threshold_for, top1, xy
from .cache import (
    DEFAULT_CACHE,
    CachedEmbedder,
    minilm_cached_embedder,
    minilm_delta_embedder,
    minilm_tag,
)
from .datasets import DATASETS, UNTITLED, load

RESULTS_FILE = Path(__file__).with_name("dev_results.json")
# Precision of the top-1 match wanted above each threshold, on dev (see the model card).
CONFIRMED_PRECISION = 0.95
SUGGESTED_PRECISION = 0.50
EXACT_PRIOR = 8.0
ENGLISH_DATASETS = ("clef2020", "clef2021")
ENGLISH_SIGNALS = ("semantic_en", "semantic_en_rank", "semantic_en_adapted")


def fold(query_id: str) -> int:
    return int(hashlib.md5(query_id.encode(), usedforsecurity=False).hexdigest(), 16) % 2


def cached_adapter(key: str, build) -> np.ndarray:
    path = DEFAULT_CACHE.with_name(f"adapter-{key}.npy")
    if path.exists():
        return np.load(path)
    adapter = build()
    np.save(path, adapter)
    return adapter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights-out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--adapter-out", type=Path, default=ADAPTER_FILE)
    parser.add_argument("--english-adapter-out", type=Path, default=ENGLISH_ADAPTER_FILE)
    parser.add_argument("--no-adapter", action="store_true")
    parser.add_argument("--no-english", action="store_true", help="without the English encoder")
    parser.add_argument("--results-out", type=Path, default=RESULTS_FILE)
    parser.add_argument(
        "--untitled",
        action="store_true",
        help="also fit (and report) on the English collections without titles",
    )
    parser.add_argument("--dump", type=Path, help="also pickle the features here (experiments)")
    parser.add_argument(
        "--english-fold-deltas",
        nargs=2,
        type=Path,
        metavar=("FOLD0", "FOLD1"),
        help="English encoders tuned on each fold's train queries (crossfit.py): a fold's train "
        "features then come from the other fold's encoder, as from its adapters",
    )
    args = parser.parse_args()
    names = DATASETS + (UNTITLED if args.untitled else ())
    english_names = ENGLISH_DATASETS + (UNTITLED if args.untitled else ())
    started = time.time()
    embedder = CachedEmbedder()
    english_embedder = minilm_cached_embedder()
    folds = args.english_fold_deltas
    english_embedders = {"all": english_embedder}
    for key in ("0", "1"):
        english_embedders[key] = (
            minilm_delta_embedder(folds[int(key)]) if folds else english_embedder
        )
    base = replace(
        MatchConfig(), adapter=None, english_adapter=None, english_signal=not args.no_english
    )
    data = {(n, s): load(n, s) for n in names for s in ("train", "dev")}
    indexes = {}  # (dataset, adapter key): one index per English encoder
    for n in names:
        for key in ("all", "0", "1"):
            if key != "all" and not folds:
                indexes[(n, key)] = indexes[(n, "all")]
                continue
            index = ClaimIndex(
                config=base, embedder=embedder, english_embedder=english_embedders[key]
            )
            collection = data[(n, "dev")].collection
            index.add([i for i, _ in collection], [t for _, t in collection])
            indexes[(n, key)] = index
    embedder.save()
    for e in english_embedders.values():
        e.save()

    adapters: dict[str, np.ndarray | None] = {"all": None, "0": None, "1": None}
    if not args.no_adapter:
        for key in adapters:

            def build(key=key):
                sets = []
                for n in DATASETS:
                    train = data[(n, "train")]
                    ids = (
                        None
                        if key == "all"
                        else {q for q, _ in train.queries if fold(q) == int(key)}
                    )
                    sets.append(training_arrays(train, embedder, ids))
                return fit_adapter(sets)

            adapters[key] = cached_adapter(f"fold{key}", build)
            print(f"adapter {key}: {time.time() - started:.0f}s", flush=True)

    # The English encoder's query adapter, on the English train splits, with the same folds.
    english_adapters: dict[str, np.ndarray | None] = {"all": None, "0": None, "1": None}
    if not args.no_adapter and not args.no_english:
        for key in english_adapters:

            def build_en(key=key):
                sets = []
                for n in english_names:
                    train = data[(n, "train")]
                    ids = (
                        None
                        if key == "all"
                        else {q for q, _ in train.queries if fold(q) == int(key)}
                    )
                    sets.append(training_arrays(train, english_embedders[key], ids, english=True))
                return fit_adapter(sets)

            # Keyed by the English model too: a fine-tuned encoder gets its own adapters.
            tag = minilm_tag(folds[int(key)] if folds and key != "all" else None)
            tag = "" if tag == "minilm" else f"-{tag}"
            english_adapters[key] = cached_adapter(f"en{tag}-fold{key}", build_en)
            print(f"English adapter {key}: {time.time() - started:.0f}s", flush=True)

    def featurise(n: str, split: str, adapter_key: str, only_fold: int | None = None):
        d = data[(n, split)]
        queries = [(q, t) for q, t in d.queries if only_fold is None or fold(q) == only_fold]
        index = indexes[(n, adapter_key)]
        index.config = replace(
            base, adapter=adapters[adapter_key], english_adapter=english_adapters[adapter_key]
        )
        cands = index.candidates([t for _, t in queries])
        return [q for q, _ in queries], cands, d.qrels, index

    feats = {(n, "dev"): featurise(n, "dev", "all") for n in names}
    for n in names:
        # Out-of-fold train features: fold 0 scored with the adapter fitted on fold 1 and back.
        parts = [featurise(n, "train", str(1 - f), only_fold=f) for f in (0, 1)]
        feats[(n, "train")] = (
            parts[0][0] + parts[1][0],
            parts[0][1] + parts[1][1],
            parts[0][2],
            parts[0][3],
        )
    embedder.save()
    for e in english_embedders.values():
        e.save()
    print(f"features: {time.time() - started:.0f}s", flush=True)
    for n in names:
        indexes[(n, "all")].config = replace(
            base, adapter=adapters["all"], english_adapter=english_adapters["all"]
        )
    if args.dump:
        for index in {id(i): i for i in indexes.values()}.values():
            index._embedder = index._english_embedder = None  # the caches stay on disk
            index.config = replace(  # mapping proxies do not pickle
                index.config,
                weights=dict(index.config.weights),
                english_weights=None
                if index.config.english_weights is None
                else dict(index.config.english_weights),
            )
        args.dump.write_bytes(pickle.dumps(feats, protocol=pickle.HIGHEST_PROTOCOL))

    report: dict[str, dict] = {"per_signal": {}, "combined": {}}
    for n in names:
        report["per_signal"][n] = {
            s: evaluate(*feats[(n, "dev")], lambda x, english, j=j: x[:, j])
            for j, s in enumerate(SIGNALS)
        }

    # Two blends. The multilingual one gives the English encoder's signals no weight and serves
    # every query without them (German, or the app before English vectors are stored); it is
    # fitted on all three train splits with those columns zeroed. The English one serves English
    # queries that have them and is fitted on the English train splits alone.
    english_cols = np.array([s in ENGLISH_SIGNALS for s in SIGNALS])
    multi, multi_lam, multi_dev = fit_blend(
        feats, DATASETS, ~english_cols, use_english=False, base=base
    )
    cfg = replace(base, weights=multi[0], bias=multi[1], english_weights=None)
    english_lam = None
    if not args.no_english:
        english, english_lam, _ = fit_blend(
            feats, english_names, np.ones(len(SIGNALS), bool), use_english=True, base=cfg
        )
        cfg = replace(cfg, english_weights=english[0], english_bias=english[1])
    # The titled collections only: the untitled ones hold a few verbatim repeats (debate
    # sentences quoted as the claim), too few to weigh "same text" against everything else.
    x_train = np.vstack([xy(*feats[(n, "train")])[0] for n in DATASETS])
    if not x_train[:, SIGNALS.index("exact")].any():
        # No verbatim repeats in the train splits, so the data cannot weigh "same text"; a
        # verbatim repeat (after normalisation) is the surest match there is.
        cfg = replace(
            cfg,
            weights={**cfg.weights, "exact": EXACT_PRIOR},
            english_weights=None
            if cfg.english_weights is None
            else {**cfg.english_weights, "exact": EXACT_PRIOR},
        )
    lam = {"multilingual": multi_lam, "english": english_lam}
    score = ClaimIndex(config=cfg).score
    dev = {n: evaluate(*feats[(n, "dev")], score) for n in names}
    print("combined: " + ", ".join(f"{n} {d['MAP@5']:.4f}" for n, d in dev.items()), flush=True)
    report["combined_multilingual_blend_only"] = multi_dev
    pairs = [p for n in DATASETS for p in top1(*feats[(n, "dev")], score)]
    confirmed = threshold_for(pairs, CONFIRMED_PRECISION)
    suggested = min(threshold_for(pairs, SUGGESTED_PRECISION), confirmed)
    confirmed_pairs = [ok for s, ok in pairs if s >= confirmed]
    suggested_pairs = [ok for s, ok in pairs if suggested <= s < confirmed]
    report["combined"] = dev
    report["l2"] = lam
    report["levels"] = {
        "confirmed": {
            "threshold": confirmed,
            "share_of_queries": len(confirmed_pairs) / len(pairs),
            "top1_precision": float(np.mean(confirmed_pairs or [0])),
        },
        "suggested": {
            "threshold": suggested,
            "share_of_queries": len(suggested_pairs) / len(pairs),
            "top1_precision": float(np.mean(suggested_pairs or [0])),
        },
        "below": {
            "share_of_queries": sum(s < suggested for s, _ in pairs) / len(pairs),
            "top1_precision": float(np.mean([ok for s, ok in pairs if s < suggested] or [0])),
        },
    }
    weights = {
        "bias": round(cfg.bias, 5),
        "weights": {s: round(float(w), 5) for s, w in cfg.weights.items()},
        **(
            {}
            if cfg.english_weights is None
            else {
                "english_bias": round(cfg.english_bias, 5),
                "english_weights": {s: round(float(w), 5) for s, w in cfg.english_weights.items()},
            }
        ),
        "confirmed": confirmed,
        "suggested": suggested,
        "trained_on": "train splits: clef2020-task2, clef2021-task2b, checkthat2025-de (own split)"
        + (
            " (English adapter and blend also on the two English collections without titles)"
            if args.untitled
            else ""
        ),
        "l2": lam,
    }
    args.weights_out.write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    if adapters["all"] is not None:
        np.save(args.adapter_out, adapters["all"].astype(np.float16))
    if english_adapters["all"] is not None:
        np.save(args.english_adapter_out, english_adapters["all"].astype(np.float16))
    args.results_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(weights, indent=2))
    print(json.dumps(report["combined"], indent=2))
    print(json.dumps(report["levels"], indent=2))
    print(f"total: {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
