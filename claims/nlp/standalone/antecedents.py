"""What a sentence's references point to, from the article read up to that sentence.

People come from the attribution rules (``DocState.people``, ``resolve_name``); organisations,
places and the dateline are read here from the Doc's entities, once per Doc (cached in
``doc.user_data``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from claims.nlp.attribution import DocState, resolve_name, resolve_role
from claims.nlp.lexicon import ROLE_SUFFIX

_ORG = {"ORG"}
_PLACE = {"LOC", "GPE", "FAC"}
_MALE = {"he", "him", "his", "himself", "er", "ihn", "ihm"}
_FEMALE = {"she", "her", "hers", "herself"}
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\n])\s*)(?P<place>[A-ZÄÖÜ][\w.'-]+(?:[ /,]+[A-ZÄÖÜ][\w.'-]+){0,3})"
    r"\s*(?:\([^)\n]{1,30}\))?\s*[–—]"
)
# News agencies credited in datelines ("(Reuters) —") are not what "it" or "the company" means.
_AGENCIES = {"Reuters", "AP", "AFP", "dpa", "APA", "KNA", "epd", "sda", "SDA", "Bloomberg"}
_FEMALE_TITLES = {"mrs", "ms", "frau", "mrs.", "ms."}
_MALE_TITLES = {"mr", "mr.", "herr"}


@dataclass
class ArticleFacts:
    orgs: list[tuple[int, str]] = field(default_factory=list)  # (token index, name)
    org_nouns: dict[int, str] = field(default_factory=dict)  # token index -> "glücksspielkonzern"
    text: str = ""
    places: list[tuple[int, str]] = field(default_factory=list)
    dateline: str | None = None
    gender: dict[str, str] = field(default_factory=dict)  # surname -> "m" | "f"
    roles: dict[str, str] = field(default_factory=dict)  # full name -> role as written
    persons: set[str] = field(default_factory=set)  # full names the NER tagged as people
    full: dict[int, str] = field(default_factory=dict)  # person mention start -> full name
    names: set[str] = field(default_factory=set)  # full names of several words
    starts: list[int] = field(default_factory=list)  # token index where each sentence starts
    not_people: bytearray = field(default_factory=bytearray)

    def back(self, i: int, sentences: int) -> int:
        """Start of the sentence ``sentences`` before the one holding token i."""
        k = max(bisect.bisect_right(self.starts, i) - 1 - sentences, 0)
        return self.starts[k] if self.starts else 0


def _clean_entity(text: str) -> str:
    text = re.sub(r"\s*['’]s$", "", text)
    words = text.split()
    while len(words) > 1 and words[0].lower() in {"the", "der", "die", "das", "den", "dem"}:
        words = words[1:]
    return " ".join(words)


def article_facts(doc: Doc, state: DocState) -> ArticleFacts:
    """Organisations, places, the dateline and each person's gender and role, once per Doc."""
    cached = doc.user_data.get("claimtracker_standalone_facts")
    if cached is not None:
        return cached
    facts = ArticleFacts(text=doc.text)
    starts = doc.to_array([SENT_START])
    facts.starts = [int(i) for i in np.flatnonzero(starts == 1)] or [0]
    names = {m.name for m in state.people}
    for e in state.ents or doc.ents:
        agency = e.text in _AGENCIES or (e.start > 0 and doc[e.start - 1].text == "(")
        if e.label_ in _ORG and e.text not in names and not agency:
            facts.orgs.append((e.start, _clean_entity(e.text)))
            if e.start > 0:  # "Der Glücksspielkonzern Novomatic": what "der Konzern" will mean
                facts.org_nouns[e.start] = doc[e.start - 1].lower_
        elif e.label_ in _PLACE and e.text not in names:
            place = _clean_entity(e.text)
            facts.places.append(
                (e.start, place.title() if place.isupper() and len(place) > 3 else place)
            )
    head = doc.text[:2000]
    m = _DATELINE.search(head)
    if m:
        place = m.group("place").split(",")[0].strip()
        facts.dateline = place.title() if place.isupper() else place
    for e in state.ents or doc.ents:
        if e.label_ in ("PER", "PERSON"):
            facts.persons.add(resolve_name(_clean_entity(e.text), state, before=e.start + 1))
    tokens = list(doc)
    not_people = bytearray(len(tokens))  # tokens inside a place name ("ÖVP Burgenland")
    for e in state.ents or doc.ents:
        if e.label_ in _PLACE:
            not_people[e.start : e.end] = b"\x01" * (e.end - e.start)
    facts.not_people = not_people
    for k, mention in enumerate(state.people):
        prev = tokens[mention.start - 1] if mention.start > 0 else None
        surname = mention.tokens[-1]
        if len(mention.tokens) > 1 and not not_people[mention.start]:
            facts.names.add(mention.name)
            if prev is not None and ROLE_SUFFIX.search(prev.text):
                full = full_name(facts, state, mention)
                facts.persons.add(full)
                facts.roles.setdefault(full, prev.text)
        if prev is not None and prev.lower_ in _FEMALE_TITLES | _MALE_TITLES:
            facts.gender.setdefault(surname, "f" if prev.lower_ in _FEMALE_TITLES else "m")
            continue
        if prev is not None and prev.text.endswith("in") and ROLE_SUFFIX.search(prev.text):
            facts.gender.setdefault(surname, "f")  # "Außenministerin Karin Kneissl"
            continue
        # The first singular subject pronoun after the mention, before the next person.
        stop = state.people[k + 1].start if k + 1 < len(state.people) else len(tokens)
        for tok in tokens[mention.start + len(mention.tokens) : min(stop, mention.start + 40)]:
            low = tok.lower_
            if low in _MALE or (low == "sie" and "Sing" in tok.morph.get("Number")):
                facts.gender.setdefault(surname, "m" if low in _MALE else "f")
                break
            if low in _FEMALE:
                facts.gender.setdefault(surname, "f")
                break
    doc.user_data["claimtracker_standalone_facts"] = facts
    return facts


