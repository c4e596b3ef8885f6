"""Cut untrusted article text into segments for the templates to mark up (and escape)."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # "", "entity", "number"
    label: str = ""  # entity type / number kind, shown as a tooltip and to screen readers


def _mentions(claim: Claim) -> list[tuple[str, str, str]]:
    """(surface text, kind, label) of the claim's entities and numbers, as stored by the NLP."""
    found = []
    for ent in claim.entities or []:
        if isinstance(ent, dict) and ent.get("text"):
            found.append(
                (str(ent["text"]), "entity", str(ent.get("label") or ent.get("type") or ""))
            )
        elif isinstance(ent, list | tuple) and ent:
            found.append((str(ent[0]), "entity", str(ent[1]) if len(ent) > 1 else ""))
    for num in claim.numbers or []:
        if isinstance(num, dict) and num.get("text"):
            label = str(num.get("normalized") or num.get("kind") or "")
            found.append((str(num["text"]), "number", label))
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
