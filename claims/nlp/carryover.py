"""Whose account a sentence without its own attribution continues (German indirect speech).

A Konjunktiv I sentence with no cue reports someone: the last speaker, unless another person
has been named by first and last name since (then that person: "... des Sachverständigen
Christian Reiter, der erklären soll, ... Wenn es einen Stoß gegeben habe, ..."), or, with nobody
quoted yet, the person named just before it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claims.nlp.people import DocState, resolve_name, role_of


def newer_person(
    sent: Span, state: DocState, quotes: list[bool]
) -> tuple[str, str | None, tuple[int, int] | None] | None:
    """Indirect speech does not continue a speaker across another person named since: "...
    des Sachverständigen Christian Reiter, der erklären soll, ... Für ihn ist klar ... Wenn es
    einen Stoß gegeben habe, ..." is Reiter, not the judge quoted before him."""
    if state.last_span is None:
        return None
    doc = sent.doc
    near = [
        m
        for m in state.people
        if sent.start - _KONJ_WINDOW <= m.start < sent.start
        and doc[m.start].idx >= state.last_span[1]
        and not quotes[m.start]
        and _full_personal_name(m.tokens)
    ]
    for m in reversed(near):
        name = resolve_name(m.name, state, before=m.start + 1)
        if name != state.last_speaker and state.last_speaker not in name:
            toks = list(doc[m.start : m.start + len(m.tokens)])
            return name, role_of(name, state), text_span(toks)
    return None


def _full_personal_name(tokens: tuple[str, ...]) -> bool:
    """First and last name, no acronym: the small NER's "ÖVP Burgenland" or "Westbahn" is no
    reason to drop the speaker."""
    return len(tokens) >= 2 and not any(len(w) > 1 and w.isupper() for w in tokens)


def person_before(
    sent: Span, state: DocState, quotes: list[bool]
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """Indirect speech with nobody quoted yet: the person named last just before it ("Kritik
    übt Verwaltungsrechtler Andreas Hauer. Die Novelle verstoße gegen EU-Richtlinien")."""
    near = [
        m
        for m in state.people
        if sent.start - _KONJ_WINDOW <= m.start < sent.start and not quotes[m.start]
    ]
    if not near:
        return None, None, None
    m = near[-1]
    name = resolve_name(m.name, state, before=m.start + 1)
    toks = list(sent.doc[m.start : m.start + len(m.tokens)])
    return name, role_of(name, state), text_span(toks)


# How far back (tokens) indirect speech without a speaker looks for the person it reports.
_KONJ_WINDOW = 40


def text_span(tokens: list[Token]) -> tuple[int, int] | None:
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


_FIRST_DE = frozenset({"ich", "mich", "mir", "mein", "meine", "wir", "uns", "unser", "unsere"})
_FIRST_EN = frozenset({"i", "me", "my", "we", "us", "our"})


def first_person(sent: Span, quotes: list[bool]) -> bool:
    """A first-person pronoun outside quotes, written as a pronoun ("us", "I", "Wir" opening the
    sentence; not "US"): a quote whose marks were lost continues the last speaker."""
    return any(
        (t.lower_ in _FIRST_DE or t.lower_ in _FIRST_EN)
        and not quotes[t.i]
        and (t.text.islower() or t.text == "I" or (t.i == sent.start and t.text.istitle()))
        for t in sent
    )
