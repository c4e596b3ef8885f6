"""German sources that speak through a document or about themselves.

- "..., heißt es in Zschäpes Erklärung." -> the document's author (the possessor);
  "..., ist Novomatic an einem Erwerb interessiert, heißt es in der Aussendung." -> a
  document without its author named speaks for the organisation or person the sentence names
  (a press release speaks about its sender), else for the last speaker.
- "Beate Zschäpe ist nach eigenen Angaben ... geschlagen worden", "Nach eigenem
  Bekunden geht es den SPD-Ländern ...": the person or organisation the sentence names reports it.

No list of names: persons come from :mod:`claims.nlp.people`, organisations from the NER.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claims.nlp.people import DocState, resolve_name, strip_genitive

_HEISST = frozenset({"heißt", "hieß"})
_OWN = frozenset({"eigenen", "eigenem", "eigener"})
_OWN_NOUNS = frozenset({"angaben", "aussagen", "bekunden", "darstellung", "worten"})


def is_document_cue(sent: Span, t: Token, quotes: list[bool]) -> bool:
    """ "heißt es in der Aussendung", "hieß es in einer Mitteilung"."""
    doc = sent.doc
    j = t.i
    return (
        t.lower_ in _HEISST
        and j + 2 < sent.end
        and doc[j + 1].lower_ == "es"
        and doc[j + 2].lower_ in ("in", "im")
        and not quotes[j + 1]
    )


def is_own_account(sent: Span, t: Token) -> bool:
    """ "nach eigenen Angaben", "nach eigenem Bekunden". ("eigenen Angaben zufolge" stays with
    the "zufolge" rule: read as the subject, SpkAtt's source spans were matched less often.)"""
    doc = sent.doc
    j = t.i
    return (
        t.lower_ == "nach"
        and j + 2 < sent.end
        and doc[j + 1].lower_ in _OWN
        and doc[j + 2].lower_ in _OWN_NOUNS
    )


def document_source(sent: Span, t: Token, state: DocState, quotes: list[bool]) -> str | None:
    """Who speaks through the document after "heißt es in": its possessor, else the person or
    organisation the sentence names, else the last speaker; None when nobody is known."""
    doc = sent.doc
    for m in state.people:  # "in Zschäpes Erklärung"
        if t.i + 3 <= m.start < sent.end and not quotes[m.start]:
            state.phrase = list(doc[m.start : m.start + len(m.tokens)])
            return resolve_name(strip_genitive(m.name, "de"), state, before=m.start + 1)
    return named_in(sent, state, quotes, before=t.i) or state.last_speaker


def own_account(sent: Span, t: Token, state: DocState, quotes: list[bool]) -> str | None:
    """ "X ist nach eigenen Angaben ...": the person or organisation the sentence names."""
    return named_in(sent, state, quotes, before=sent.end, skip=(t.i, t.i + 3))


def named_in(
    sent: Span,
    state: DocState,
    quotes: list[bool],
    *,
    before: int,
    skip: tuple[int, int] = (0, 0),
) -> str | None:
    """The first person (full name as introduced) or organisation named in the sentence
    outside quotes, before token ``before``."""
    doc = sent.doc
    found: list[tuple[int, str, list[Token]]] = []
    for m in state.people:
        if sent.start <= m.start < before and not quotes[m.start]:
            name = resolve_name(m.name, state, before=m.start + 1)
            found.append((m.start, name, list(doc[m.start : m.start + len(m.tokens)])))
            break
    for e in state.orgs:
        inside = sent.start <= e.start < before and not skip[0] <= e.start < skip[1]
        if e.label_ == "ORG" and inside and not quotes[e.start]:
            found.append((e.start, e.text, list(e)))
            break
    if not found:
        return None
    _, name, toks = min(found, key=lambda f: f[0])
    state.phrase = toks
    return name
