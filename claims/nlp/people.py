"""The article's people and organisations, read top to bottom, and how short references resolve.

`DocState.people` holds every person mention (`Mention(name, tokens, role, start)`): full names
with the role noun that introduces them ("US-Präsident Donald Trump", "Zippy Duvall, the
president of ..."), then every later bare surname or first name of a registered person. A short
name resolves to the fullest earlier name containing it (:func:`resolve_name`); a role noun
("der Minister", "the governor") to the person introduced with that role (:func:`resolve_role`);
an organisation noun ("das Gericht", "the company") to the organisation named earlier
(:func:`resolve_organisation`). The standalone-claim rules reuse the same registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claims.nlp.lexicon import HONORIFICS, ORG_NOUNS, ROLE_ABBREVIATIONS, ROLE_SUFFIX
from claims.nlp.name_forms import QUESTION_WORDS, glued_surname, split_glued


@dataclass
class Mention:
    name: str
    tokens: tuple[str, ...]
    role: str | None
    start: int  # token index


@dataclass
class DocState:
    """What the rules remember while reading an article from top to bottom."""

    lang: str
    people: list[Mention] = field(default_factory=list)
    ents: list[Span] = field(default_factory=list)  # doc.ents once: each access rebuilds spans
    orgs: list[Span] = field(default_factory=list)  # organisation entities, in order
    last_speaker: str | None = None
    last_role: str | None = None
    last_span: tuple[int, int] | None = None  # doc.text offsets the last speaker was read from
    continuing: bool = False  # the previous sentence was attributed reported speech
    quoting: bool = False  # ... and held a quotation (or continued one whose marks were lost)
    long_forms: dict[str, str] | None = None  # "EuGH" -> "Europäischer Gerichtshof", read once
    # The noun phrase the current sentence's claimant was read from (set by the cue rules).
    phrase: list[Token] = field(default_factory=list)
    resolver: object | None = None  # the learned resolver's memory (attribution_resolver.Context)


def is_cap(tok: Token) -> bool:
    return (bool(tok.text) and tok.text[0].isupper() and tok.is_alpha) or (
        "-" in tok.text and tok.text[0].isupper()
    )


def strip_genitive(word: str, lang: str) -> str:
    if lang == "de" and len(word) > 3 and word.endswith("s") and word[-2] not in "sxzß":
        return word[:-1]
    if lang == "en" and word.endswith(("'s", "’s")):
        return word[:-2]
    return word


def _role_after(tokens: list[Token], end: int) -> str | None:
    """ "Zippy Duvall, the president of ...", "Dave Mazza, Chief Strategy Officer bei ...": the
    apposition's role noun right after the name."""
    if end >= len(tokens) or tokens[end].text != ",":
        return None
    for tok in tokens[end + 1 : end + 6]:
        if tok.is_punct:
            return None
        if ROLE_SUFFIX.search(tok.text):
            return tok.text
    return None


