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

The cues and the speaker each names are in :mod:`claims.nlp.attribution_cues` (speech verbs'
subjects in :mod:`claims.nlp.attribution_verbs`), quotation marks and Konjunktiv I in
:mod:`claims.nlp.attribution_mood`; this module makes the per-sentence decision. The learned
source ranker (:mod:`claims.nlp.attribution_model`) reads a source where a cue names nobody; the
article-level resolver (:mod:`claims.nlp.attribution_resolver`) is evaluated but not shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from claims.nlp.attribution_cues import find_attribution
from claims.nlp.attribution_model import learned_attribution, learned_source
from claims.nlp.attribution_mood import has_konjunktiv1, in_quote_flags  # noqa: F401
from claims.nlp.attribution_resolver import Context, resolve
from claims.nlp.carryover import first_person, newer_person, person_before, text_span
from claims.nlp.fullest_form import fullest_form
from claims.nlp.lexicon import KONJ2, QUOTE_CHARS, ROLE_SUFFIX
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
from claims.nlp.speaker_names import UNATTRIBUTED

_INDICATIVE_DE = frozenset(
    ["ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "wird", "werden"]
)


@dataclass(frozen=True)
class Attribution:
    reported: bool
    claimant: str | None  # full name; None: the article's own voice; "unattributed"
    role: str | None = None
    span: tuple[int, int] | None = None  # doc.text offsets of the words naming the claimant


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
    if state.resolver is None:
        state.resolver = Context()
    ctx = state.resolver
    chosen = resolve(sent, state, quotes, claimant, bool(reported), bool(konj), ctx, bool(cue))
    state.continuing = bool(reported and claimant)
    state.quoting = state.continuing and bool(
        has_quote or unmarked or konj or first_person(sent, quotes)  # "Poposki: Wir haben ..."
    )
    ctx.prev_claimant, ctx.prev_reported = claimant, bool(reported)
    if claimant and claimant != UNATTRIBUTED:
        ctx.history = [*[n for n in ctx.history if n != claimant][-4:], claimant]
    if chosen is not False and chosen != claimant:
        # The learned resolver overrules the rules; the reading state keeps the rules' answer
        # (the resolver's features were computed on it in training too)
        if chosen is None:
            return Attribution(reported, None, None, None)
        if chosen == UNATTRIBUTED:
            return Attribution(True, chosen, None, None)
        return Attribution(True, chosen, role_of(chosen, state), None)
    return Attribution(reported, claimant, role, span)
