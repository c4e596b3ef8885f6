"""The speaker of a speech verb ("Trump betonte", "sagte der Minister", "Two people briefed on the
talks said"): the subject before the verb in its clause, else the noun phrase after it, read by
word order and the article's people (the small German parser is too weak to lean on)."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from claims.nlp.appositions import with_apposition
from claims.nlp.lexicon import ANONYMOUS, DETERMINERS, PRONOUNS, QUOTE_CHARS
from claims.nlp.people import DocState, is_cap, resolve_name
from claims.nlp.speaker_names import UNATTRIBUTED, np_after, speaker_from_tokens, wie_subject


def clause_start(sent: Span, i: int) -> int:
    j = i - 1
    while j >= sent.start and sent.doc[j].text not in {",", ";", ":"} | QUOTE_CHARS:
        j -= 1
    return j + 1


def verb_speaker(sent: Span, verb: Token, state: DocState, quotes: list[bool]) -> str | None:
    doc = sent.doc
    start = clause_start(sent, verb.i)
    before = [t for t in doc[start : verb.i] if not quotes[t.i]]
    named = wie_subject(before, state)
    if named:
        return named
    if any(t.lower_ in ANONYMOUS for t in before) and not any(
        start <= m.start < verb.i for m in state.people
    ):
        state.phrase = before
        return UNATTRIBUTED  # "Two people briefed on the talks said", "Befürworter glauben"
    # Subject before the verb: "Trump betonte", "Auch Trump bezeichnete", "Maas (SPD) bedauerte"
    for m in state.people:
        if start <= m.start < verb.i and not quotes[m.start] and not _in_pp(doc, start, m.start):
            state.phrase = list(doc[m.start : m.start + len(m.tokens)])
            return resolve_name(m.name, state, before=m.start + 1)
    for t in before:
        if t.lower_ in PRONOUNS[state.lang]:
            return speaker_from_tokens([t], state, sent, quotes)
    # A noun phrase right before the verb: "Die Führung in Pjöngjang fordert", "The minister said"
    if (
        before
        and before[0].lower_ in DETERMINERS
        and len(before) <= 6
        and not any(t.pos_ in ("VERB", "AUX", "PRON") or t.is_punct for t in before)
    ):
        name = speaker_from_tokens(before, state, sent, quotes)
        if name:
            return name
    for e in state.orgs:
        if start <= e.start < verb.i:
            name = speaker_from_tokens(list(e), state, sent, quotes)
            if name:
                return name
    # "Dave Mazza, Chief Strategy Officer bei Roundhill, zieht ...": the name opening the sentence
    opening = [m for m in state.people if sent.start <= m.start < sent.start + 3]
    if opening and start > sent.start and not quotes[opening[0].start]:
        m = opening[0]
        after = m.start + len(m.tokens)
        if after < sent.end and doc[after].text in (",", "("):
            state.phrase = list(doc[m.start : after])
            return resolve_name(m.name, state, before=m.start + 1)
    # Subject after the verb: "sagte Trump", "sagte er", "sagte der US-Präsident"; in English
    # only after a quote or a comma ('", said Derek Scissors'): "said Trump has decided" is not.
    inverted = verb.i > sent.start and (doc[verb.i - 1].text == "," or quotes[verb.i - 1])
    if state.lang == "en" and not inverted:
        return None
    np = with_apposition(sent, np_after(doc, verb.i + 1, sent.end, state.lang), state)
    if not np and verb.i + 1 < sent.end and doc[verb.i + 1].lower_ in PRONOUNS[state.lang]:
        np = [doc[verb.i + 1]]
    if np:
        name = speaker_from_tokens(np, state, sent, quotes)
        if name:
            return name
    # "Lewis war sehr amüsiert, sagte aber ...": the person opening the sentence
    if opening and not quotes[opening[0].start]:
        m = opening[0]
        state.phrase = list(doc[m.start : m.start + len(m.tokens)])
        return resolve_name(m.name, state, before=m.start + 1)
    if before:
        caps = [t for t in before if (is_cap(t) and t.i != start) or t.pos_ == "PROPN"]
        if caps:
            return speaker_from_tokens(caps, state, sent, quotes)
    return None


def _in_pp(doc: Doc, start: int, i: int) -> bool:
    """Whether the name at i is the object of a preposition ("Im Gespräch mit den beiden
    Studenten Werner Bader ... betonte Müller"): addressees and topics are not speakers."""
    j = i - 1
    while j >= start and doc[j].pos_ not in ("VERB", "AUX", "PUNCT", "ADP"):
        j -= 1
    return j >= start and doc[j].pos_ == "ADP"