def collect_people(doc: Doc, state: DocState) -> None:
    """Register person names: NER PER/PERSON spans first, then runs of proper nouns the NER
    missed (not overlapping another entity); titles and role nouns in front are cut off and kept
    as the role. Then every later bare surname or first name of a registered person."""
    state.ents = list(doc.ents)
    state.orgs = [e for e in state.ents if e.label_ in ("ORG", "NORP")]
    tokens = list(doc)  # each doc[i] builds a new Token: build them once
    n = len(tokens)
    pos = [t.pos_ for t in tokens]
    cap = [is_cap(t) for t in tokens]
    person_spans, other = [], bytearray(n)
    # a word the NER also calls a place is no person ("Nordkorea" tagged PER now and then)
    places = {e.text for e in state.ents if e.label_ in ("LOC", "GPE")}
    for e in state.ents:
        if len(e) == 1 and e.label_ in ("PER", "PERSON") and _question(tokens, e.start):
            continue  # "Wieso? Er erklärt es am Beispiel Kupfer." is no person
        if e.label_ in ("PER", "PERSON") and not (len(e) == 1 and e.text in places):
            end = e.end
            # "Kim Jong" + "Un": extend over short capitalised name parts the NER cut off
            while (
                end < n and cap[end] and (pos[end] in ("PROPN", "X") or len(tokens[end].text) <= 3)
            ):
                end += 1
            person_spans.append((e.start, end))
        elif e.label_ not in ("ORG", "PRODUCT", "MISC", "WORK_OF_ART"):
            # the small NER takes many people for organisations or products, never for places
            other[e.start : e.end] = b"\x01" * (e.end - e.start)
    # German: the small NER calls many people places ("unter Guus Hiddink" as LOC); a run of
    # proper nouns whose last word appears elsewhere outside any place entity is kept.
    outside_places = (
        {t.text for t in tokens if t.ent_type_ not in ("LOC", "GPE")}
        if state.lang == "de"
        else set()
    )
    runs = []
    i = 0
    while i < n:
        if pos[i] == "PROPN" and cap[i] and "-" not in tokens[i].text:
            j = i
            while j + 1 < n and pos[j + 1] == "PROPN" and cap[j + 1]:
                j += 1
            # single proper nouns: places, companies
            if j > i and (not any(other[i : j + 1]) or tokens[j].text in outside_places):
                runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    taken: list[tuple[int, int]] = []
    for s, e in sorted(person_spans) + sorted(runs):
        toks = [t for t in tokens[s:e] if t.is_alpha or "-" in t.text or _initial(t.text)]
        while len(toks) > 2 and toks[0].text in places:  # "Ukraine Kurt Volker"
            toks = toks[1:]
        roles = [k for k, t in enumerate(toks) if _is_title(t.text) or _abbreviation(t.text)]
        if roles:  # "Außenminister Heiko Maas", "Interim BART Police Chief Ed Alvarez"
            toks = toks[roles[-1] + 1 :]
        if not toks or any(toks[0].i < te and ts < toks[-1].i + 1 for ts, te in taken):
            continue
        taken.append((toks[0].i, toks[-1].i + 1))
        prev = tokens[toks[0].i - 1] if toks[0].i > 0 else None
        role = prev.text if prev is not None and ROLE_SUFFIX.search(prev.text) else None
        if prev is not None and prev.lower_.rstrip(".") in ROLE_ABBREVIATIONS:  # "Gov. Holcomb"
            role = ROLE_ABBREVIATIONS[prev.lower_.rstrip(".")]
        role = role or _role_after(tokens, toks[-1].i + 1)
        while len(toks) > 1 and toks[-1].text == "-":  # "Uchiyama -"
            toks = toks[:-1]
        words = tuple(t.text for t in toks if t.text != "-")
        name = doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]  # "Bautista-Agut"
        if len(words) == 1 and len(split_glued(words[0])) == 2:  # "Landeshauptmann HansNiessl"
            words = split_glued(words[0])
            name = " ".join(words)
        state.people.append(Mention(" ".join(name.split()), words, role, toks[0].i))
    _first_names(tokens, state)
    full = [m for m in state.people if len(m.tokens) > 1]
    parts = {w for m in full for w in (m.tokens[0], m.tokens[-1]) if len(w) > 2}
    if parts:
        covered = bytearray(n)
        for s, e in taken:
            covered[s:e] = b"\x01" * (e - s)
        for i, tok in enumerate(tokens):
            if covered[i] or not cap[i]:
                continue
            word = tok.text if tok.text in parts else strip_genitive(tok.text, state.lang)
            if word not in parts:
                word = glued_surname(tok.text, parts)
            if word in parts:
                state.people.append(Mention(word, (word,), None, i))
    state.people.sort(key=lambda m: m.start)


_FUNCTION_POS = frozenset({"ADP", "DET", "PRON", "ADV", "VERB", "AUX", "CCONJ", "SCONJ", "PUNCT"})


def _first_names(tokens: list[Token], state: DocState) -> None:
    """A surname the NER found alone ("Wößmann", "Hiddink") gets the first name it was
    introduced with, when the tagger missed the pair: "Bildungsökonom Ludger Wößmann",
    "unter Guus Hiddink". The word before must be capitalised, not a role, a title or a
    sentence's first word."""
    known = {w for m in state.people if len(m.tokens) > 1 for w in m.tokens}
    single = {m.name for m in state.people if len(m.tokens) == 1} - known
    if not single:
        return
    positions = [i for i, tok in enumerate(tokens) if i and tok.text in single]
    for name in single:
        for i in positions:
            prev = tokens[i - 1]
            if tokens[i].text != name or not is_cap(prev) or prev.is_sent_start:
                continue
            if prev.pos_ in _FUNCTION_POS or _is_title(prev.text) or not prev.is_alpha:
                continue
            before = tokens[i - 2] if i > 1 else None
            role = before.text if before is not None and ROLE_SUFFIX.search(before.text) else None
            words = (prev.text, name)
            state.people.append(Mention(" ".join(words), words, role, i - 1))
            break


