"""Claim type by rules (after Full Fact's annotation schema; see shared/domain.md).

Checked in this order, first match wins: not_claim (questions, headings, greetings, fragments),
prediction (future forms, forecasting modals and words), quantity (numbers other than dates),
causation (causal connectives), law (legal words), personal (first-person subject),
comparison (comparatives, superlatives, trend verbs), other.
"""

from __future__ import annotations

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
from claims.nlp.numbers import DATE, ORDINAL, NumberMention

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
_TRAILING = set("»«„“”\"‚‘›‹)]'’ ")


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
    heading: bool | None = None,
) -> str:
    """Claim type of one sentence; ``unit`` is True when the sentence was given alone."""
    lang = lang if lang in CAUSAL else "en"
    text = sent.text.strip()
    low = _normalise(text)
    words = [t for t in sent if t.is_alpha]
    core = text.rstrip("".join(_TRAILING))
    if not words or core.endswith("?"):
        return "not_claim"
    if low.startswith(NOT_CLAIM_STARTS[lang]) and len(words) <= 12:
        return "not_claim"
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in sent)
    if len(words) < 3 or (not has_verb and len(words) <= 4 and not unit):
        return "not_claim"
    if not unit and (is_heading(sent) if heading is None else heading):
        return "not_claim"

    if _is_prediction(sent, lang, low):
        return "prediction"
    if any(n.kind not in (DATE, ORDINAL) for n in numbers):
        return "quantity"
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
                    if r.text in {",", ";", ":"}:
                        break
                    clause.append(r)
                if any("Inf" in r.morph.get("VerbForm") and r.lower_ not in WERDEN for r in clause):
                    return True
                if (clause and clause[-1].lower_ == "werden") or (
                    len(clause) > 1 and clause[-2].lower_ == "werden" and clause[-1].is_punct
                ):
                    return True  # future passive: "Es wird geprüft werden."
        return any(t.lower_ in FUTURE_MODALS_DE for t in toks) and (
            _has_phrase(low, FUTURE_WORDS[lang]) or "vielleicht" in low.split()
        )
    return any(t.tag_ == "MD" and t.lower_ in ("will", "'ll", "wo", "shall") for t in toks)


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
        if sup_form and (
            (t.pos_ in ("ADJ", "ADV") and "Sup" in t.morph.get("Degree")) or after_article
        ):
            return True  # superlative: "die höchste Quote", "am größten", "die meisten"
        if (t.lower_ in ("mehr", "weniger") or "Cmp" in t.morph.get("Degree")) and any(
            r.lower_ == "als" for r in toks[i + 1 : i + 6]
        ):
            return True  # comparative with "als": "mehr Unterschiede als Gemeinsamkeiten"
        if t.lower_.startswith(("steigend", "sinkend", "wachsend")):
            return True  # trend: "das steigende Einkommen"
    return False
