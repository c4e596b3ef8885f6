"""Claim type by rules (after Full Fact's annotation schema; see shared/domain.md).

Checked in this order, first match wins: not_claim (questions, headings, greetings, fragments),
prediction (future forms, forecasting modals and words), quantity (numbers other than dates),
causation (causal connectives), law (legal words), personal (first-person subject),
comparison (comparatives, superlatives, trend verbs), other.
"""

from __future__ import annotations

from spacy.tokens import Span

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

NOT_CLAIM_STARTS = {
    "de": (
        "danke",
        "vielen dank",
        "hallo",
        "guten morgen",
        "guten tag",
        "guten abend",
        "bitte ",
        "willkommen",
        "herzlich willkommen",
        "tschüss",
        "auf wiedersehen",
        "mehr zum thema",
        "lesen sie auch",
        "foto:",
        "©",
    ),
    "en": (
        "thank you",
        "thanks",
        "hello",
        "good morning",
        "good evening",
        "good afternoon",
        "welcome",
        "please ",
        "goodbye",
        "ladies and gentlemen",
        "read more",
        "photo:",
        "©",
        "let me ",
        "let's ",
        "god bless",
    ),
}

FUTURE_WORDS = {
    "de": (
        "in zukunft",
        "zukünftig",
        "künftig",
        "demnächst",
        "in den nächsten",
        "im nächsten jahr",
        "im kommenden",
        "in den kommenden",
        "nächstes jahr",
        "voraussichtlich",
        "prognose",
        "prognostiziert",
        "erwartet, dass",
        "rechnet damit",
        "bald ",
    ),
    "en": (
        "in the future",
        "next year",
        "next month",
        "next week",
        "in the coming",
        "by 20",
        "forecast",
        "predict",
        "projected",
        "is expected to",
        "are expected to",
        "is set to",
        "are set to",
        "going to ",
        "is likely to",
        "are likely to",
    ),
}
WERDEN = {"wird", "werde", "werden", "wirst", "werdet"}
FUTURE_MODALS_DE = {"könnte", "könnten", "dürfte", "dürften", "könne"}

CAUSAL = {
    "de": (
        "weil",
        "deshalb",
        "daher",
        "deswegen",
        "wegen",
        "aufgrund",
        "infolge",
        "dank",
        "führt zu",
        "führte zu",
        "führten zu",
        "geführt",
        "verursacht",
        "ausgelöst",
        "grund",
        "hauptgrund",
        "ursache",
        "sorgt für",
        "sorgte für",
        "sodass",
        "so dass",
        "zur folge",
        "verantwortlich",
        "liegt an",
        "lag an",
        "schuld",
    ),
    "en": (
        "because",
        "caused",
        "causes",
        "cause",
        "due to",
        "as a result",
        "resulted in",
        "results in",
        "result of",
        "leads to",
        "led to",
        "lead to",
        "thanks to",
        "reason",
        "therefore",
        "responsible for",
        "blamed",
        "contributed to",
        "driven by",
    ),
}
LEGAL = {
    "de": (
        "gesetz",
        "gesetzlich",
        "verbot",
        "verboten",
        "illegal",
        "legal",
        "rechtswidrig",
        "verfassung",
        "grundgesetz",
        "vorschrift",
        "verordnung",
        "richtlinie",
        "paragraf",
        "paragraph",
        "§",
        "erlaubt",
        "pflicht",
        "in kraft",
        "strafbar",
        "gericht",
        "urteil",
    ),
    "en": (
        "law",
        "laws",
        "legal",
        "illegal",
        "unlawful",
        "banned",
        "ban",
        "prohibited",
        "regulation",
        "regulations",
        "statute",
        "constitution",
        "constitutional",
        "mandatory",
        "required by",
        "in force",
        "court ruled",
        "legislation",
        "act of",
    ),
}
COMPARE = {
    "de": (
        "mehr als",
        "weniger als",
        "doppelt so",
        "halb so",
        "verdoppelt",
        "verdreifacht",
        "halbiert",
        "gestiegen",
        "gesunken",
        "stieg",
        "sank",
        "steigt",
        "sinkt",
        "zugenommen",
        "abgenommen",
        "wächst",
        "wuchs",
        "gewachsen",
        "anstieg",
        "rückgang",
        "im vergleich",
        "gegenüber dem vorjahr",
        "rekord",
        "am meisten",
        "so viel wie",
        "so viele wie",
        "höher als",
        "niedriger als",
        "größer als",
        "kleiner als",
        "besser als",
        "schlechter als",
    ),
    "en": (
        "more than",
        "less than",
        "fewer than",
        "than ",
        "doubled",
        "tripled",
        "halved",
        "increased",
        "decreased",
        "rose",
        "risen",
        "fell",
        "fallen",
        "grew",
        "grown",
        "declined",
        "dropped",
        "soared",
        "plunged",
        "compared to",
        "compared with",
        "record",
        "as many as",
        "as much as",
        "the most",
        "the least",
        "highest",
        "lowest",
    ),
}
FIRST_PERSON = {"de": {"ich", "wir"}, "en": {"i", "we"}}


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
    if len(words) < 3 or (not has_verb and len(words) <= 4):
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
    return any(
        "Sup" in t.morph.get("Degree")
        and t.pos_ in ("ADJ", "ADV")
        and t.lower_.endswith(("ste", "sten", "ster", "stes", "stem"))
        for t in sent
    )
