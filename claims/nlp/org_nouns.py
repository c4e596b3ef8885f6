"""Organisation nouns introduced with a name: "The group, WeWorkers Coalition, formed ...".

"The group said" is the organisation the article introduced as "the group" (an apposition
naming it), before the latest organisation any noun would fit. "A group of employees" is someone
new: the organisation the article names next with that noun, else an anonymous source, never
an organisation named before it ("according to a group representing rural counties" is not the
utility the article is about).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from claims.nlp.lexicon import DETERMINERS, ORG_NOUNS

_INDEFINITE = frozenset({"a", "an", "ein", "eine", "einer", "eines", "einem", "einen"})
# How far ahead (tokens) "a group" looks for the apposition that names it.
_NAMED_WITHIN = 80


def introductions(doc: Doc) -> list[tuple[int, str, str]]:
    """(token index, noun, name) for every "the/a NOUN, Name Name," in the article: a determiner,
    an organisation noun, a comma, a run of capitalised words, a comma or the sentence's end."""
    cached = doc.user_data.get("org_noun_intros")
    if cached is not None:
        return cached
    out: list[tuple[int, str, str]] = []
    n = len(doc)
    for i in range(1, n - 3):
        t = doc[i]
        if t.lower_ not in ORG_NOUNS or doc[i - 1].lower_ not in DETERMINERS:
            continue
        if doc[i + 1].text != ",":
            continue
        j = i + 2
        while j < n and doc[j].text[:1].isupper() and (doc[j].is_alpha or "-" in doc[j].text):
            j += 1
        if j - (i + 2) >= 1 and j < n and doc[j].text in (",", "."):
            out.append((i, t.lower_, doc[i + 2 : j].text))
    doc.user_data["org_noun_intros"] = out
    return out


def introduced_org(head: Token, first: Token) -> str | None:
    """The name of the organisation "the group" / "a group" refers to, read from the article's
    appositions; "unattributed" for an indefinite one the article never names; None when no
    apposition decides (the caller's other rules then apply)."""
    doc = head.doc
    low = head.lower_
    intros = [(i, name) for i, noun, name in introductions(doc) if noun == low]
    if first.lower_ in _INDEFINITE:
        later = [name for i, name in intros if head.i <= i < head.i + _NAMED_WITHIN]
        return later[0] if later else "unattributed"
    earlier = [name for i, name in intros if i < head.i]
    return earlier[-1] if earlier else None
