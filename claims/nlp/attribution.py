"""Reported speech and claimant resolution (German and English), by rules over a parsed Doc.

Why rules: attribution in news follows a handful of fixed patterns ("sagte Trump", "so Pompeo",
"Dem Minister X zufolge", "laut X", "X said", "according to X"), and the names they point to must be
resolved against the rest of the article ("Trump" -> "Donald Trump", "sagte er" -> the last speaker,
"der US-Präsident" -> the person introduced with that role). A statistical model trained on the few
thousand German sentences we have would be less reliable than these patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claims.nlp.english_subject import english_subject
from claims.nlp.lexicon import (
    ATTRIBUTION_VERBS,
    DETERMINERS,
    KONJ1,
    KONJ1_AMBIGUOUS,
    KONJ2,
    NACH_NOUNS,
    PRE_CUES,
    PRONOUNS,
    QUOTE_CHARS,
)
from claims.nlp.lexicon import ROLE_SUFFIX as _ROLE_SUFFIX


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
    last_speaker: str | None = None
    last_subject: str | None = None


def in_quote_flags(doc: Doc) -> list[bool]:
    """For each token, whether it lies inside quotation marks (quotes reset at paragraph breaks)."""
    flags, inside = [], False
    for tok in doc:
        text = tok.text
        if "\n" in text and tok.is_space:
            inside = False
        if text in QUOTE_CHARS:
            flags.append(True)
            inside = not inside
            continue
        flags.append(inside)
    return flags


def _is_cap(tok: Token) -> bool:
    return (bool(tok.text) and tok.text[0].isupper() and tok.is_alpha) or (
        "-" in tok.text and tok.text[0].isupper()
    )


def _strip_genitive(word: str, lang: str) -> str:
    if lang == "de" and len(word) > 3 and word.endswith("s") and word[-2] not in "sxzß":
        return word[:-1]
    if lang == "en" and word.endswith(("'s", "’s")):
        return word[:-2]
    return word


def collect_people(doc: Doc, state: DocState) -> None:
    """Register person names (NER PER/PERSON plus runs of proper nouns) with the role noun that
    introduces them ("US-Präsident Donald Trump", "President Joe Biden"), then every later bare
    surname or first name of a registered person ("Trump", "Kim"), which the small NER misses."""
    spans = []
    state.ents = list(doc.ents)
    # Token objects, POS strings and capitalisation once: each doc[i] builds a new Token.
    tokens = list(doc)
    n = len(tokens)
    pos = [t.pos_ for t in tokens]
    cap = [_is_cap(t) for t in tokens]
    for e in state.ents:
        if e.label_ in ("PER", "PERSON"):
            end = e.end
            # "Kim Jong" + "Un": extend over short capitalised name parts the NER cut off
            while (
                end < n and cap[end] and (pos[end] in ("PROPN", "X") or len(tokens[end].text) <= 3)
            ):
                end += 1
            spans.append(doc[e.start : end])
    i = 0
    while i < n:
        if pos[i] == "PROPN" and cap[i] and "-" not in tokens[i].text:
            j = i
            while j + 1 < n and pos[j + 1] == "PROPN" and cap[j + 1]:
                j += 1
            if j > i:  # single proper nouns are too often places or organisations
                spans.append(doc[i : j + 1])
            i = j + 1
        else:
            i += 1
    taken: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        toks = [t for t in span if t.is_alpha or "-" in t.text]
        roles = [k for k, t in enumerate(toks) if _ROLE_SUFFIX.search(t.text)]
        if roles:  # "Außenminister Heiko Maas", "Nordkoreas Machthaber Kim Jong Un"
            toks = toks[roles[-1] + 1 :]
        if not toks or any(toks[0].i < e and s < toks[-1].i + 1 for s, e in taken):
            continue
        taken.append((toks[0].i, toks[-1].i + 1))
        prev = tokens[toks[0].i - 1] if toks[0].i > 0 else None
        role = prev.text.lower() if prev is not None and _ROLE_SUFFIX.search(prev.text) else None
        words = tuple(t.text for t in toks)
        state.people.append(Mention(" ".join(words), words, role, toks[0].i))
    full = [m for m in state.people if len(m.tokens) > 1]
    parts = {w for m in full for w in (m.tokens[0], m.tokens[-1]) if len(w) > 2}
    if parts:
        covered = bytearray(n)
        for s, e in taken:
            covered[s:e] = b"\x01" * (e - s)
        for i, tok in enumerate(tokens):
            if covered[i] or not cap[i]:
                continue
            word = tok.text if tok.text in parts else _strip_genitive(tok.text, state.lang)
            if word in parts:
                state.people.append(Mention(word, (word,), None, i))
    state.people.sort(key=lambda m: m.start)


def resolve_name(short: str, state: DocState, before: int | None = None) -> str:
    """Resolve "Trump"/"Trumps" to the fullest name containing it, mentioned earlier if possible."""
    words = tuple(short.split())
    if not words:
        return short
    forms = [words]
    stripped = _strip_genitive(words[-1], state.lang)
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
            if best is None or (len(m.tokens), m.start) > (len(best.tokens), best.start):
                best = m
    return best.name if best else short


def _known_genitive(word: str, state: DocState) -> bool:
    return any(word in m.tokens for m in state.people)


def resolve_role(role_head: str, state: DocState, before: int) -> str | None:
    head = role_head.lower()
    for m in sorted(state.people, key=lambda m: m.start, reverse=True):
        if m.start < before and m.role and (m.role.endswith(head) or head.endswith(m.role)):
            return m.name
    return None


def _np_after(doc: Doc, i: int, end: int) -> list[Token]:
    """Tokens of the noun phrase starting at i: determiner, lowercase adjectives, capitalised
    words."""
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
    while j < end and (_is_cap(doc[j]) or (doc[j].text in ("-",) and out)):
        out.append(doc[j])
        j += 1
    if out and out[-1].lower_ in DETERMINERS:
        return []
    return out


def _np_before(doc: Doc, i: int, start: int) -> list[Token]:
    """Tokens of the noun phrase ending just before i (for "Dem Minister X zufolge")."""
    out: list[Token] = []
    j = i - 1
    while j >= start and _is_cap(doc[j]) and doc[j].lower_ not in DETERMINERS:
        out.insert(0, doc[j])
        j -= 1
    while j >= start and doc[j].is_alpha and doc[j].text.islower() and doc[j].pos_ in ("ADJ",):
        out.insert(0, doc[j])
        j -= 1
    if j >= start and doc[j].lower_ in DETERMINERS:
        out.insert(0, doc[j])
    return out


def speaker_from_tokens(
    toks: list[Token], state: DocState, sent: Span, quotes: list[bool]
) -> str | None:
    """Turn a noun phrase naming a speaker into a name: person, pronoun, role or organisation."""
    toks = [t for t in toks if not t.is_punct]
    if not toks:
        return None
    first = toks[0]
    if len(toks) == 1 and first.lower_ in PRONOUNS[state.lang]:
        return resolve_pronoun(sent, first, state, quotes)
    content = [t for t in toks if t.lower_ not in DETERMINERS]
    if not content:
        return None
    named = [t for t in content if not _ROLE_SUFFIX.search(t.text) and t.pos_ != "ADJ"]
    if named and named != content and _is_cap(named[0]):
        # "US-Außenminister Mike Pompeo": the name after the role
        name = resolve_name(" ".join(t.text for t in named), state, before=sent.start)
        if name != " ".join(t.text for t in named) or len(named) > 1:
            return name
    # A known person inside the phrase ("Dem US-Außenminister Mike Pompeo", "Trumps Aussagen").
    subspans = [
        content[k : k + ln]
        for ln in range(len(content), 0, -1)
        for k in range(len(content) - ln + 1)
    ]  # longest first
    for sub in subspans:
        words = " ".join(t.text for t in sub)
        name = resolve_name(words, state, before=sent.start)
        if name != words or any(m.name == words for m in state.people):
            return name
    for sub in subspans:
        words = " ".join(t.text for t in sub)
        in_per = any(
            e.label_ in ("PER", "PERSON") and e.start <= sub[0].i and sub[-1].i < e.end
            for e in state.ents
        )
        if in_per or (len(sub) > 1 and all(t.pos_ == "PROPN" for t in sub)):
            return words
    heads = [t for t in content if _ROLE_SUFFIX.search(t.text)]
    if heads:
        names_after = [t for t in content if t.i > heads[-1].i and _is_cap(t)]
        if names_after:  # "US-Außenminister Mike Pompeo" with an unknown name
            return resolve_name(" ".join(t.text for t in names_after), state, before=sent.start)
        by_role = resolve_role(heads[-1].text, state, before=sent.start)
        if by_role:
            return resolve_name(by_role, state)
    if first.lower_ in DETERMINERS or len(content) <= 4:
        text = " ".join(t.text for t in content)
        return resolve_name(text, state, before=sent.start) if len(content) <= 2 else text
    return None


def resolve_pronoun(sent: Span, pron: Token, state: DocState, quotes: list[bool]) -> str | None:
    """ "sagte er": a person named outside quotes earlier in the same sentence ("Trump wisse ...,
    sagte er"), else the last speaker, else the last person named as a subject."""
    for m in state.people:
        if sent.start <= m.start < pron.i and not quotes[m.start]:
            return resolve_name(m.name, state, before=m.start + 1)
    return state.last_speaker or state.last_subject


def has_konjunktiv1(sent: Span, quotes: list[bool]) -> bool:
    ich = any(t.lower_ == "ich" and not quotes[t.i] for t in sent)
    for t in sent:
        low = t.lower_
        if t.text[:1].isupper() and t.i != sent.start:
            continue
        if low in KONJ1:
            if low in KONJ1_AMBIGUOUS and ich:
                continue
            return True
        if (
            t.pos_ in ("VERB", "AUX")
            and "Sub" in t.morph.get("Mood")
            and "3" in t.morph.get("Person")
            and low.endswith("e")
            and not low.endswith("te")
            and low not in KONJ2
            and not ich
        ):
            return True
    return False


def _clause_start(sent: Span, i: int) -> int:
    j = i - 1
    while j >= sent.start and sent.doc[j].text not in {",", ";", ":"} | QUOTE_CHARS:
        j -= 1
    return j + 1


def find_attribution(sent: Span, state: DocState, quotes: list[bool]) -> tuple[bool, str | None]:
    """Return (found an attribution cue, claimant) for a German or English sentence."""
    doc = sent.doc
    lang = state.lang
    end = sent.end
    for t in sent:
        if quotes[t.i]:
            continue
        low = t.lower_
        if lang == "de":
            if low == "zufolge":
                return True, speaker_from_tokens(
                    _np_before(doc, t.i, sent.start), state, sent, quotes
                )
            if low in PRE_CUES["de"]:
                return True, speaker_from_tokens(_np_after(doc, t.i + 1, end), state, sent, quotes)
            if low == "nach" and t.i + 1 < end and doc[t.i + 1].lower_ in NACH_NOUNS:
                np = _np_after(doc, t.i + 2, end)
                if np and np[0].lower_ == "von":
                    np = np[1:]
                return True, speaker_from_tokens(np, state, sent, quotes)
            if low == "so" and t.i > sent.start and doc[t.i - 1].text in {","} | QUOTE_CHARS:
                np = _np_after(doc, t.i + 1, end)
                if np:
                    return True, speaker_from_tokens(np, state, sent, quotes)
            if (low in ATTRIBUTION_VERBS["de"] and not t.text[0].isupper()) or (
                low in ATTRIBUTION_VERBS["de"] and t.i == sent.start
            ):
                return True, _verb_speaker(sent, t, state, quotes)
        else:
            if low == "according" and t.i + 1 < end and doc[t.i + 1].lower_ == "to":
                return True, speaker_from_tokens(_np_after(doc, t.i + 2, end), state, sent, quotes)
            if low in ATTRIBUTION_VERBS["en"] and t.pos_ == "VERB":
                subject = english_subject(sent, t, quotes)
                if subject:
                    return True, speaker_from_tokens(subject, state, sent, quotes)
                return True, _verb_speaker(sent, t, state, quotes)
    return False, None


def _verb_speaker(sent: Span, verb: Token, state: DocState, quotes: list[bool]) -> str | None:
    doc = sent.doc
    start = _clause_start(sent, verb.i)
    before = [t for t in doc[start : verb.i] if not quotes[t.i]]
    # Subject before the verb: "Trump betonte", "Auch Trump bezeichnete", "Maas (SPD) bedauerte"
    for m in state.people:
        if start <= m.start < verb.i and not quotes[m.start]:
            return resolve_name(m.name, state, before=m.start + 1)
    for t in before:
        if t.lower_ in PRONOUNS[state.lang]:
            return resolve_pronoun(sent, t, state, quotes)
    # A noun phrase right before the verb: "Die Führung in Pjöngjang fordert", "The minister said"
    if (
        before
        and before[0].lower_ in DETERMINERS
        and len(before) <= 6
        and not any(t.pos_ in ("VERB", "AUX", "PRON") or t.is_punct for t in before)
    ):
        return speaker_from_tokens(before, state, sent, quotes)
    for e in state.ents:
        if start <= e.start < verb.i and e.label_ in ("ORG", "LOC", "GPE", "NORP"):
            words = e.text.split()
            while len(words) > 1 and words[0].lower() in DETERMINERS:  # "The Congressional ..."
                words = words[1:]
            return " ".join(words)
    # Subject after the verb: "sagte Trump", "sagte er", "sagte der US-Präsident"
    np = _np_after(doc, verb.i + 1, sent.end)
    if not np and verb.i + 1 < sent.end and doc[verb.i + 1].lower_ in PRONOUNS[state.lang]:
        np = [doc[verb.i + 1]]
    if np:
        return speaker_from_tokens(np, state, sent, quotes)
    if before:
        caps = [t for t in before if (_is_cap(t) and t.i != start) or t.pos_ == "PROPN"]
        if caps:
            return speaker_from_tokens(caps, state, sent, quotes)
    return None


def analyse_attribution(
    sent: Span, state: DocState, quotes: list[bool], *, heading: bool = False
) -> tuple[bool, str | None]:
    """Decide `reported` and `claimant` for one sentence and update the reading state."""
    cue, claimant = find_attribution(sent, state, quotes)
    words = [t for t in sent if not t.is_punct and not t.is_space]
    quoted = [t for t in words if quotes[t.i]]
    # A quote is reported speech when it carries the sentence, not a quoted term ("tolle Sache")
    has_quote = (
        bool(words) and len(quoted) >= 3 and (len(quoted) * 2 >= len(words) or quotes[words[0].i])
    )
    konj = state.lang == "de" and has_konjunktiv1(sent, quotes)
    reported = cue or has_quote or konj
    if heading:
        return reported, claimant
    if reported and claimant is None and not cue:
        # Indirect speech without its own attribution continues the last speaker's account.
        claimant = state.last_speaker
    if claimant:
        state.last_speaker = claimant
    else:
        subj = next((m for m in state.people if sent.start <= m.start < sent.end), None)
        if subj is not None:
            state.last_subject = resolve_name(subj.name, state, before=subj.start + 1)
    return reported, claimant
