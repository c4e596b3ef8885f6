"""Claim type by rules (after Full Fact's annotation schema; see shared/domain.md).

Checked in this order, first match wins: not_claim (units kept as context only, questions,
greetings, fragments), prediction (future tense, forecasting modals and words), quantity (amounts:
counts, percentages, money, durations with a measure such as "seit mehr als einem Jahr"; not dates,
ordinals, time anchors such as "vor zwei Wochen", nor numbers that name things, "Senate Bill 10",
"Paragraf 219a"), causation (causal connectives), law (legal words), personal (first-person
subject), comparison (comparatives, superlatives, trend verbs), other.

A headline or subhead is typed by what it says, not by where it stands: the article's structure
(claims/nlp/structure.py) decides which lines are context only, and those are ``not_claim``.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from claims.nlp.lexicon import (
    CAUSAL,
    COMPARE,
    FIRST_PERSON,
    FUTURE_MODALS_DE,
    FUTURE_WORDS,
    LEGAL,
    NOT_CLAIM_STARTS,
    WERDEN,
)
from claims.nlp.numbers import DATE, DURATION, ORDINAL, NumberMention

CLAIM_TYPES = (
    "quantity",
    "comparison",
    "causation",
    "prediction",
    "law",
    "personal",
    "other",
    "not_claim",
)

_TERMINAL = set(".!?:;…")
# A number right after one of these names a thing rather than counting it.
_IDENTIFIER_BEFORE = re.compile(
    r"\b(?:bill|act|section|article|amendment|chapter|rule|resolution|proposition|prop\.|"
    r"measure|route|highway|interstate|flight|room|level|phase|week|game|round|stage|"
    r"no\.|nr\.|nummer|number|paragraf|paragraph|artikel|absatz|kapitel|stufe|linie|gleis|"
    r"drucksache|az\.|aktenzeichen|§+|formel|liga|klasse|jahrgang|covid|sars-cov)\s*$",
    re.IGNORECASE,
)
_FORECAST = re.compile(
    r"\b(?:predicts?|predicted|forecasts?|projects|projected|projections?|prognose|"
    r"prognosen|prognostiziert\w*|voraussichtlich|rechnet damit|rechnen damit|"
    r"erwartet, dass|erwarten, dass|expects? that)\b"
)
_MEASURED_DURATION = re.compile(
    r"\b(?:seit|since|for|über|mehr als|more than|fast|almost|nearly|knapp|rund|around|"
    r"mindestens|at least|bis zu|up to|insgesamt|weniger als|less than)\b",
    re.IGNORECASE,
)
_TRAILING = set("»«„“”\"‚‘›‹)]'’ ")
# A duration counts only with a number in it: "seit mehr als einem Jahr", "for nearly 20 years";
# "argued for decades", "jahrelang", "seit Jahren" say that something lasted, not how long.
_DURATION_NUMBER = re.compile(
    r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|fifty|hundred|half|ein|eine|einem|einen|einer|eines|zwei|drei|vier|fünf|sechs|"
    r"sieben|acht|neun|zehn|elf|zwölf|fünfzehn|zwanzig|dreißig|fünfzig|hundert|halb|halben|"
    r"anderthalb|eineinhalb)\b",
    re.IGNORECASE,
)
# A count of sources is not an amount: "according to two people familiar with the matter",
# "drei mit der Sache vertraute Personen", "two officials told Reuters".
_SOURCE_COUNT_AFTER = re.compile(
    r"^\s*(?:(?:people|persons|sources|officials|insiders|diplomats|executives)\s+"
    r"(?:familiar|close|with knowledge|briefed|who (?:spoke|asked|declined))|"
    r"(?:mit (?:der|dem|den) \w+ )?(?:vertraute|informierte|eingeweihte)n?\s+(?:Personen|Quellen|"
    r"Insider|Kreise)|(?:Personen|Quellen|Insider|Informanten)\b)",
    re.IGNORECASE,
)
# A bill or draft law is typed law even when it "soll" or "will" do something: what it provides
# is the claim ("Ein neuer Gesetzesentwurf soll Abschiebungen ermöglichen").
_DRAFT_LAW = re.compile(
    r"\b(?:gesetz(?:es)?entwurf\w*|gesetzesvorlage\w*|referentenentwurf\w*|draft law|"
    r"(?:the|a|new) bill)\b",
    re.IGNORECASE,
)


def _has_phrase(low: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {low} "
    for p in phrases:
        if p.endswith(" ") or p in ("§", "©"):
            if p in padded:
                return True
        elif f" {p} " in padded or f" {p}," in padded or f" {p}." in padded:
            return True
    return False


def _normalise(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(" " if ch in '»«„“”"‚‘›‹()[]' else ch)
    return " ".join("".join(out).split())


def is_heading(sent: Span, doc_text: str | None = None) -> bool:
    """A line of its own without terminal punctuation, inside a longer text. Pass ``doc_text``
    when calling per sentence: ``Doc.text`` is rebuilt from the tokens on every access."""
    doc_text = sent.doc.text if doc_text is None else doc_text
    raw = sent.text
    start = sent.start_char + len(raw) - len(raw.lstrip())
    end = sent.start_char + len(raw.rstrip())
    text = doc_text[start:end]
    stripped = text.rstrip("".join(_TRAILING))
    if not stripped or stripped[-1] in _TERMINAL:
        return False
    before = doc_text[max(0, start - 200) : start]
    after = doc_text[end : end + 200]
    starts_line = before.strip(" \t") == "" or before.rstrip(" \t").endswith("\n")
    ends_line = after.strip(" \t") == "" or after.lstrip(" \t").startswith("\n")
    multi_line = "\n" in doc_text.strip()
    return bool(text) and starts_line and ends_line and multi_line


def classify_claim(
    sent: Span,
    lang: str,
    numbers: list[NumberMention],
    *,
    unit: bool = False,
    candidate: bool = True,
) -> str:
    """Claim type of one sentence; ``unit`` is True when the sentence was given alone;
    ``candidate`` False (a byline, credit, teaser ... kept as context) gives ``not_claim``."""
    lang = lang if lang in CAUSAL else "en"
    text = sent.text.strip()
    low = _normalise(text)
    words = [t for t in sent if t.is_alpha]
    core = text.rstrip("".join(_TRAILING))
    if not candidate or not words or core.endswith("?"):
        return "not_claim"
    if low.startswith(NOT_CLAIM_STARTS[lang]) and len(words) <= 12:
        return "not_claim"
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in sent)
    if len(words) < 3 or (not has_verb and len(words) <= 4 and not unit):
        return "not_claim"

    # An explicit forecast is a prediction whatever it counts ("The CBO predicts the deficit will
    # grow to $1.9 trillion"); otherwise an amount wins over the future tense: "4,000 people are
    # expected to receive notice" is checked as a number (the annotators' convention).
    if _FORECAST.search(low):
        return "prediction"
    if _DRAFT_LAW.search(low) and not any(_is_amount(n, text, sent.start_char) for n in numbers):
        return "law"
    if any(_is_amount(n, text, sent.start_char) for n in numbers):
        return "quantity"
    if _is_prediction(sent, lang, low):
        return "prediction"
    if _has_phrase(low, CAUSAL[lang]) or (lang == "de" and low.startswith("da ")):
        return "causation"
    if _has_phrase(low, LEGAL[lang]) or any(
        t.lower_.startswith(("gesetz", "verordnung", "vorschrift")) or t.lower_.endswith("gesetz")
        for t in sent
    ):
        return "law"
    if any(t.lower_ in FIRST_PERSON[lang] for t in sent):
        return "personal"
    if _is_comparison(sent, lang, low):
        return "comparison"
    return "other"


def _is_amount(n: NumberMention, text: str, offset: int) -> bool:
    """Whether a number mention states an amount (see the module docstring)."""
    if n.kind in (DATE, ORDINAL):
        return False
    if n.kind == DURATION:
        # "seit mehr als einem Jahr", "for nearly 20 years" measure; "vor zwei Wochen" anchors
        start = max(0, n.start - offset - 12)
        span = text[start : n.end - offset]
        return bool(_MEASURED_DURATION.search(span)) and bool(
            _DURATION_NUMBER.search(text[n.start - offset : n.end - offset])
        )
    before = text[max(0, n.start - offset - 30) : n.start - offset]
    after = text[n.end - offset : n.end - offset + 2]
    # the mention may include its noun ("two people"): read on from its first word
    mention = text[n.start - offset : n.end - offset]
    first = mention.split(maxsplit=1)[0] if mention.split() else mention
    if _SOURCE_COUNT_AFTER.match(text[n.start - offset + len(first) : n.end - offset + 60]):
        return False
    # "Senate Bill 10", "Paragraf 219a", "COVID-19", "#1" name things
    return not (
        _IDENTIFIER_BEFORE.search(before) or after[:1] == "-" or before.endswith(("-", "#"))
    )


def _is_prediction(sent: Span, lang: str, low: str) -> bool:
    if _has_phrase(low, FUTURE_WORDS[lang]):
        return True
    toks = list(sent)
    if lang == "de":
        for i, t in enumerate(toks):
            if t.lower_ in WERDEN and t.i != sent.end - 1:
                rest = toks[i + 1 :]
                clause = []
                for r in rest:
                    # the clause of this "wird": up to punctuation or a coordinated verb phrase
                    # ("wird saniert und soll im Mai fertig sein" is present passive)
                    if r.text in {",", ";", ":"} or r.lower_ in ("und", "oder", "aber", "sowie"):
                        break
                    clause.append(r)
                for r in clause:
                    forms = r.morph.get("VerbForm")
                    if "Part" in forms:
                        break  # "wird ... gebaut": passive, not future (unless "gebaut werden")
                    if "Inf" in forms and r.lower_ not in WERDEN:
                        return True
                if (clause and clause[-1].lower_ == "werden") or (
                    len(clause) > 1 and clause[-2].lower_ == "werden" and clause[-1].is_punct
                ):
                    return True  # future passive: "Es wird geprüft werden."
        return any(t.lower_ in FUTURE_MODALS_DE for t in toks) and (
            _has_phrase(low, FUTURE_WORDS[lang]) or "vielleicht" in low.split()
        )
    for i, t in enumerate(toks):
        if t.tag_ == "MD" and t.lower_ in ("will", "'ll", "’ll", "wo", "shall"):
            rest = [r for r in toks[i + 1 : i + 4] if r.lower_ not in ("not", "n't", "also")]
            if len(rest) >= 2 and rest[0].lower_ == "be" and rest[1].tag_ == "VBN":
                continue  # "will be turned into a police station": an announced decision
            return True
    return False


def _is_comparison(sent: Span, lang: str, low: str) -> bool:
    if _has_phrase(low, COMPARE[lang]):
        return True
    if lang == "en":
        return any(
            t.tag_ in ("JJR", "JJS", "RBR", "RBS")
            and t.lower_ not in ("more", "less", "most", "least")
            for t in sent
        )
    toks = list(sent)
    for i, t in enumerate(toks):
        sup_form = t.lower_.replace("ß", "s").endswith(
            ("ste", "sten", "ster", "stes", "stem")
        ) and not (t.lower_.startswith(("erst", "letzt", "nächst")))
        after_article = i > 0 and toks[i - 1].lower_ in ("der", "die", "das", "den", "dem", "am")
        # a noun ending like a superlative is not one: "der Minister", "das Register"
        noun = t.pos_ in ("NOUN", "PROPN", "VERB", "AUX")
        if (
            sup_form
            and not noun
            and ((t.pos_ in ("ADJ", "ADV") and "Sup" in t.morph.get("Degree")) or after_article)
        ):
            return True  # superlative: "die höchste Quote", "am größten", "die meisten"
        if (t.lower_ in ("mehr", "weniger") or "Cmp" in t.morph.get("Degree")) and any(
            r.lower_ == "als" for r in toks[i + 1 : i + 6]
        ):
            return True  # comparative with "als": "mehr Unterschiede als Gemeinsamkeiten"
        if t.lower_.startswith(("steigend", "sinkend", "wachsend")):
            return True  # trend: "das steigende Einkommen"
    return False