def forget_people_in(state: DocState, ranges: list[tuple[int, int]]) -> None:
    """Drop the people named in bylines and photo credits ("© Foto: Kay Nietfeld/dpa"): they
    never said anything in the article, and must not become the antecedent of "er"/"he"."""
    if ranges:
        state.people = [m for m in state.people if not any(s <= m.start < e for s, e in ranges)]


def _question(tokens: list[Token], i: int) -> bool:
    nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return tokens[i].lower_ in QUESTION_WORDS or nxt == "?"


def _abbreviation(word: str) -> bool:
    return 2 <= len(word) <= 4 and word.isupper() and word.isalpha()  # "Browns DL Sheldon ..."


def _initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."  # "Bernhard H."


def _is_title(word: str) -> bool:
    low = word.lower()
    return (
        bool(ROLE_SUFFIX.search(word))
        or low.rstrip(".") in HONORIFICS
        or (low.endswith(_DESCRIPTORS) and word[:1].isupper() and not low.startswith(_DESCRIPTORS))
    )


# Compound nouns describing an organisation before its name: "Der Glücksspielkonzern Novomatic",
# "Nachrichtenagentur Reuters" (the descriptor alone, "Konzern", is no title).
_DESCRIPTORS = ("konzern", "unternehmen", "hersteller", "anbieter", "agentur", "zeitung")


def resolve_name(short: str, state: DocState, before: int | None = None) -> str:
    """Resolve "Trump"/"Trumps" to the fullest name containing it, mentioned earlier if possible."""
    words = tuple(short.split())
    if not words:
        return short
    forms = [words]
    stripped = strip_genitive(words[-1], state.lang)
    if stripped != words[-1]:
        forms.append((*words[:-1], stripped))
    best: Mention | None = None
    for form in forms:
        n = len(form)
        pool = [
            m
            for m in state.people
            if any(m.tokens[k : k + n] == form for k in range(len(m.tokens) - n + 1))
        ]
        earlier = [m for m in pool if before is None or m.start < before]
        for m in earlier or pool:
            # the fullest form, first introduced ("Tim Cook" before a stray "Hosting Cook")
            if best is None or (len(m.tokens), -m.start) > (len(best.tokens), -best.start):
                best = m
    return best.name if best else short


def role_of(name: str, state: DocState) -> str | None:
    """The role a person was introduced with ("us-präsident" for "Donald Trump")."""
    return next((m.role for m in state.people if m.name == name and m.role), None)


def _has_role(m: Mention, head: str) -> bool:
    role = (m.role or "").lower()
    return bool(role) and (role.endswith(head) or head.endswith(role))


def resolve_role(role_head: str, state: DocState, before: int) -> str | None:
    """ "der Minister", "the governor" -> of the people introduced as "...minister" before
    ``before``, the one mentioned last (by any form of the name): "Gov. Eric Holcomb ... Gov.
    Matt Bevin ... Holcomb's campaign. The governor said" is Holcomb."""
    head = role_head.lower()
    holders = {
        resolve_name(m.name, state) for m in state.people if m.start < before and _has_role(m, head)
    }
    if not holders:
        return None
    for m in sorted(state.people, key=lambda m: m.start, reverse=True):
        if m.start < before:
            name = resolve_name(m.name, state, before=m.start + 1)
            if name in holders:
                return name
    return None


def introduced_after(role_head: str, state: DocState, after: int, within: int) -> str | None:
    """ "A California transit chief says ...": an indefinite role introduces someone the article
    names next ("Interim BART Police Chief Ed Alvarez told reporters"), within ``within`` tokens."""
    head = role_head.lower()
    for m in state.people:
        if after <= m.start < after + within and _has_role(m, head):
            return resolve_name(m.name, state)
    return None


def resolve_organisation(head: Token, state: DocState, before: int) -> str | None:
    """ "das Gericht" -> "Bundesverwaltungsgericht", "die Polizei" -> "Polizei Karlsruhe"'s
    compound, "the company" -> the latest organisation named before ``before``."""
    low = head.lower_
    generic = low in ORG_NOUNS
    for e in reversed(state.orgs):
        if e.start >= before:
            continue
        text = e.text
        if any(t.lower_.endswith(low) for t in e) or generic:
            words = text.split()
            while len(words) > 1 and words[0].lower() in ("the", "der", "die", "das", "des"):
                words = words[1:]
            return " ".join(words)
    if generic or len(low) < 5:
        return None
    # German compounds the NER did not tag: "Bundesverwaltungsgericht" for "das Gericht"
    doc = head.doc
    for j in range(before - 1, max(before - 2000, -1), -1):
        word = doc[j].text
        if len(word) > len(low) + 2 and word.lower().endswith(low) and word[0].isupper():
            return word
    return None
