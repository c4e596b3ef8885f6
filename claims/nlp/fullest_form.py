"""A claimant written short, completed to the fullest form of the same name in the article.

The guidelines ask for the full name *as introduced in the article*: "Tottenham said" ->
"Tottenham Hotspur", "Amnesty" -> "Amnesty International", "the National Institute" (the NER cut
the name at "on") -> "National Institute on Drug Abuse", "Robin" (a first name the tagger kept
alone) -> "Robin Ziegele", "Marie Persson" (the hyphen split the first name) -> "Eva-Marie
Persson", "James Kennedy" -> "James Kennedy Jr.". :func:`claims.nlp.people.resolve_name` does this
for registered people by whole tokens; this step reads the article's entities and capitalised
name runs (with the connectors names use: "of", "for", "on", "für", "der") and picks the form
that contains the claimant's words in order and is named most often.

It never adds a title or role in front ("Coach P.J. Fleck", "Staatsanwalt Philipp Trebuch"),
never a product after an organisation ("Google" stays "Google", not "Google Stadia": a
longer form must be an entity of the same kind), and never crosses a possessive.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from spacy.tokens import Span

from claims.nlp.lexicon import DETERMINERS, HONORIFICS, ROLE_SUFFIX

_WORD = re.compile(r"[^\W_]+(?:\.(?=\s|$))?", re.UNICODE)
_PERSON = ("PER", "PERSON")
_ORG = ("ORG",)
_CONNECTORS = frozenset({"of", "for", "on", "für", "der", "des", "and", "&", "und"})
_SUFFIXES = frozenset({"jr.", "sr.", "jr", "sr", "ii", "iii"})


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _clean(text: str, lang: str) -> str:
    """An entity's text without leading determiners, titles and roles, and without a trailing
    possessive."""
    parts = text.split()
    while parts and (
        parts[0].lower() in DETERMINERS
        or parts[0].lower().rstrip(".") in HONORIFICS
        or ROLE_SUFFIX.search(parts[0])
    ):
        parts = parts[1:]
    if parts and parts[-1].endswith(("'s", "’s")):
        parts[-1] = parts[-1][:-2]
    return " ".join(parts).strip(" ,;:")


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return any(long[k : k + n] == short for k in range(len(long) - n + 1))


def _is_name(form: str) -> bool:
    """Every word capitalised but the connectors and suffixes: a name, not a phrase."""
    parts = form.split()
    if (
        any(c in form for c in ",;/|+")
        or not parts
        or any("'" in p or "’" in p for p in parts[:-1])
    ):
        return False
    if all(p.isupper() for p in parts if p.isalpha()):
        return False  # "HOME DEPOT INC.": a ticker line, not the name as the article writes it
    for p in parts:
        if p.lower() in _CONNECTORS or p.lower() in _SUFFIXES:
            continue
        if not p[:1].isupper() and not p[:1].isdigit():
            return False
    return parts[-1].lower() not in _CONNECTORS and parts[0].lower() not in _CONNECTORS


def _prose(e: Span) -> bool:
    """The entity stands in a sentence of prose, not a headline in Title Case ("Early Reviews
    For Google Stadia ...", "NYDIG Research Predicts ...")."""
    lower = [t for t in e.sent if t.is_alpha and t.text[:1].islower()]
    return len(lower) >= 3


def _added_ok(e: Span, short: list[str], person: bool) -> bool:
    """The words the longer form adds are name words: proper nouns (or connectors inside an
    organisation's name), never a common noun ("Bundesverwaltungsgericht Zugang"), never an
    acronym or a place in front of a person ("Browns DL Sheldon Richardson", "Ukraine Kurt
    Volker"), and a person's name gains only first names and suffixes."""
    toks = [t for t in e if not t.is_punct or t.text in ("-", "&")]
    low = [_words(t.text) for t in toks]
    flat = [w for ws in low for w in ws]
    n = len(short)
    at = next(k for k in range(len(flat) - n + 1) if flat[k : k + n] == short)
    added, k = [], 0
    for t, ws in zip(toks, low, strict=True):
        if not (at <= k < at + n) and ws:
            added.append(t)
        k += len(ws)
    added = [
        t for t in added if t.lower_ not in DETERMINERS and t.lower_.rstrip(".") not in HONORIFICS
    ]
    for t in added:
        word = t.text
        if word.lower() in _SUFFIXES or word == "-":
            continue
        if person and (word.lower() in _CONNECTORS or t.ent_type_ in ("GPE", "LOC")):
            return False
        if word.lower() in _CONNECTORS or word == "&":
            continue
        if t.pos_ not in ("PROPN", "X", "ADJ") and not (person and t.pos_ == "NOUN"):
            return False
        if person and len(word) > 1 and word.isupper() and word.isalpha():
            return False  # "Browns DL Sheldon Richardson"
    if person and len(short) >= 2:  # a full name already: only "Jr." or "Eva-" of "Eva-Marie"
        doc = e.doc
        for t in added:
            hyphenated = t.text == "-" or (t.i + 1 < len(doc) and doc[t.i + 1].text == "-")
            if not (t.text.lower() in _SUFFIXES or hyphenated):
                return False
    return True


def _first_alone(claimant: str, ents: Sequence[Span], spans: list[tuple[int, int]]) -> int | None:
    """Token index of the first time the claimant's words stand in the text outside the longer
    forms (``spans``), written as in ``claimant`` (capitalised)."""
    if not ents:
        return None
    doc = ents[0].doc
    words = claimant.split()
    n = len(words)
    for i in range(len(doc) - n + 1):
        if doc[i].text != words[0] or [t.text for t in doc[i : i + n]] != words:
            continue
        if not any(a <= i < b for a, b in spans):
            return i
    return None


def fullest_form(
    claimant: str, ents: Sequence[Span], lang: str, *, people: Collection[str] = ()
) -> str:
    """The article's fullest form of ``claimant`` among the entities ``ents`` (``doc.ents``), or
    ``claimant`` unchanged. ``people``: the article's registered person names (the longer form
    of a first and last name must be a person entity too: not "Ukraine Kurt Volker", tagged
    ORG; a single registered word may be a proper noun the NER missed: "Amnesty")."""
    if not claimant or claimant == "unattributed" or claimant.isupper() or "+" in claimant:
        return claimant  # acronyms have their own long forms (claims.nlp.name_forms)
    short = _words(claimant)
    if not short or len(short) > 6 or {"and", "und"} & set(short):
        return claimant
    places = {e.text.casefold() for e in ents if e.label_ in ("GPE", "LOC")}
    named = claimant in people and len(short) >= 2  # a person's first and last name
    alone: Counter[bool] = Counter()  # the short form as an entity of its own: person or not
    forms: Counter[tuple[str, bool]] = Counter()
    first: dict[tuple[str, bool], int] = {}
    spans: list[tuple[int, int]] = []
    for e in ents:
        if e.label_ not in _PERSON + _ORG:
            continue
        person = e.label_ in _PERSON
        form = _clean(e.text, lang)
        words = _words(form)
        if words == short:
            alone[person] += 1
            continue
        if len(words) <= len(short) or not _contains(words, short) or not _is_name(form):
            continue
        if not (_prose(e) and _added_ok(e, short, person)):
            continue
        if named and any(w in places for w in words if w not in short):
            continue  # "Ukraine Kurt Volker" (the NER's ORG) is Kurt Volker
        forms[form, person] += 1
        first.setdefault((form, person), e.start)
        spans.append((e.start, e.end))
    if forms:  # introduced before the short form: "Amnesty International" ... "Amnesty"; not
        # "Apple" ... "Apple Watch" (a product named after its maker)
        alone_at = _first_alone(claimant, ents, spans)
        forms = Counter({k: v for k, v in forms.items() if alone_at is None or first[k] < alone_at})
    if alone:  # the longer form must name the same kind of thing as the short one does
        kind = alone.most_common(1)[0][0]
        forms = Counter({k: v for k, v in forms.items() if k[1] == kind})
    if not forms:
        return claimant
    # The most frequent longer form, then the longest, then the first introduced
    best = max(forms, key=lambda k: (forms[k], len(_words(k[0])), -first[k]))
    return best[0]
