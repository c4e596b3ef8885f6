"""Cross-fitted fine-tuning of the English encoder (PyTorch, scratch venv as in finetune.py).

    # $VENV: torch==2.13.0 plus a .pth pointing at the project's site-packages (finetune.py);
    # the shipped delta (docs/model-card-matching.md):
    OUT=/tmp/claimtracker-matching-cache/crossfit-untitled
    PYTHONHASHSEED=0 OMP_NUM_THREADS=1 $VENV/bin/python -m training.matching.crossfit \
        --epochs 2 --untitled --threads 1 --out-dir $OUT
    # writes minilm-{fold0,fold1,all}.npz there (float16 deltas of the top layers) and fills each
    # one's embedding cache in /tmp, then:
    cp $OUT/minilm-all.npz claims/nlp/matching/minilm_tuned.npz
    PYTHONHASHSEED=0 OMP_NUM_THREADS=1 python -m training.matching.train --untitled \
        --english-fold-deltas $OUT/minilm-fold0.npz $OUT/minilm-fold1.npz

Why: an encoder fine-tuned on the train queries makes their English signals look better than they
will on new queries, so a blend and an English adapter fitted on them trust it too much (the
non-cross-fitted run in the model card). Here three encoders are tuned with the same recipe:
"fold0" and "fold1" on the train queries of one fold each (train.py's `fold`, the same folds as
the adapters' cross-fitting), "all" on every train query (the one that ships). train.py then
scores each fold's train queries, and the collection they are matched against, with the encoder
(and English adapter) fitted on the other fold, so the blend is fitted on honest signals.

Recipe (finetune.py's): multiple-negatives ranking loss, 1 hard negative, top 2 layers, lr 5e-5,
batch 32, no hold-out (every train query of the fold is used). `--untitled` also pairs each query
with its right claim's text without the title. The three caches are filled in one pass that runs
the frozen bottom layers once per text and only the tuned top layers three times. Shipped: 2
epochs with `--untitled` (one thread: ~14 min of tuning, ~14 min of embedding); 1 and 3 epochs
without it were not (model card, crossfit_results.json).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from claims.nlp.matching.config import MatchConfig
from claims.nlp.matching.text import is_english, normalise_claim_text, sentences
from claims.nlp.minilm import MiniLM, _model_dir

from .cache import CACHE_DIR, CachedEmbedder, minilm_cache_path, minilm_cached_embedder
from .datasets import UNTITLED, load
from .finetune import DATASETS, FINGERPRINT_TEXTS, TorchMiniLM, training_pairs
from .train import fold

OUT_DIR = CACHE_DIR / "crossfit"
KEYS = ("fold0", "fold1", "all")


def examples(name: str, base_embedder: CachedEmbedder, negatives: int, key: str):
    """(collection texts, [(query text, right claim, hard negatives, claims not to count as
    negatives)]) for the train queries of `key`'s fold (or all of them)."""
    data = load(name, "train")
    ids = [i for i, _ in data.collection]
    texts = [normalise_claim_text(t) or t for _, t in data.collection]
    pos = {i: k for k, i in enumerate(ids)}
    coll = base_embedder(texts)
    queries = [
        (q, normalise_claim_text(t) or t)
        for q, t in data.queries
        if data.qrels.get(q) and (key == "all" or fold(q) == int(key[-1]))
    ]
    sims = base_embedder([t for _, t in queries]) @ coll.T
    train = []
    for k, (q, text) in enumerate(queries):
        golds = [pos[d] for d in data.qrels[q] if d in pos]
        if golds:
            train += training_pairs(text, golds, coll, np.argsort(-sims[k]), negatives)
    return texts, train


def fit(base: MiniLM, prepared, args, seed: int) -> TorchMiniLM:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = TorchMiniLM(base, args.layers)
    batches = [(n, s) for n, (_, tr) in prepared.items() for s in range(0, len(tr), args.batch)]
    steps = len(batches) * args.epochs
    optim = torch.optim.AdamW(model.plist.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps)
    )
    for _ in range(args.epochs):
        for _, tr in prepared.values():
            rng.shuffle(tr)
        rng.shuffle(batches)
        for n, s in batches:
            texts, tr = prepared[n]
            chunk = tr[s : s + args.batch]
            cand = [g for _, g, _, _ in chunk] + [h for _, _, hard, _ in chunk for h in hard]
            q = model(*model.batch([t for t, _, _, _ in chunk]))
            c = model(*model.batch([texts[i] for i in cand]))
            # Another right claim of this query (or its copy) is no negative.
            mask = torch.tensor(
                [
                    [j != r and i in chunk[r][3] for j, i in enumerate(cand)]
                    for r in range(len(chunk))
                ]
            )
            logits = (args.scale * q @ c.T).masked_fill(mask, -1e4)
            loss = nn.functional.cross_entropy(logits, torch.arange(len(chunk)))
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
    return model


