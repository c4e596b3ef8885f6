"""Is a paragraph language at all? Scrambled or random-letter text is not prose.

Paywalled pages sometimes ship the article body scrambled letter by letter ("Bjagybpvymp Tfcfh
dr Hqsemx, ahp Oogu iah ..."): the sentence splitter and tagger still see sentences, and the
ranking has nothing to tell them from claims. Three independent signals must agree before a
paragraph is called noise, so that real text (including text in another language, tables of
names and numbers, abbreviations) is never dropped:

- the language's function words (spaCy's stop-word list for the pipeline's language, via
  ``Token.is_stop``) are almost absent: prose in the language has 30-60 % of them;
- the share of vowels among Latin letters is low: German and English prose have about 0.38,
  uniformly random letters 0.23 (six vowels of 26 letters, "y" counted);
- many words hold a run of four or more consonants, which real words rarely do ("Angst",
  "Deutschland" do; random letters do in about half the words of five letters or more).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

_VOWELS = set("aeiouyäöüáéíóúàèìòùâêîôû")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxzß]{4,}")
_MIN_WORDS = 8  # shorter lines (headings, scores, names) carry too little evidence
_MAX_FUNCTION_SHARE = 0.05
_MAX_VOWEL_SHARE = 0.30
_MIN_CONSONANT_RUN_SHARE = 0.25


def is_noise(span: Span) -> bool:
    """The span (a paragraph) is not language: no function words, too few vowels, and many
    unpronounceable consonant runs."""
    words = [t for t in span if t.is_alpha]
    if len(words) < _MIN_WORDS:
        return False
    if sum(t.is_stop for t in words) > _MAX_FUNCTION_SHARE * len(words):
        return False
    latin = [c for t in words for c in t.lower_ if "a" <= c <= "z" or c in _VOWELS or c == "ß"]
    if len(latin) < 30:
        return False  # another script: not ours to judge
    if sum(c in _VOWELS for c in latin) > _MAX_VOWEL_SHARE * len(latin):
        return False
    long_words = [t.lower_ for t in words if len(t) >= 5]
    runs = sum(1 for w in long_words if _CONSONANT_RUN.search(w))
    return bool(long_words) and runs >= _MIN_CONSONANT_RUN_SHARE * len(long_words)
