"""Fine-tune the top layers of all-MiniLM-L6-v2 on the English train splits (PyTorch, scratch only).

PyTorch is a training-time tool here, never a dependency of the project. One scratch venv:

    python3 -m venv /tmp/ftvenv
    # the CPU build lying on this disk (/opt/wheels/torch-2.13.0+cpu-cp311-...whl), ~700 MB:
    /tmp/ftvenv/bin/pip install --no-deps /opt/wheels/torch-2.13.0+cpu-*.whl
    /tmp/ftvenv/bin/pip install filelock sympy networkx jinja2 fsspec typing-extensions
    # the project's packages (numpy, tokenizers, safetensors, py3langid...) come from its venv:
    echo "$PWD/.venv/lib/python3.11/site-packages" \
        > /tmp/ftvenv/lib/python3.11/site-packages/claimtracker-venv.pth
    OMP_NUM_THREADS=2 /tmp/ftvenv/bin/python -m training.matching.finetune
    # writes claims/nlp/matching/minilm_tuned.npz (float16 delta of the tuned layers + fingerprint)
    # and fills the tuned encoder's embedding cache in /tmp for training.matching.train

What it does: the train queries of CheckThat! 2020 task 2 and 2021 2B (normalised as the matcher
sees them), each with its right claim and hard negatives (the base encoder's nearest claims that are
neither right nor a near-verbatim copy of a right one), a multiple-negatives ranking loss (softmax
over the batch's right claims and hard negatives, scale 20, as sentence-transformers'
MultipleNegativesRankingLoss), only the top `--layers` transformer layers trained, the rest frozen.
A held-out 15% of the train queries (by a hash of the id; never dev, never test) picks the epoch:
MAP@5 of the encoder alone re-ranking each held-out query's 50 nearest claims under the base model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from claims.nlp.matching.config import MatchConfig
from claims.nlp.matching.text import is_english, normalise_claim_text, sentences
from claims.nlp.minilm import LAYER_PARTS, TUNED_FILE, MiniLM, _model_dir

from .cache import CachedEmbedder, minilm_cache_path, minilm_cached_embedder
from .datasets import load, metrics

DATASETS = ("clef2020", "clef2021")
HOLDOUT_PERCENT = 15
NEAR_COPY = 0.93  # base-encoder cosine above which a claim counts as a copy of the right one
FINGERPRINT_TEXTS = (
    "Joe Biden said that 40% of Americans cannot afford a $400 emergency expense.",
    "BREAKING: the WHO confirms that 5G towers spread the coronavirus",
)


def holdout(query_id: str) -> bool:
    digest = hashlib.md5(f"finetune:{query_id}".encode(), usedforsecurity=False).hexdigest()
    return int(digest, 16) % 100 < HOLDOUT_PERCENT


class TorchMiniLM(nn.Module):
    """The same forward pass as claims.nlp.minilm.MiniLM, in PyTorch, top layers trainable."""

    def __init__(self, base: MiniLM, trainable_layers: int) -> None:
        super().__init__()
        t = torch.from_numpy
        self.base = base
        self.word = t(base.word.copy())
        self.position = t(base.position.copy())
        self.emb_norm = tuple(t(a.copy()) for a in base.emb_norm)
        self.frozen, params = [], []
        n = len(base.layers)
        for i, layer in enumerate(base.layers):
            tensors = [
                tuple(t(np.array(x)) for x in item) if isinstance(item, tuple) else t(item.copy())
                for item in layer
            ]
            if i >= n - trainable_layers:
                flat = []
                for item in tensors:
                    if isinstance(item, tuple):
                        flat.append(tuple(nn.Parameter(x) for x in item))
                    else:
                        flat.append(nn.Parameter(item))
                params.append(flat)
            else:
                self.frozen.append(tensors)
        self.trained = params
        self.plist = nn.ParameterList(
            [
                p
                for layer in params
                for item in layer
                for p in (item if isinstance(item, tuple) else (item,))
            ]
        )
        self.heads, self.eps = base.heads, base.eps

    def _ln(self, x, w, b):
        return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, self.eps)

    def _layer(self, x, additive, batch, length, params):
        qkv, qkv_b, out_w, out_b, norm1, up_w, up_b, down_w, down_b, norm2 = params
        hidden = x.shape[-1]
        hd = hidden // self.heads
        proj = (x @ qkv + qkv_b).reshape(batch, length, 3, self.heads, hd)
        q = proj[:, :, 0].transpose(1, 2)
        k = proj[:, :, 1].permute(0, 2, 3, 1)
        v = proj[:, :, 2].transpose(1, 2)
        scores = torch.softmax((q @ k) / float(np.sqrt(hd)) + additive, dim=-1)
        context = (scores @ v).transpose(1, 2).reshape(batch * length, hidden)
        x = self._ln(context @ out_w + out_b + x, *norm1)
        up = x @ up_w + up_b
        up = 0.5 * up * (1.0 + torch.erf(up * 0.7071067811865476))
        return self._ln(up @ down_w + down_b + x, *norm2)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length = ids.shape
        hidden = self.word.shape[1]
        additive = ((1.0 - mask) * -1e9)[:, None, None, :]
        with torch.no_grad():
            x = self.word[ids] + self.position[:length]
            x = self._ln(x, *self.emb_norm).reshape(batch * length, hidden)
            for params in self.frozen:
                x = self._layer(x, additive, batch, length, params)
        for params in self.trained:
            x = self._layer(x, additive, batch, length, params)
        x = x.reshape(batch, length, hidden)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1).clamp(min=1.0)[:, None]
        return torch.nn.functional.normalize(pooled, dim=1)

    def batch(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        enc = self.base.tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in enc)
        ids = torch.zeros((len(enc), width), dtype=torch.long)
        mask = torch.zeros((len(enc), width), dtype=torch.float32)
        for r, e in enumerate(enc):
            ids[r, : len(e.ids)] = torch.tensor(e.ids)
            mask[r, : len(e.ids)] = 1.0
        return ids, mask

    @torch.no_grad()
    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for s in range(0, len(order), batch_size):
            rows = order[s : s + batch_size]
            out[rows] = self.forward(*self.batch([texts[i] for i in rows])).numpy()
        return out

    def delta(self) -> dict[str, np.ndarray]:
        """Tuned minus base, per trained weight, in the numpy encoder's layout, float16."""
        names = LAYER_PARTS
        n = len(self.base.layers)
        out = {}
        for j, params in enumerate(self.trained):
            i = n - len(self.trained) + j
            for name, item, base_item in zip(names, params, self.base.layers[i], strict=True):
                pairs = (
                    list(zip(item, base_item, strict=True))
                    if isinstance(item, tuple)
                    else [(item, base_item)]
                )
                for suffix, (p, b) in zip(
                    ("_w", "_b") if isinstance(item, tuple) else ("",), pairs, strict=True
                ):
                    d = p.detach().numpy() - b
                    out[f"layer{i}.{name}{suffix}"] = d.astype(np.float16)
        return out

    def load_delta(self, delta: dict[str, np.ndarray]) -> None:
        """Set the trained weights to base + the (float16-rounded) delta: what ships."""
        names = LAYER_PARTS
        n = len(self.base.layers)
        with torch.no_grad():
            for j, params in enumerate(self.trained):
                i = n - len(self.trained) + j
                for name, item, base_item in zip(names, params, self.base.layers[i], strict=True):
                    if isinstance(item, tuple):
                        for suffix, p, b in zip(("_w", "_b"), item, base_item, strict=True):
                            key = f"layer{i}.{name}{suffix}"
                            p.copy_(torch.from_numpy(b + delta[key].astype(np.float32)))
                    else:
                        key = f"layer{i}.{name}"
                        item.copy_(torch.from_numpy(base_item + delta[key].astype(np.float32)))


