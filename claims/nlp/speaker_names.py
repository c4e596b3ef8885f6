"""From the words naming a speaker to a full name: person, organisation, or "unattributed".

A speaker phrase is read in this order: a pronoun resolves to the nearest person named before it;
a person registered in the article (:mod:`claims.nlp.people`) inside the phrase gives that
person's full name, whatever titles, roles and appositions surround it ("Interim BART Police
Chief Ed Alvarez" -> "Ed Alvarez"); then an organisation ("the Pentagon", "laut einem Bericht von
Reuters"); then a role noun resolves to the person introduced with that role ("der Minister"),
an organisation noun to the organisation named before ("das Gericht", "the company"); anonymous
sources ("officials", "Insidern") give "unattributed". Any other common noun is no speaker
(None): "Piktogramme", "Ziel", "statement" never become claimants.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from claims.nlp.lexicon import ANONYMOUS, DETERMINERS, ORG_NOUNS, PRONOUNS, ROLE_SUFFIX
from claims.nlp.name_forms import group_named
from claims.nlp.org_nouns import introduced_org
from claims.nlp.people import (
    DocState,
    introduced_after,
    is_cap,
    resolve_name,
    resolve_organisation,
    resolve_role,
)

UNATTRIBUTED = "unattributed"
# How far back (tokens) a pronoun looks for the person it refers to.
_PRONOUN_WINDOW = 80
_COMPLEMENT = {"de": frozenset({"von", "der", "des"}), "en": frozenset({"of", "for", "at"})}


def np_after(doc: Doc, i: int, end: int, lang: str) -> list[Token]:
    """The noun phrase starting at i (for "laut X", "according to X", "sagte X"): determiner,
    lowercase adjectives, capitalised words (English: also common nouns), then one genitive or
    "of/for" complement ("einem Bericht von Reuters", "a spokesperson for the Foreign Office")."""
    out: list[Token] = []
    j = i
    if j < end and doc[j].lower_ in DETERMINERS:
        out.append(doc[j])
        j += 1
        while (
            j < end and doc[j].is_alpha and doc[j].text.islower() and doc[j].pos_ in ("ADJ", "ADV")
        ):
            out.append(doc[j])
            j += 1
    while j < end and (
        is_cap(doc[j])
        or (doc[j].text == "-" and out)
        or (lang == "en" and doc[j].pos_ in ("NOUN", "ADJ") and doc[j].is_alpha)
    ):
        out.append(doc[j])
        j += 1
    if out and out[-1].lower_ in DETERMINERS:
        return []
    if out and j + 1 < end and doc[j].lower_ in _COMPLEMENT[lang]:
        tail = np_after(doc, j + 1, end, lang) if doc[j + 1].lower_ not in ("der", "des") else []
        if doc[j].lower_ in ("der", "des"):  # "Daten der Bundespolizei": genitive article
            tail = np_after(doc, j, end, lang)
        if tail:
            out += [doc[j], *tail] if tail[0].i != j else tail
    return out


def np_before(doc: Doc, i: int, start: int) -> list[Token]:
    """The noun phrase ending just before i (for "Dem Minister X zufolge")."""
    out: list[Token] = []
    j = i - 1
    while j >= start and (is_cap(doc[j]) or doc[j].lower_ in ("der", "des", "von")):
        out.insert(0, doc[j])
        j -= 1
    while j >= start and doc[j].is_alpha and doc[j].text.islower() and doc[j].pos_ in ("ADJ",):
        out.insert(0, doc[j])
        j -= 1
    if j >= start and doc[j].lower_ in DETERMINERS:
        out.insert(0, doc[j])
    while out and out[0].lower_ in ("der", "des", "von") and not is_cap(out[0]):
        out = out[1:]
    return out


def resolve_pronoun(pron: Token, state: DocState, quotes: list[bool]) -> str | None:
    """ "sagte er", "he said": the nearest person named outside quotes before the pronoun
    (within a few sentences), else the last speaker. "it" is the organisation last named;
    "they" the last speaker."""
    low = pron.lower_
    if low == "it":
        return resolve_organisation(pron, state, pron.i) or state.last_speaker
    if low in ("they", "we"):
        return state.last_speaker
    # The nearest person before the pronoun in its own sentence; else the first person (the
    # topic) of the nearest earlier sentence naming one: '... Ryan Suter, who joked about
    # Parise, ... "He's used to scoring goals," he said.' is Suter.
    doc = pron.doc
    sent_start = doc[pron.i].sent.start
    earlier = [
        m
        for m in state.people
        if pron.i - _PRONOUN_WINDOW <= m.start < pron.i and not quotes[m.start]
    ]
    same = [m for m in earlier if m.start >= sent_start]
    if same:  # "Trump wisse es zu schätzen, dass Nordkorea ..., sagte er": the topic
        m = same[0]
    elif earlier:
        topic = doc[earlier[-1].start].sent.start
        m = next(m for m in earlier if m.start >= topic)
    else:
        return state.last_speaker
    return resolve_name(m.name, state, before=m.start + 1)
    return state.last_speaker


def _proper_run(content: list[Token]) -> list[Token]:
    """The last run of capitalised proper nouns in the phrase ("Fort Worth Police Department")."""
    run: list[Token] = []
    for t in content:
        if t.pos_ == "PROPN" and is_cap(t) and not ROLE_SUFFIX.search(t.text):
            if run and t.i != run[-1].i + 1:
                run = []
            run.append(t)
    return run


def _org_in(content: list[Token], state: DocState) -> str | None:
    for e in state.orgs:
        if e.label_ == "NORP" and e.end != content[-1].i + 1:
            continue  # "the Jordanian government": a modifier, not the organisation
        if content[0].i <= e.start and e.end <= content[-1].i + 1:
            words = e.text.split()
            while len(words) > 1 and words[0].lower() in DETERMINERS:
                words = words[1:]
            return " ".join(words)
    return None


def speaker_from_tokens(
    toks: list[Token], state: DocState, sent: Span, quotes: list[bool]
) -> str | None:
    """Turn a noun phrase naming a speaker into a full name, an organisation, "unattributed", or
    None when it names no speaker. Records the phrase in ``state.phrase`` (the claimant span)."""
    toks = [t for t in toks if not (t.is_punct and t.text != "-") and not quotes[t.i]]
    if not toks:
        return None
    state.phrase = toks
    lang = state.lang
    first = toks[0]
    if len(toks) == 1 and (first.lower_ in PRONOUNS[lang] or first.lower_ in ("it", "we")):
        return resolve_pronoun(first, state, quotes)
    content = [t for t in toks if t.lower_ not in DETERMINERS]
    if not content:
        return None
    joint = _joint(toks, content, state, sent, quotes)
    if joint:
        return joint
    lo, hi = content[0].i, content[-1].i
    # A person registered in the article, inside the phrase: the first one, as written fullest.
    # "Rudolph's supporters": the possessor is not the speaker
    inside = [
        m
        for m in state.people
        if lo <= m.start <= hi
        and not (m.start + len(m.tokens) <= hi and sent.doc[m.start + len(m.tokens)].tag_ == "POS")
    ]
    if lang == "de" and len(inside) > 1 and inside[0].name.endswith("s"):
        inside = inside[1:]  # "Mexikos Trainer Miguel Herrera": a genitive, not the speaker
    if inside:
        m = inside[0]  # the head of "Richardson, via USA Today," is Richardson
        return resolve_name(m.name, state, before=m.start + 1)
    heads = [t for t in content if (t.is_alpha and not t.text[:1].isupper()) or t.pos_ == "NOUN"]
    head = heads[0] if heads else content[-1]
    org = _org_in(content, state)
    if org and not ROLE_SUFFIX.search(org):
        return org
    if head.lower_ in ANONYMOUS or any(t.lower_ in ANONYMOUS for t in content[:3]):
        return UNATTRIBUTED
    if lang == "en" and len(content) == 1 and head.tag_ == "NNS" and head.is_lower:
        group = group_named(head.text, sent.doc.text)  # "the doctors": "Doctors for Camp ..."
        if group:
            return group
    if lang == "en" and len(content) > 1 and content[-1].lower_ in _PLURAL_ORGS:
        # "according to teachers unions", "Education advocacy groups estimated", "the Russian
        # and Syrian defense ministries accused": a collective source, named as written
        return " ".join(t.text for t in content)
    roles = [t for t in content if ROLE_SUFFIX.search(t.text)]
    if roles:
        # the person introduced with that role before; an indefinite phrase ("A California
        # transit chief says") or a role nobody had before ("Austria's interior minister said"
        # in the lead) introduces the person the article names next with it
        role = roles[-1].text
        by_role = None if toks[0].lower_ in _INDEFINITE else resolve_role(role, state, sent.start)
        by_role = by_role or introduced_after(role, state, sent.start, _INTRODUCED_WITHIN)
        if by_role:
            return by_role
    orgish = [t for t in content if t.lower_ in ORG_NOUNS or t.lower_.endswith(_ORG_SUFFIXES)]
    if orgish:
        org_word = orgish[0]
        # "The group, WeWorkers Coalition, formed": the organisation introduced with the noun
        found = introduced_org(org_word, toks[0]) if org_word.lower_ in ORG_NOUNS else None
        found = found or resolve_organisation(org_word, state, before=sent.start)
        if found:
            return found
        word = org_word.text
        if lang == "de" and word.endswith("s") and word[:-1].lower().endswith(_ORG_SUFFIXES):
            word = word[:-1]
        suffix = next((x for x in _ORG_SUFFIXES if word.lower().endswith(x)), "")
        if word[:1].isupper() and len(word) > len(suffix) + 2:
            return word  # a named institution: "Bundespolizei", "des Bundesverfassungsgerichts"
        named = [t for t in content if t.i < org_word.i and t.text[:1].isupper()]
        if lang == "en" and named:  # "the Jordanian government", "the Interior Ministry"
            return sent.doc[named[0].i : org_word.i + 1].text
        places = [t for t in content if t.ent_type_ in ("LOC", "GPE") and t.i > org_word.i]
        if places:  # "Die Führung in Pjöngjang", "the government in Kyiv"
            return sent.doc[org_word.i : places[-1].i + 1].text
    if _one_place(content):  # "Austria argued", "China said", "Russland gibt an": the state
        return " ".join(t.text for t in content)
    # Proper nouns the NER missed: "NYDIG", "Der «Economist»", "Bundespolizei"
    propn = _proper_run(content)
    if (
        propn
        and not all(t.ent_type_ in _NOT_SPEAKERS for t in propn)
        and not (lang == "de" and propn[0].i == sent.start and len(propn) == 1)
        and (lang == "de" or propn[-1].i == content[-1].i)
    ):
        return " ".join(t.text for t in propn)
    if roles:  # a role nobody in the article was introduced with: the person just quoted,
        # else the person just named ("so kann man James Butterfill interpretieren, ..., sagt
        # der Ökonom"; "Eyamba Sowers didn't know ... The real estate agent said")
        # ... but "a spokesman" is someone new, never the person just named: anonymous, or the
        # organisation they speak for ("said a WeWork spokesperson")
        if toks[0].lower_ in _INDEFINITE:
            named = propn and not all(t.ent_type_ in _NOT_SPEAKERS for t in propn)
            return " ".join(t.text for t in propn) if named else UNATTRIBUTED
        return state.last_speaker or _named_before(toks[0].i, state, quotes) or UNATTRIBUTED
    only = content[0]
    if len(content) == 1 and only.is_alpha and only.text.isupper() and len(only.text) > 1:
        return only.text  # an acronym the tagger took for a common noun: "laut TIMSS"
    return None


def _joint(
    toks: list[Token], content: list[Token], state: DocState, sent: Span, quotes: list[bool]
) -> str | None:
    """Two named speakers joined by "and"/"und" ("The United Nations and European Union
    stressed", "Trump und Kim"): both, as the annotators write them ("A and B")."""
    conj = [t for t in content if t.lower_ in ("and", "und")]
    if len(conj) != 1 or conj[0] in (content[0], content[-1]):
        return None
    c = conj[0]
    left = [t for t in content if t.i < c.i]
    right = [t for t in content if t.i > c.i]
    if not (left[0].text[:1].isupper() and right[0].text[:1].isupper()):
        return None
    if _one_place(left) or _one_place(right):
        return None  # "... for Inherent Resolve ... in Iraq and Syria": a place, no speaker
    a = speaker_from_tokens(left, state, sent, quotes)
    b = speaker_from_tokens(right, state, sent, quotes)
    state.phrase = toks
    if a and b and UNATTRIBUTED not in (a, b) and a != b:
        return f"{a} {c.text} {b}"
    return None


def _named_before(i: int, state: DocState, quotes: list[bool]) -> str | None:
    """The person named last (outside quotes) in the few sentences before token ``i``."""
    near = [m for m in state.people if i - _NAMED_WINDOW <= m.start < i and not quotes[m.start]]
    return resolve_name(near[-1].name, state, before=near[-1].start + 1) if near else None


def _one_place(content: list[Token]) -> bool:
    """The phrase is exactly one country or place entity: a state speaking through its
    government, named as the article names it."""
    first = content[0]
    before = first.doc[first.i - 1] if first.i > 0 else None
    starts = first.ent_iob_ == "B" or (  # "The United States": the article is in the entity
        before is not None and before.lower_ in DETERMINERS and before.ent_iob_ == "B"
    )
    return (
        starts
        and all(t.ent_type_ in ("GPE", "LOC") for t in content)
        and all(t.ent_iob_ == "I" for t in content[1:])
        and all(t.text[:1].isupper() for t in content)
    )


def wie_subject(before: list[Token], state: DocState) -> str | None:
    """ "Wie die in London ansässige Syrische Beobachtungsstelle für Menschenrechte mitteilte":
    the capitalised words (with "für", "der", "des") right before the verb are the source."""
    if state.lang != "de" or len(before) < 3 or before[0].lower_ != "wie":
        return None
    run: list[Token] = []
    for t in reversed(before[1:]):
        if is_cap(t) or (run and t.lower_ in ("für", "der", "des", "von")):
            run.insert(0, t)
        else:
            break
    while run and not is_cap(run[0]):
        run = run[1:]
    lo, hi = (run[0].i, run[-1].i) if run else (0, -1)
    if len(run) < 2 or any(lo <= m.start <= hi for m in state.people):
        return None  # one word or a person: the other rules read it
    state.phrase = run
    return " ".join(t.text for t in run)


_INDEFINITE = frozenset({"a", "an", "ein", "eine", "einer", "eines", "einem", "einen"})
# How far ahead (tokens) an indefinite role ("a spokesman") looks for the person it introduces.
_INTRODUCED_WITHIN = 150
# How far back (tokens) a role nobody was introduced with looks for the person just named.
_NAMED_WINDOW = 60
_PLURAL_ORGS = frozenset(
    {"unions", "groups", "organizations", "organisations", "ministries", "governments", "agencies"}
)
_NOT_SPEAKERS = frozenset(
    {"GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "EVENT", "LAW", "CARDINAL", "ORDINAL", "MONEY"}
)
_ORG_SUFFIXES = (
    "gericht",
    "polizei",
    "gewerkschaft",
    "regierung",
    "ministerium",
    "amt",
    "amts",
    "gerichts",
    "ministeriums",
    "behörde",
    "court",
    "führung",
    "police",
    "government",
    # "the US military said", "Inner Mongolia health authority reported"
    "military",
    "army",
    "authority",
    "commission",
    "council",
    "administration",
)
