"""Sentence boundaries for news text (the ``claimtracker.sentences.v1`` rule, registered in
:mod:`claims.nlp.components`): a line break always starts a sentence, so headings and paragraphs
never run into each other; terminal punctuation does when the next word starts one."""

from __future__ import annotations

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc

_TERMINAL = {".", "!", "?", "…", "?!", "!?", "..."}
_CLOSING = set('»«“”"‘’›‹)]')
_OPENING = set('»«„“"‚‘›‹([')
_MONTHS = {
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jahrhundert",
    "jahrhunderts",
}


def _drop_cap(doc: Doc, i: int, j: int) -> bool:
    """A drop cap left on a line of its own by the page's markup ("D\\nie Regierung"): the
    letter and the rest of its word are one sentence (the offsets keep the break)."""
    p = i if not doc[i].is_space else i - 1
    if p < 0 or j >= len(doc):
        return False
    letter = doc[p]
    if len(letter.text) != 1 or not letter.text.isupper() or not letter.is_alpha:
        return False
    at_line_start = (
        letter.i == 0
        or "\n" in doc[letter.i - 1].whitespace_
        or (doc[letter.i - 1].is_space and "\n" in doc[letter.i - 1].text)
    )
    return at_line_start and doc[j].text[:1].islower()


# Title abbreviations spaCy splits off their dot ("Lt", "."): the name follows, no new sentence.
_TITLE_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "lt", "col", "capt", "sgt", "gen", "gov", "sen", "rep", "prof"}
)


def sentence_starts(doc: Doc) -> Doc:
    """Rule-based sentence boundaries for news text, set on every token so the parser (if any)
    keeps them: a line break always ends a sentence (headings, paragraphs); terminal punctuation
    plus closing quotes ends one when the next word starts a sentence (capital, digit, quote).
    Deterministic and fast; the small German parser's own boundaries are much less reliable."""
    n = len(doc)
    starts = [False] * n
    if n:
        starts[0] = True
    i = 0
    while i < n:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_:
            j = i + 1
            while j < n and doc[j].is_space:
                j += 1
            if j < n and ("\n" in tok.text or "\n" in tok.whitespace_) and not _drop_cap(doc, i, j):
                starts[j] = True
            i = j if j > i + 1 else i + 1
            continue
        terminal = tok.text in _TERMINAL or (tok.text[-1:] in "!?" and not tok.is_alpha)
        if terminal and tok.i > 0 and doc[tok.i - 1].like_num and tok.text == ".":
            terminal = False  # "12 ." split oddly: keep dates together
        if (
            terminal
            and tok.text == "."
            and not tok.whitespace_
            and tok.i > 0
            and not doc[tok.i - 1].whitespace_
            and i + 1 < n
            and doc[i + 1].is_alpha
        ):
            terminal = False  # a dot inside a name: "Ippen.Media", "fr.de"
        if terminal and tok.text == "." and i and doc[i - 1].lower_ in _TITLE_ABBREVIATIONS:
            terminal = bool(doc[i - 1].whitespace_)  # "said Lt. Matt Harris"
        if terminal:
            j = i + 1
            # closing quotes stick to the punctuation; a quote after a space opens the next one
            while (
                j < n
                and not doc[j - 1].whitespace_
                and (doc[j].text in _CLOSING or doc[j].text in _TERMINAL)
            ):
                j += 1
            newline = "\n" in doc[j - 1].whitespace_
            while j < n and doc[j].is_space:
                newline = newline or "\n" in doc[j].text
                j += 1
            if j < n:
                nxt = doc[j].text
                # a new line after a full stop starts a sentence even at "- list item"
                opens = nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in _OPENING or nxt[0] == "©"
                if newline or opens:
                    starts[j] = True
            i = j
            continue
        # "am 12. März" is one token "12." in spaCy's German tokenizer: never split there.
        i += 1
    if n:
        # One array write instead of a Python assignment per token (same values: 1 starts a
        # sentence, -1 does not).
        values = np.fromiter((1 if s else -1 for s in starts), dtype=np.int64, count=n)
        doc.from_array([SENT_START], values.astype(np.uint64).reshape(n, 1))
    return doc
