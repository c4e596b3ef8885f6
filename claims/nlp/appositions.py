"""Speakers named in an apposition beside the words the cue points at.

News names a speaker once with a role and an organisation, and the comma-separated pieces of
that introduction are easy to take for the speaker:

- "Omar Lamrani, a senior military analyst at Stratfor, the Texas-based ... organization, told
  ...": the verb's nearest noun phrase is the last apposition ("Stratfor, the ..."); the speaker
  is the person the chain of appositions opens with;
- "..., sagt die Präsidentin der DLRG, Ute Vogt." / "..., said the head of X, Jane Doe.": the
  role phrase after the verb is followed by the person's name;
- "..., said The We Company's recently named executive chair Marcelo Claure in an email": the
  possessor is the organisation, the speaker the person after the role.

No list of names: the person is whoever :mod:`claims.nlp.people` registered at that place.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claims.nlp.people import DocState, Mention

# Words that may stand between a possessive and the person it introduces ("'s recently named
# executive chair"): adverbs, adjectives, participles and common nouns, never a finite verb.
_ROLE_POS = frozenset({"ADV", "ADJ", "NOUN", "PROPN", "VERB", "PUNCT"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _person_at(state: DocState, i: int) -> Mention | None:
    return next((m for m in state.people if m.start == i and len(m.tokens) > 1), None)


def opening_person(sent: Span, verb: Token, state: DocState, quotes: list[bool]) -> list[Token]:
    """ "NAME, apposition, [apposition,] said": the person whose full name opens the sentence,
    when only appositions (set off by commas) stand between that name and the verb. Empty when
    the sentence does not open that way."""
    doc = sent.doc
    m = _person_at(state, sent.start)
    if m is None or quotes[m.start] or doc[verb.i - 1].text != ",":
        return []
    after = m.start + len(m.tokens)
    if after >= verb.i - 1 or doc[after].text != ",":
        return []
    between = doc[after + 1 : verb.i - 1]
    # the apposition describes the person; a clause with its own finite verb and no relative
    # pronoun ("Trump, Kim said, ...") or a quote is no apposition
    if any(quotes[t.i] for t in between):
        return []
    relative = any(t.lower_ in ("who", "der", "die", "welche", "welcher") for t in between)
    if not relative and any(t.tag_ in _FINITE for t in between):
        return []
    return list(doc[m.start : after])


def apposed_name(sent: Span, end: int, state: DocState) -> list[Token]:
    """ "sagt die Präsidentin der DLRG, Ute Vogt.": the full name set off by a comma right after
    the role phrase ending before ``end``, and closing the clause."""
    doc = sent.doc
    if end >= sent.end - 1 or doc[end].text != ",":
        return []
    m = _person_at(state, end + 1)
    if m is None:
        return []
    after = m.start + len(m.tokens)
    if after < sent.end and not (doc[after].is_punct or doc[after].is_space):
        return []
    return list(doc[m.start : after])


def possessed_person(sent: Span, np: list[Token], state: DocState) -> list[Token]:
    """ "said The We Company's recently named executive chair Marcelo Claure": after a
    possessive that ends the phrase, the role words and then the person they introduce."""
    if not np:
        return []
    doc = sent.doc
    j = np[-1].i + 1
    if j >= sent.end or doc[j].tag_ != "POS":
        return []
    k = j + 1
    while k < sent.end and k < j + 8:
        m = _person_at(state, k)
        if m is not None:
            return list(doc[m.start : m.start + len(m.tokens)])
        t = doc[k]
        if t.pos_ not in _ROLE_POS or t.tag_ in _FINITE or t.text in (",", ";", ":"):
            return []
        k += 1
    return []


def with_apposition(sent: Span, np: list[Token], state: DocState) -> list[Token]:
    """The phrase after a cue, or the person it introduces: "sagt die Präsidentin der DLRG, Ute
    Vogt", "said The We Company's ... executive chair Marcelo Claure"."""
    if not np:
        return np
    return apposed_name(sent, np[-1].i + 1, state) or possessed_person(sent, np, state) or np
