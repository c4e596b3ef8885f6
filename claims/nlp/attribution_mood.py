"""Quotation and mood: which tokens lie inside quotation marks, and German Konjunktiv I (the mood
of indirect speech), read without a parser (the small German tagger rarely marks Mood=Sub)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from claims.nlp.lexicon import KONJ1, KONJ1_AMBIGUOUS, KONJ2, QUOTE_CHARS


def in_quote_flags(doc: Doc) -> list[bool]:
    """For each token, whether it lies inside quotation marks (quotes reset at paragraph breaks)."""
    flags, inside = [], False
    for tok in doc:
        text = tok.text
        if "\n" in text and tok.is_space:
            inside = False
        if text in QUOTE_CHARS:
            flags.append(True)
            inside = not inside
            continue
        flags.append(inside)
    return flags


def has_konjunktiv1(sent: Span, quotes: list[bool]) -> bool:
    ich = any(t.lower_ == "ich" and not quotes[t.i] for t in sent)
    for t in sent:
        low = t.lower_
        if t.text[:1].isupper() and t.i != sent.start:
            continue
        if low in KONJ1:
            if low in KONJ1_AMBIGUOUS and ich:
                continue
            return True
        # The small German tagger rarely marks Mood=Sub: a finite -e form of a verb in the
        # third person ("bestehe", "erfülle", "verfolge") is Konjunktiv I unless it says "ich".
        if (
            t.pos_ in ("VERB", "AUX")
            and len(low) > 3
            and "Imp" not in t.morph.get("Mood")
            and "1" not in t.morph.get("Person")
            and low != "wurde"  # preterite indicative, the one strong form ending in -e
            and low.endswith("e")
            and not low.endswith("te")
            and low not in KONJ2
            and not ich
        ):
            return True
    return False