def save(model: TorchMiniLM, path: Path, meta: dict, base_check: np.ndarray) -> None:
    delta = model.delta()
    model.load_delta(delta)  # what ships is the float16-rounded delta
    fingerprint = model.encode(list(FINGERPRINT_TEXTS))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        **delta,
        fingerprint_texts=np.array(FINGERPRINT_TEXTS),
        fingerprint_vectors=fingerprint,
        base_fingerprint=base_check,
        meta=np.array(json.dumps(meta)),
    )
    diff = float(
        np.abs(MiniLM(_model_dir(), delta=path).encode(list(FINGERPRINT_TEXTS)) - fingerprint).max()
    )
    print(f"{path.name}: {path.stat().st_size} bytes; numpy vs torch {diff:.2e}", flush=True)


def needed_texts(names: tuple[str, ...] = DATASETS) -> list[str]:
    """Every English text train.py and evaluate.py embed (as finetune.fill_cache)."""
    max_sentences = MatchConfig().max_query_sentences
    texts: list[str] = []
    for name in names:
        for split in ("train", "dev"):
            data = load(name, split)
            if split == "train":  # the collection is the same for both splits
                texts += [normalise_claim_text(t) or t for _, t in data.collection]
            for _, t in data.queries:
                t = normalise_claim_text(t) or t
                parts = sentences(t, max_sentences=max_sentences)
                texts += [t] + (parts if len(parts) > 1 else [])
    return list(dict.fromkeys(t for t in texts if is_english(t)))


@torch.no_grad()
def encode_shared(models: list[TorchMiniLM], texts: list[str], batch: int = 64) -> list[np.ndarray]:
    """Each model's vectors of `texts`, the frozen bottom layers (shared) run once."""
    first = models[0]
    outs = [np.zeros((len(texts), first.word.shape[1]), np.float32) for _ in models]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for s in range(0, len(order), batch):
        rows = order[s : s + batch]
        ids, mask = first.batch([texts[i] for i in rows])
        size, length = ids.shape
        additive = ((1.0 - mask) * -1e9)[:, None, None, :]
        x = first.word[ids] + first.position[:length]
        x = first._ln(x, *first.emb_norm).reshape(size * length, -1)
        for params in first.frozen:
            x = first._layer(x, additive, size, length, params)
        for model, out in zip(models, outs, strict=True):
            y = x
            for params in model.trained:
                y = model._layer(y, additive, size, length, params)
            y = y.reshape(size, length, -1)
            pooled = (y * mask[:, :, None]).sum(1) / mask.sum(1).clamp(min=1.0)[:, None]
            out[rows] = torch.nn.functional.normalize(pooled, dim=1).numpy()
    return outs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--negatives", type=int, default=1)
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cache-only", action="store_true", help="deltas exist: fill caches")
    parser.add_argument(
        "--untitled",
        action="store_true",
        help="also train on (and embed) the English collections without titles, as train.py's",
    )
    args = parser.parse_args()
    names = DATASETS + (UNTITLED if args.untitled else ())
    torch.set_num_threads(args.threads)
    started = time.time()
    base = MiniLM(_model_dir(), delta=None)
    check = base.encode(list(FINGERPRINT_TEXTS))
    paths = {k: args.out_dir / f"minilm-{k}.npz" for k in KEYS}
    models = {}
    if not args.cache_only:
        base_embedder = minilm_cached_embedder(tuned=False)
        for key in KEYS:
            prepared = {n: examples(n, base_embedder, args.negatives, key) for n in names}
            pairs = {n: len(p[1]) for n, p in prepared.items()}
            models[key] = fit(base, prepared, args, args.seed)
            meta = {
                "layers": args.layers,
                "epochs": args.epochs,
                "args": {k: str(v) for k, v in vars(args).items()},
                "trained_on": f"train splits ({key}): {', '.join(names)}",
                "pairs": pairs,
                "torch": torch.__version__,
            }
            save(models[key], paths[key], meta, check)
            print(f"{key}: {pairs} pairs, {time.time() - started:.0f}s", flush=True)
    else:
        for key in KEYS:
            with np.load(paths[key]) as data:
                models[key] = TorchMiniLM(base, int(json.loads(str(data["meta"]))["layers"]))
                models[key].load_delta({k: data[k] for k in data.files if k.startswith("layer")})
    caches = {k: CachedEmbedder(minilm_cache_path(paths[k]), dim=384) for k in KEYS}
    texts = [
        t for t in needed_texts(names) if any(c._key(t) not in c._vectors for c in caches.values())
    ]
    print(f"embedding {len(texts)} texts x {len(KEYS)} models", flush=True)
    step = 2000
    for s in range(0, len(texts), step):
        part = texts[s : s + step]
        for key, vectors in zip(KEYS, encode_shared([models[k] for k in KEYS], part), strict=True):
            cache = caches[key]
            cache._vectors.update(zip((cache._key(t) for t in part), vectors, strict=True))
            cache._dirty = True
            cache.save()
        print(f"  {s + len(part)}/{len(texts)} {time.time() - started:.0f}s", flush=True)
    sample = texts[:: max(1, len(texts) // 200)]
    numpy_model = MiniLM(_model_dir(), delta=paths["all"])
    diff = float(np.abs(numpy_model.encode(sample) - caches["all"](sample)).max())
    print(f"numpy vs cached torch vectors (all), {len(sample)} texts: max |diff| {diff:.2e}")
    print(f"total {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