def prepare(name: str, base_embedder: CachedEmbedder, negatives: int, pool: int):
    """Train examples (query text, right claim text, hard negative texts, ids to mask) and the
    held-out queries with their re-ranking pools."""
    data = load(name, "train")
    ids = [i for i, _ in data.collection]
    texts = [normalise_claim_text(t) or t for _, t in data.collection]
    pos = {i: k for k, i in enumerate(ids)}
    coll = base_embedder(texts)
    queries = [(q, normalise_claim_text(t) or t) for q, t in data.queries if data.qrels.get(q)]
    qvec = base_embedder([t for _, t in queries])
    sims = qvec @ coll.T
    train, held = [], []
    for k, (q, text) in enumerate(queries):
        golds = [pos[d] for d in data.qrels[q] if d in pos]
        if not golds:
            continue
        ranked = np.argsort(-sims[k])
        if holdout(q):
            cand = [int(i) for i in ranked[:pool]]
            held.append((q, text, cand))
            continue
        train += training_pairs(text, golds, coll, ranked, negatives)
    return data, ids, texts, train, held


def training_pairs(
    text: str, golds: list[int], coll: np.ndarray, ranked: np.ndarray, negatives: int
) -> list[tuple[str, int, list[int], set[int]]]:
    """(query text, right claim, hard negatives, right claims and their near copies) per right
    claim: the hard negatives are the nearest claims that are neither right nor a near copy."""
    copies = set(golds) | set(np.nonzero((coll[golds] @ coll.T).max(axis=0) >= NEAR_COPY)[0])
    hard = [int(i) for i in ranked[: negatives * 3] if int(i) not in copies][:negatives]
    return [(text, int(g), hard, copies) for g in golds]


def evaluate_holdout(model: TorchMiniLM, prepared) -> dict[str, float]:
    out = {}
    for name, (data, ids, texts, _, held) in prepared.items():
        needed = sorted({i for _, _, cand in held for i in cand})
        vecs = dict(zip(needed, model.encode([texts[i] for i in needed]), strict=True))
        qv = model.encode([t for _, t, _ in held])
        rankings = {}
        for (q, _, cand), v in zip(held, qv, strict=True):
            scores = np.array([vecs[i] @ v for i in cand])
            rankings[q] = [ids[cand[j]] for j in np.argsort(-scores, kind="stable")]
        out[name] = metrics(rankings, {q: data.qrels[q] for q, _, _ in held})["MAP@5"]
    return out