def full_name(facts: ArticleFacts, state: DocState, mention) -> str:
    """The mention's full name ("Trump" -> "Donald Trump"), resolved once per mention."""
    full = facts.full.get(mention.start)
    if full is None:
        full = facts.full[mention.start] = resolve_name(
            mention.name, state, before=mention.start + 1
        )
    return full


def last_person(
    state: DocState, facts: ArticleFacts, before: int, gender: str | None, exclude: set[str]
) -> str | None:
    """The person named last before token ``before`` whose gender (when known) fits."""
    for m in sorted(state.people, key=lambda m: m.start, reverse=True):
        if m.start >= before:
            continue
        full = full_name(facts, state, m)
        if full in exclude or full not in facts.persons:
            continue
        known = facts.gender.get(full.split()[-1])
        if gender and known and known != gender:
            continue
        return canonical(full, facts.persons)
    return None


_AGE_WORD = re.compile(r"^(\d{1,3})-(?:jährige[nrms]?|year-old)$", re.IGNORECASE)


def age_of(word: str) -> str | None:
    """ "32-Jährige" / "51-year-old" -> "32"."""
    m = _AGE_WORD.match(word)
    return m.group(1) if m else None


def person_with_age(state: DocState, facts: ArticleFacts, doc: Doc, before: int, age: str,
                    gender: str | None) -> str | None:  # fmt: skip
    """Who "die 32-Jährige" / "the 51-year-old" is: the person the article introduced with that
    age before token ``before`` ("die 32-jährige Sängerin Anna X", "Anna X (32)", "Anna X, 32,",
    "the 51-year-old John Y"), the last one when several were; None when nobody was (then the
    reference stays and is reported, rather than guessed from whoever was named last). When no
    age was given, the only person the article has named so far (gender permitting) is meant."""
    seen: set[str] = set()
    for m in sorted(state.people, key=lambda m: m.start, reverse=True):
        if m.start >= before:
            continue
        full = canonical(full_name(facts, state, m), facts.persons)
        known = facts.gender.get(full.split()[-1])
        if full not in facts.persons or (gender and known and known != gender):
            seen.add(full)  # not eligible, but another person the noun might mean
            continue
        end = m.start + len(m.tokens)
        lead = doc[max(m.start - 8, facts.back(m.start, 0)) : m.start].text
        trail = [t.text for t in doc[end : min(end + 3, len(doc))]]
        # the age right before the name, at most two words between ("32-jährige Sängerin")
        if re.search(rf"\b{age} ?- ?(jährige\w*|year ?- ?old)( [\w-]+){{0,2}}$", lead, re.I) or (
            len(trail) >= 2 and trail[0] in ("(", ",") and trail[1] == age
        ):
            return full
        seen.add(full)

    # The fallbacks guess, so only a plain "First Last" name qualifies ("de Chile" does not): the
    # only person named so far, or the article's main person (named at least three times and
    # twice as often as anyone else: "der 34-Jährige" in a portrait of Ibrahimovic).
    def plain(p: str) -> bool:
        return len(p.split()) >= 2 and all(w[:1].isupper() for w in p.split())

    if len(seen) == 1:
        return next((p for p in seen if plain(p) and p in facts.persons), None)
    counts: dict[str, int] = {}
    for m in state.people:
        if m.start < before:
            full = canonical(full_name(facts, state, m), facts.persons)
            counts[full] = counts.get(full, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        top = ranked[0][0]
        return top if plain(top) and top in facts.persons else None
    return None


_TITLES = {"mr", "mrs", "ms", "dr", "herr", "frau", "prof", "sen", "rep", "gov", "president"}
_NOT_PERSON_ENTS = {"ORG", "LOC", "GPE", "FAC", "NORP", "EVENT", "PRODUCT", "MISC", "DATE"}


def previous_subject(
    state: DocState, facts: ArticleFacts, doc: Doc, at: int, gender: str | None
) -> str | None:
    """The salient antecedent of "er"/"ihm"/"he" with no name before it in its sentence: the
    proper-noun subject of the sentence before ("Bankman-Fried verdiente ... . Die Kunden kamen
    zu ihm"), when it is not an organisation or place and its gender (when known) fits."""
    here = facts.back(at, 0)
    prev = facts.back(at, 1)
    if prev >= here:
        return None
    # No parser runs here: the subject is the proper-noun run that opens the sentence and is
    # followed by its finite verb ("Bankman-Fried verdiente", "Webb confessed").
    toks = [t for t in doc[prev:here] if not (t.is_punct or t.is_space)]
    run = []
    for t in toks:
        if t.pos_ != "PROPN" or len(run) == 4:
            break
        run.append(t)
    verb = toks[len(run)] if len(run) < len(toks) else None
    if not run or verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    while len(run) > 1 and run[0].lower_.rstrip(".") in _TITLES:
        run = run[1:]  # "Mr. Trump" -> "Trump", resolved to the full name below
    if any(t.ent_type_ in _NOT_PERSON_ENTS for t in run):
        return None
    name = " ".join(t.text for t in run)
    full = canonical(resolve_name(name, state, before=run[-1].i + 1), facts.persons)
    known = facts.gender.get(full.split()[-1])
    if gender and known and known != gender:
        return None
    return full


def person_for_role(role_word: str, state: DocState, before: int) -> str | None:
    name = resolve_role(role_word, state, before)
    return resolve_name(name, state) if name else None


def recent_org(facts: ArticleFacts, before: int) -> str | None:
    """What "it"/"its" names: the organisation named last in this sentence before the pronoun
    or in the two sentences before ("Amazon ... . Last year, it emitted ...")."""
    window = facts.back(before, 2)  # this sentence and the two before it
    named = [n for i, n in facts.orgs if window <= i < before]
    return named[-1] if named else None


def named_org(facts: ArticleFacts, before: int, head: str, title: str | None) -> str | None:
    """What "the company" / "der Konzern" names: the organisation last introduced with that
    noun ("Der Glücksspielkonzern Novomatic"), else the only one the headline names, else the
    one the article names far more often than any other. None when in doubt: a wrong name is
    worse than an unresolved "the company"."""
    earlier = [(i, name) for i, name in facts.orgs if i < before]
    if not earlier:
        return None
    introduced = [name for i, name in earlier if facts.org_nouns.get(i, "").endswith(head)]
    if introduced:
        return introduced[-1]
    names = {n for _, n in earlier}
    in_title = [n for n in names if title and n in title]
    if len(in_title) == 1:
        return in_title[0]
    counts = sorted(((facts.text.count(n), n) for n in names), reverse=True)
    if len(counts) == 1 or counts[0][0] >= 2 * counts[1][0]:
        return counts[0][1]
    return None


def last_place(facts: ArticleFacts, span) -> str | None:
    """What "dort"/"there" points to: nothing when the sentence itself names a place before
    (the reader sees it), else the place named last in the two sentences before, else the
    dateline."""
    if any(span.start <= i < span.end for i, _ in facts.places):
        return None
    if any(t.lower_ in ("in", "im") for t in span):
        return None  # "In den Industrieländern ..., dort": the place is in the sentence
    window = facts.back(span.start, 2)
    earlier = [name for i, name in facts.places if window <= i < span.start]
    return earlier[-1] if earlier else None


def canonical(name: str, persons: set[str]) -> str:
    """ "Thilo Sarrazins" -> "Thilo Sarrazin" when the NER also saw the name without the
    genitive s."""
    words = name.split()
    known = {w for p in persons if p != name for w in p.split()}
    return " ".join(w[:-1] if w.endswith("s") and w[:-1] in known else w for w in words)


def genitive(name: str, lang: str) -> str:
    if lang == "en":
        return f"{name}'" if name.endswith("s") else f"{name}'s"
    return f"{name}'" if name[-1:] in "sxzß" else f"{name}s"
