"""German reported speech without a speech verb: findings of a study, hearsay markers.

The annotators count as reported speech what a source *found* or what is *said* without a
speaker (GUIDELINES.md: "every sentence that reports what someone said, wrote or found"); the
verb rules of :mod:`claims.nlp.attribution_cues` miss both shapes:

- a document as the subject of a finding verb: "Eine IDG-Studie prognostiziert, dass ...",
  "Zahlen der IP Awareness Foundation zeigen ...", "Eine Befragung des Musikverbandes IFPI legt
  ... nahe": the source is the organisation or person named with the document (a genitive or
  "von" complement that the NER calls an organisation or that is a registered person) or the
  name compounded with it ("IDG-Studie", "Emnid-Umfrage"); a document nobody is named for
  ("Eine nähere Untersuchung des SCADA-Systems ergab") is "unattributed";
- a report "wonach" (according to which) ...: "erreichte uns eine Whistleblower-Meldung, wonach
  ...": the person or organisation the sentence names before it, else "unattributed";
- hearsay without a source: "Angeblich sind ...", "..., wie es heißt": "unattributed". (The
  reportative modal, "SBF soll ... verdient haben", was tried and left out: the annotators
  read "Ein Polizist soll ... gebrochen haben" as the article's own account of a charge.)

No list of names: organisations come from the NER, people from :mod:`claims.nlp.people`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claims.nlp.document_sources import named_in
from claims.nlp.people import DocState, resolve_name

UNATTRIBUTED = "unattributed"
_DOCUMENTS = (
    "studie",
    "umfrage",
    "befragung",
    "untersuchung",
    "erhebung",
    "analyse",
    "bericht",
    "zahlen",
    "daten",
    "statistik",
    "auswertung",
    "prognose",
    "schätzung",
)
_FINDS = frozenset(
    [
        "zeigt",
        "zeigen",
        "zeigte",
        "zeigten",
        "ergab",
        "ergaben",
        "ergibt",
        "ergeben",
        "belegt",
        "belegen",
        "belegte",
        "prognostiziert",
        "prognostizierte",
        "legt",
        "legen",
        "legte",
        "nahe",
        "beziffert",
        "bezifferte",
        "schätzt",
        "schätzte",
    ]
)


def _document_noun(t: Token) -> bool:
    low = t.lower_
    return t.text[:1].isupper() and (
        low in _DOCUMENTS or low.endswith(tuple("-" + d for d in _DOCUMENTS))
    )


def _finding(sent: Span, quotes: list[bool]) -> Token | None:
    """The document noun of "<Dokument> ... <Fund-Verb>" opening the sentence's first clause."""
    words = [t for t in sent if not quotes[t.i] and not t.is_punct]
    head = next((t for t in words[:4] if _document_noun(t)), None)
    if head is None:
        return None
    for t in words:
        if t.i <= head.i:
            continue
        if t.lower_ in _FINDS and t.text[:1].islower():
            return head
        if t.text == ",":
            break
    return None


def _source_of(head: Token, sent: Span, state: DocState, quotes: list[bool]) -> str:
    """Who the document speaks for: a compounded name ("IDG-Studie"), else a person or
    organisation right after it ("des Musikverbandes IFPI", "von Amnesty International"), else
    nobody named."""
    doc = sent.doc
    prefix, dash, _rest = head.text.rpartition("-")
    if (
        dash
        and prefix[:1].isupper()
        and (prefix.isupper() or any(e.label_ == "ORG" and e.text == prefix for e in state.orgs))
    ):
        state.phrase = [head]
        return prefix
    if head.i + 2 >= sent.end or doc[head.i + 1].lower_ not in ("des", "der", "von", "vom"):
        state.phrase = [head]
        return UNATTRIBUTED
    window = (head.i + 2, min(sent.end, head.i + 5))  # "des Musikverbandes IFPI"
    for t in doc[window[0] : window[1]]:
        if t.is_alpha and t.text.isupper() and len(t.text) > 1 and not quotes[t.i]:
            state.phrase = [t]
            return t.text  # an acronym the NER left untagged
    for m in state.people:
        if window[0] <= m.start < window[1] and not quotes[m.start]:
            state.phrase = list(doc[m.start : m.start + len(m.tokens)])
            return resolve_name(m.name, state, before=m.start + 1)
    for e in state.orgs:
        if e.label_ == "ORG" and window[0] <= e.start < window[1] and not quotes[e.start]:
            state.phrase = list(e)
            words = e.text.split()
            return " ".join(words[1:] if words[0].lower() in ("der", "des", "die") else words)
    state.phrase = [head]
    return UNATTRIBUTED


def _hearsay(sent: Span, quotes: list[bool]) -> bool:
    outside = [t for t in sent if not quotes[t.i]]
    lows = [t.lower_ for t in outside]
    if "angeblich" in lows:
        return True
    for k, low in enumerate(lows[:-1]):
        if (
            low in ("heißt", "hieß")
            and lows[k + 1] == "es"
            and (k == 0 or lows[k - 1] in (",", "wie"))
        ):
            return True
    return False


def named_finding(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """The named source of a document opening the sentence ("Eine IDG-Studie prognostiziert"),
    read before the verb rules (which would take "prognostiziert" for a person's speech verb and
    look for a person); None when the document names nobody (the verb rules then apply)."""
    head = _finding(sent, quotes)
    if head is None:
        return None
    phrase = state.phrase
    source = _source_of(head, sent, state, quotes)
    if source == UNATTRIBUTED:
        state.phrase = phrase
        return None
    return source


_REPORT_NOUNS = (
    "meldung",
    "meldungen",
    "bericht",
    "berichte",
    "berichten",
    "hinweis",
    "hinweise",
    "informationen",
    "angaben",
    "aussage",
    "aussagen",
    "gerüchte",
    "vorwürfe",
)


def _wonach(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """ "erreichte uns eine Whistleblower-Meldung, wonach ...", "Berichte der UN, wonach ...":
    the report's source (the first person or organisation named before "wonach"), else
    "unattributed"; None without a report noun right before the clause."""
    doc = sent.doc
    for t in sent:
        if t.lower_ != "wonach" or quotes[t.i]:
            continue
        before = [w for w in doc[max(sent.start, t.i - 4) : t.i] if w.text[:1].isalpha()]
        if not any(w.lower_.endswith(_REPORT_NOUNS) for w in before):
            return None
        return named_in(sent, state, quotes, before=t.i) or UNATTRIBUTED
    return None


def german_source(sent: Span, state: DocState, quotes: list[bool]) -> tuple[bool, str | None]:
    """(a cue, its claimant) for the shapes above; (False, None) when none applies."""
    head = _finding(sent, quotes)
    if head is not None:
        return True, _source_of(head, sent, state, quotes)
    source = _wonach(sent, state, quotes)
    if source:
        return True, source
    if not state.continuing and _hearsay(sent, quotes):
        # (right after reported speech, Konjunktiv and "heißt es weiter" continue that speaker)
        state.phrase = []
        return True, UNATTRIBUTED
    return False, None