def fill_cache(model: TorchMiniLM, out_file: Path) -> None:
    """Embed every English text train.py and evaluate.py ask for, into the tuned model's cache
    (PyTorch is faster here than the numpy encoder; the two agree to ~1e-6)."""
    embedder = CachedEmbedder(minilm_cache_path(out_file), embed_fn=model.encode, dim=384)
    max_sentences = MatchConfig().max_query_sentences
    for name in DATASETS:
        for split in ("train", "dev"):
            data = load(name, split)
            texts = [normalise_claim_text(t) or t for _, t in data.collection]
            for _, t in data.queries:
                t = normalise_claim_text(t) or t
                parts = sentences(t, max_sentences=max_sentences)
                texts += [t] + (parts if len(parts) > 1 else [])
            embedder([t for t in texts if is_english(t)])
            embedder.save()
            print(f"cache {name} {split}: {len(texts)} texts", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=2, help="top layers trained")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--negatives", type=int, default=1, help="hard negatives per query")
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=TUNED_FILE)
    parser.add_argument("--no-cache", action="store_true", help="skip filling the /tmp cache")
    parser.add_argument(
        "--cache-only", type=Path, help="no training: fill the /tmp cache for this delta file"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    started = time.time()
    base = MiniLM(_model_dir(), delta=None)
    model = TorchMiniLM(base, args.layers)
    check = base.encode(list(FINGERPRINT_TEXTS))
    if args.cache_only:
        with np.load(args.cache_only) as data:
            model = TorchMiniLM(base, int(json.loads(str(data["meta"]))["layers"]))
            model.load_delta({k: data[k] for k in data.files if k.startswith("layer")})
        fill_cache(model, args.cache_only)
        return
    assert np.abs(model.encode(list(FINGERPRINT_TEXTS)) - check).max() < 1e-5, "torch != numpy"
    base_embedder = minilm_cached_embedder(tuned=False)
    prepared = {n: prepare(n, base_embedder, args.negatives, 50) for n in DATASETS}
    base_embedder.save()
    for n, p in prepared.items():
        print(f"{n}: {len(p[3])} train pairs, {len(p[4])} held-out queries", flush=True)
    history = [{"epoch": 0, **evaluate_holdout(model, prepared)}]
    print(history[-1], f"{time.time() - started:.0f}s", flush=True)
    batches = []
    for n, (_, _, _, train, _) in prepared.items():
        for s in range(0, len(train), args.batch):
            batches.append((n, s))
    steps = len(batches) * args.epochs
    optim = torch.optim.AdamW(model.plist.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps)
    )
    best = (np.mean(list(history[0].values())[1:]), 0, model.delta())
    for epoch in range(1, args.epochs + 1):
        for n in prepared:
            rng.shuffle(prepared[n][3])
        rng.shuffle(batches)
        for n, s in batches:
            _, _, texts, train, _ = prepared[n]
            chunk = train[s : s + args.batch]
            cand_idx = [g for _, g, _, _ in chunk] + [h for _, _, hard, _ in chunk for h in hard]
            q = model(*model.batch([t for t, _, _, _ in chunk]))
            c = model(*model.batch([texts[i] for i in cand_idx]))
            logits = args.scale * q @ c.T
            # A candidate that is another right claim (or its copy) of this query is no negative.
            mask = torch.tensor(
                [
                    [j != r and i in chunk[r][3] for j, i in enumerate(cand_idx)]
                    for r in range(len(chunk))
                ]
            )
            logits = logits.masked_fill(mask, -1e4)
            loss = nn.functional.cross_entropy(logits, torch.arange(len(chunk)))
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
        history.append({"epoch": epoch, **evaluate_holdout(model, prepared)})
        print(history[-1], f"loss {loss.item():.3f}", f"{time.time() - started:.0f}s", flush=True)
        mean = float(np.mean([history[-1][n] for n in DATASETS]))
        if mean > best[0]:
            best = (mean, epoch, model.delta())
    delta = best[2]
    model.load_delta(delta)
    fingerprint = model.encode(list(FINGERPRINT_TEXTS))
    meta = {
        "layers": args.layers,
        "epoch": best[1],
        "args": {k: str(v) for k, v in vars(args).items()},
        "holdout_map5": history,
        "trained_on": "train splits (minus 15% held out): clef2020-task2, clef2021-task2b",
        "torch": torch.__version__,
    }
    np.savez_compressed(
        args.out,
        **delta,
        fingerprint_texts=np.array(FINGERPRINT_TEXTS),
        fingerprint_vectors=fingerprint,
        base_fingerprint=check,
        meta=np.array(json.dumps(meta)),
    )
    tuned = MiniLM(_model_dir(), delta=args.out)
    diff = float(np.abs(tuned.encode(list(FINGERPRINT_TEXTS)) - fingerprint).max())
    print(f"best epoch {best[1]}; numpy vs torch on the tuned model: {diff:.2e}", flush=True)
    print(json.dumps(meta, indent=1), flush=True)
    if not args.no_cache:
        fill_cache(model, args.out)
    print(f"total {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
