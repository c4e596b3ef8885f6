"""Reported speech and its claimant (German and English), by rules over a tagged Doc.

Why rules: attribution in news follows a handful of fixed patterns ("sagte Trump", "so Pompeo",
"Dem Minister X zufolge", "laut X", "X said", "according to X", "X responded:", interview labels
"Precht: ..."), and the names they point to must be resolved against the rest of the article
(:mod:`claims.nlp.people`, :mod:`claims.nlp.speaker_names`). The small German parser is too weak
to lean on (LAS ~56), so word order, quotation marks and Konjunktiv I carry the decision:

- a cue in the sentence (outside quotes) names the speaker;
- a quotation running over several sentences takes the attribution given where it closes
  ('"A. B.", sagte X.') or else the one that opened it ('X responded: "A. B."');
- a quote or Konjunktiv I sentence without a cue continues the last speaker's account;
- the article's own voice has no claimant (None), anonymous sources are "unattributed".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claims.nlp.appositions import opening_person, with_apposition
from claims.nlp.attribution_model import learned_attribution, learned_source
from claims.nlp.carryover import first_person, newer_person, person_before, text_span
from claims.nlp.colon_quotes import colon_speaker
from claims.nlp.document_sources import (
    document_source,
    is_document_cue,
    is_own_account,
    own_account,
)
from claims.nlp.english_subject import english_subject
from claims.nlp.fullest_form import fullest_form
from claims.nlp.german_sources import german_source, named_finding
from claims.nlp.lexicon import (
    ANONYMOUS,
    ATTRIBUTION_VERBS,
    DETERMINERS,
    KONJ1,
    KONJ1_AMBIGUOUS,
    KONJ2,
    NACH_NOUNS,
    OPINION_NOUNS_DE,
    PRE_CUES,
    PRONOUNS,
    QUOTE_CHARS,
    ROLE_SUFFIX,
    SEPARABLE_DE,
)
from claims.nlp.name_forms import (
    expand,
    german_nominative,
    is_abbreviation,
    long_forms,
    town_institution,
)
from claims.nlp.people import (  # noqa: F401  (the registry API, re-exported)
    DocState,
    Mention,
    collect_people,
    is_cap,
    resolve_name,
    resolve_role,
    role_of,
)
from claims.nlp.speaker_names import (
    UNATTRIBUTED,
    np_after,
    np_before,
    speaker_from_tokens,
    wie_subject,
)

_RELATIVE_DE = frozenset({"der", "dem", "denen"})
_INDICATIVE_DE = frozenset(
    ["ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "wird", "werden"]
)


@dataclass(frozen=True)
class Attribution:
    reported: bool
    claimant: str | None  # full name; None: the article's own voice; "unattributed"
    role: str | None = None
    span: tuple[int, int] | None = None  # doc.text offsets of the words naming the claimant


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
        # The small German tagger rarely marks Mood=Sub: a finite -e form of a verb in the
        # third person ("bestehe", "erfülle", "verfolge") is Konjunktiv I unless it says "ich".
        if (
            t.pos_ in ("VERB", "AUX")
            and len(low) > 3
            and "Imp" not in t.morph.get("Mood")
            and "1" not in t.morph.get("Person")
            and low != "wurde"  # preterite indicative, the one strong form ending in -e
            and low.endswith("e")
            and not low.endswith("te")
            and low not in KONJ2
            and not ich
        ):
            return True
    return False


def _particle(doc: Doc, j: int, particles: list[str], end: int) -> bool:
    """The separable verb's particle at ``j``; "vor," only with a clause after it."""
    low = doc[j].lower_
    if low in particles:
        return True
    return f"{low}," in particles and j + 1 < end and doc[j + 1].text in (",", ":")


def _clause_start(sent: Span, i: int) -> int:
    j = i - 1
    while j >= sent.start and sent.doc[j].text not in {",", ";", ":"} | QUOTE_CHARS:
        j -= 1
    return j + 1


