"""Cut untrusted article text into segments for the templates to mark up (and escape)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from claims.models import Claim

# The tooltips speak the reader's language: spaCy's entity labels (English and German models)
# and our number kinds, translated; an unknown label is shown as it is.
KINDS = {"entity": _("entity"), "number": _("number")}
ENTITY_LABELS = {
    "PERSON": _("person"),
    "PER": _("person"),
    "ORG": _("organisation"),
    "LOC": _("place"),
    "GPE": _("country, city or state"),
    "NORP": _("nationality, religious or political group"),
    "FAC": _("building or facility"),
    "EVENT": _("event"),
    "LAW": _("law"),
    "PRODUCT": _("product"),
    "WORK_OF_ART": _("title of a work"),
    "LANGUAGE": _("language"),
    "DATE": _("date"),
    "TIME": _("time"),
    "MONEY": _("amount of money"),
    "PERCENT": _("percentage"),
    "QUANTITY": _("quantity"),
    "CARDINAL": _("number"),
    "ORDINAL": _("ordinal number"),
    "MISC": _("other name"),
}
NUMBER_KINDS = {
    "number": _("number"),
    "percent": _("percentage"),
    "money": _("amount of money"),
    "date": _("date"),
    "duration": _("duration"),
    "ordinal": _("ordinal number"),
}


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # "", "entity", "number"
    label: str = ""  # entity type / number kind, shown as a tooltip and to screen readers

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def _mentions(claim: Claim) -> list[tuple[str, str, str]]:
    """(surface text, kind, label) of the claim's entities and numbers, labels translated."""
    found = []
    for ent in claim.entities or []:
        if isinstance(ent, dict) and ent.get("text"):
            raw = str(ent.get("label") or ent.get("type") or "")
            found.append((str(ent["text"]), "entity", str(ENTITY_LABELS.get(raw, raw))))
        elif isinstance(ent, list | tuple) and ent:
            raw = str(ent[1]) if len(ent) > 1 else ""
            found.append((str(ent[0]), "entity", str(ENTITY_LABELS.get(raw, raw))))
    for num in claim.numbers or []:
        if isinstance(num, dict) and num.get("text"):
            kind = str(num.get("kind") or "")
            kind_label = str(NUMBER_KINDS.get(kind, kind))
            normalized = str(num.get("normalized") or "")
            label = f"{kind_label}: {normalized}" if kind_label and normalized else kind_label
            found.append((str(num["text"]), "number", label or normalized))
    return found


def sentence_segments(claim: Claim) -> list[Segment]:
    """The claim's sentence with entity and number mentions marked.

    Mentions are located by their text (first free occurrence), so it does not matter whether
    the stored offsets are relative to the sentence or to the article.
    """
    text = claim.text
    spans: list[tuple[int, int, str, str]] = []
    for surface, kind, label in _mentions(claim):
        start = 0
        while True:
            pos = text.find(surface, start)
            if pos < 0:
                break
            end = pos + len(surface)
            if all(end <= s or pos >= e for s, e, _, _ in spans):
                spans.append((pos, end, kind, label))
                break
            start = pos + 1
    spans.sort()
    segments, cursor = [], 0
    for s, e, kind, label in spans:
        if s > cursor:
            segments.append(Segment(text[cursor:s]))
        segments.append(Segment(text[s:e], kind, label))
        cursor = e
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


@dataclass(frozen=True)
class ArticleText:
    before: str
    sentence: str
    after: str
    located: bool


def article_segments(claim: Claim) -> ArticleText:
    """The article's text split around the claim, from its offsets (or by search if they drift)."""
    body = claim.article.text or ""
    start, end = claim.start, claim.end
    if not (0 <= start <= end <= len(body)) or body[start:end].strip() != claim.text.strip():
        pos = body.find(claim.text)
        if pos < 0:
            return ArticleText(body, "", "", False)
        start, end = pos, pos + len(claim.text)
    return ArticleText(body[:start], body[start:end], body[end:], True)