def _label_speaker(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """Interview labels and headline attributions: "Precht: ...", "Flüthmann: Aussicht auf ..."."""
    doc = sent.doc
    for k in range(sent.start + 1, min(sent.start + 5, sent.end - 3)):
        if doc[k].text == ":":
            words = list(doc[sent.start : k])
            if all(is_cap(t) and not quotes[t.i] for t in words) and any(
                m.start == words[0].i or (m.start == words[-1].i) for m in state.people
            ):
                return speaker_from_tokens(words, state, sent, quotes)
            return None
    return None


def find_attribution(sent: Span, state: DocState, quotes: list[bool]) -> tuple[bool, str | None]:
    """Return (found an attribution cue, claimant) for a German or English sentence."""
    doc = sent.doc
    lang = state.lang
    end = sent.end
    state.phrase = []
    label = _label_speaker(sent, state, quotes)
    if label:
        return True, label
    found = colon_speaker(sent, state, quotes)  # 'X ging darauf ein: „..."'
    if found:
        return True, found
    found = named_finding(sent, state, quotes) if lang == "de" else None
    if found:  # "Eine IDG-Studie prognostiziert, dass ..."
        return True, found
    for t in sent:
        if quotes[t.i]:
            continue
        low = t.lower_
        if lang == "de":
            if is_document_cue(sent, t, quotes):  # "heißt es in Zschäpes Erklärung"
                return True, document_source(sent, t, state, quotes)
            if is_own_account(sent, t):  # "Beate Zschäpe ist nach eigenen Angaben ..."
                return True, own_account(sent, t, state, quotes)
            if low == "zufolge":
                k = t.i
                if (
                    k - 2 >= sent.start
                    and doc[k - 1].lower_ in _RELATIVE_DE
                    and doc[k - 2].text == ","
                ):
                    k -= 2  # "eine Entscheidung des Bundesverfassungsgerichts, der zufolge ..."
                return True, speaker_from_tokens(np_before(doc, k, sent.start), state, sent, quotes)
            if low in PRE_CUES["de"]:
                np = np_after(doc, t.i + 1, end, lang)
                return True, speaker_from_tokens(np, state, sent, quotes)
            if (
                low == "nach"
                and t.i - 2 >= sent.start
                and doc[t.i - 1].lower_ in OPINION_NOUNS_DE
                and doc[t.i - 2].lower_ in ("seiner", "ihrer")
            ):  # "seiner Ansicht nach"
                return True, speaker_from_tokens([doc[t.i - 2]], state, sent, quotes)
            if low == "für" and t.i == sent.start and t.i + 2 < end:
                # "Für Wößmann sind die Ergebnisse ...", "Für ihn ist klar, dass ..."
                nxt = doc[t.i + 1]
                named = nxt.lower_ in ("ihn", "sie") or any(m.start == nxt.i for m in state.people)
                if named and any(w.lower_ in ("ist", "sind", "steht") for w in doc[t.i + 2 : end]):
                    return True, speaker_from_tokens([nxt], state, sent, quotes)
            if low == "nach" and any(m.start == t.i + 1 for m in state.people):
                return True, speaker_from_tokens([doc[t.i + 1]], state, sent, quotes)
            if (
                low in OPINION_NOUNS_DE
                and t.i - 2 >= sent.start
                and doc[t.i - 1].lower_ == "der"
                and doc[t.i - 2].lower_ in ("ist", "sind", "war", "waren")
            ):  # "Er ist der Meinung, dass ..."
                return True, _verb_speaker(sent, doc[t.i - 2], state, quotes)
            k = t.i + 1  # "nach Angaben", "nach ersten Erkenntnissen", "nach derzeitigem ..."
            if k + 1 < end and doc[k].is_lower and doc[k].pos_ == "ADJ":
                k += 1
            if low == "nach" and k < end and doc[k].lower_ in NACH_NOUNS:
                np = np_after(doc, k + 1, end, lang)
                if np and np[0].lower_ == "von":
                    np = np[1:]
                return True, speaker_from_tokens(np, state, sent, quotes)
            if low == "so" and t.i > sent.start and doc[t.i - 1].text in {","} | QUOTE_CHARS:
                np = np_after(doc, t.i + 1, end, lang)
                if np:
                    return True, speaker_from_tokens(np, state, sent, quotes)
            verb = low in ATTRIBUTION_VERBS["de"] and (not t.text[0].isupper() or t.i == sent.start)
            if not verb and low in SEPARABLE_DE and not t.text[0].isupper():
                particles = SEPARABLE_DE[low].split("|")
                verb = any(
                    _particle(doc, j, particles, end) and not quotes[j] for j in range(t.i + 1, end)
                )
            if verb:
                return True, _verb_speaker(sent, t, state, quotes)
        else:
            if low == "according" and t.i + 1 < end and doc[t.i + 1].lower_ == "to":
                np = with_apposition(sent, np_after(doc, t.i + 2, end, lang), state)
                return True, speaker_from_tokens(np, state, sent, quotes)
            if low in ATTRIBUTION_VERBS["en"] and t.pos_ == "VERB":
                subject = opening_person(sent, t, state, quotes) or english_subject(sent, t, quotes)
                if subject and subject[0].i > t.i:  # "..., said the head of X, Jane Doe."
                    subject = with_apposition(sent, subject, state)
                if subject:
                    name = speaker_from_tokens(subject, state, sent, quotes)
                    if name:
                        return True, name
                    if any(w.pos_ in ("NOUN", "PROPN") for w in subject):
                        # a speaker without a name: "The victim's mother testified"
                        return True, UNATTRIBUTED
                elif t.tag_ in ("VBN", "VBG"):
                    continue  # "the deal announced in October", "cases were reported"
                return True, _verb_speaker(sent, t, state, quotes)
    if lang == "de":  # "Eine IDG-Studie prognostiziert, dass ...", "Angeblich sind ..."
        return german_source(sent, state, quotes)
    return False, None


def _verb_speaker(sent: Span, verb: Token, state: DocState, quotes: list[bool]) -> str | None:
    doc = sent.doc
    start = _clause_start(sent, verb.i)
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


def _closing_attribution(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """A quote opened here and closed in a later sentence: the attribution where it closes."""
    doc = sent.doc
    last = sent.end - 1
    while last > sent.start and doc[last].is_space:
        last -= 1
    if not quotes[last] or (doc[last].text in QUOTE_CHARS and not quotes[last - 1]):
        return None
    j = sent.end
    while j < len(doc) and j < sent.end + 400 and quotes[j] and not doc[j].is_space:
        if doc[j].text in QUOTE_CHARS and (j + 1 >= len(doc) or not quotes[j + 1]):
            break
        j += 1
    if j >= len(doc) or not quotes[j] or doc[j].text not in QUOTE_CHARS:
        return None
    closing = doc[j].sent
    if closing.start == sent.start:
        return None
    phrase = state.phrase
    cue, claimant = find_attribution(closing, state, quotes)
    if not (cue and claimant):
        state.phrase = phrase
    return claimant if cue else None


def _role(tokens: list[Token], name: str, state: DocState) -> str | None:
    """The role the person was introduced with ("Gesundheitsminister" for "Jens Spahn"), else
    the role noun read with the name ("der Minister")."""
    words = [t.text for t in tokens if ROLE_SUFFIX.search(t.text) and t.text not in name]
    return role_of(name, state) or (words[-1] if words else None)


def analyse_attribution(
    sent: Span, state: DocState, quotes: list[bool], *, heading: bool = False
) -> Attribution:
    """Decide `reported` and the claimant for one sentence and update the reading state."""
    cue, claimant = find_attribution(sent, state, quotes)
    if claimant and is_abbreviation(claimant):  # "der EuGH" -> "Europäischer Gerichtshof"
        if state.long_forms is None:
            state.long_forms = long_forms(sent.doc.text)
        claimant = expand(claimant, sent.doc.text, state.long_forms)
    if claimant and state.lang == "de":  # "laut der Deutschen Bank" -> "Deutsche Bank"
        claimant = german_nominative(claimant)
        local = town_institution([t.text for t in state.phrase], sent.doc.text)
        claimant = local or claimant  # "laut der Karlsruher Polizei" -> "Polizei Karlsruhe"
    words = [t for t in sent if not t.is_punct and not t.is_space]
    quoted = [t for t in words if quotes[t.i]]
    # A quote is reported speech when it carries the sentence, not a quoted term ("tolle Sache")
    has_quote = (
        bool(words) and len(quoted) >= 3 and (len(quoted) * 2 >= len(words) or quotes[words[0].i])
    )
    konj = state.lang == "de" and has_konjunktiv1(sent, quotes)
    if state.lang == "de" and state.continuing and not konj:
        # Konjunktiv II right after reported speech continues it ("... würden wieder steigen")
        # ... unless an indicative main verb shows the narrator's voice ("Ein Verbindungsbüro
        # hat nicht den Rang einer Botschaft, würde aber ...")
        outside = {t.lower_ for t in sent if not quotes[t.i]}
        konj = bool(outside & KONJ2) and not outside & _INDICATIVE_DE
    # A quote whose marks were lost (a block quote, an interview answer) speaks in the first
    # person: right after attributed speech it continues that speaker ("Die X/PayPal-Roadmap
    # wurde von mir und David Sacks ... geschrieben."). English: only after a quotation or a
    # first-person answer; after a plain "X told reporters", "I grew up in a small town" is the
    # writer's (German news rarely writes in the first person outside quotes)
    # ... a person's, not an organisation's: "Im Oktober 2020 wurden uns Videos ... zugespielt"
    # is the publishing organisation's own voice after it quoted an authority
    unmarked = (
        (state.continuing if state.lang == "de" else state.quoting)
        and not cue
        and not has_quote
        and any(m.name == state.last_speaker for m in state.people)
        and first_person(sent, quotes)
    )
    reported = cue or has_quote or konj or unmarked
    if reported and claimant is None and has_quote:
        claimant = _closing_attribution(sent, state, quotes)
    if reported and not heading:  # the ranker reads a source the rules' phrase did not name
        claimant = learned_source(sent, state, quotes, claimant, cue=cue) or claimant
    learned = False
    if not reported and not heading:
        # No cue the rules know: the learned detector reads the sentence, its ranker the source
        learned, claimant = learned_attribution(sent, state, quotes)
        reported = learned
    if heading:
        return Attribution(reported, claimant, None, text_span(state.phrase) if claimant else None)
    if claimant is not None:
        span, role = text_span(state.phrase), _role(state.phrase, claimant, state)
    elif reported and (has_quote or konj or cue or learned or unmarked):
        # Without its own speaker, a quote or indirect speech continues the last speaker's account.
        claimant, role, span = state.last_speaker, state.last_role, state.last_span
        if claimant is not None and konj and not cue and not has_quote:
            claimant, role, span = newer_person(sent, state, quotes) or (claimant, role, span)
        if claimant is None and konj and not cue:
            claimant, role, span = person_before(sent, state, quotes)
        if claimant is None and cue:
            claimant = UNATTRIBUTED
    else:
        role = span = None
    if learned and claimant is None:
        reported, role, span = False, None, None  # an account nobody can be named for: own voice
    if claimant and claimant != UNATTRIBUTED:  # "Tottenham" -> "Tottenham Hotspur"
        names = {m.name for m in state.people}
        claimant = fullest_form(claimant, state.ents, state.lang, people=names)
    if claimant and claimant != UNATTRIBUTED:
        state.last_speaker, state.last_role, state.last_span = claimant, role, span
    state.continuing = bool(reported and claimant)
    state.quoting = state.continuing and bool(
        has_quote or unmarked or konj or first_person(sent, quotes)  # "Poposki: Wir haben ..."
    )
    return Attribution(reported, claimant, role, span)
