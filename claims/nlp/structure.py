"""The article's structure, read from its plain text: which units are claim candidates.

The pipeline gets the main text as trafilatura gives it (one paragraph, heading, list item or
leftover page element per line) plus the headline (``doc._.article_title``). Every unit gets a
``segment`` (headline, lead, body, subhead, quote, caption, byline, credit, teaser, cta, notice,
list_item, navigation, noise) and ``candidate``: False for units kept only as context (bylines,
credits, teasers, calls to action, notices, navigation, subheads without a claim, the second copy
of a repeated pull quote, paragraphs that are not language: :mod:`claims.nlp.prose`). The lead is
the first one or two full sentences of the first paragraph. Rules over lines and tokens with word
lists per language (:mod:`claims.nlp.structure_lexicon`); no model: the dev set is too small to
learn page furniture that generalises across sites, and the furniture is regular.

Units are the sentences of :func:`claims.nlp.sentences.sentence_starts`, refined where the
tagger helps (:mod:`claims.nlp.structure_units`: headlines glued to the next sentence are split,
quotations over several sentences kept whole). Offsets stay those of the Doc.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claims.nlp.prose import is_noise
from claims.nlp.structure_lexicon import (
    ABOUT_HEAD,
    CONTACT_HEAD,
    KICKER,
    QUOTES,
    TERMINAL,
    boilerplate,
    normalise,
)
from claims.nlp.structure_units import is_finite, line_bounds, refine_units, trim

# The lead is the opening one or two sentences (the inverted pyramid's "who, what, when"): in a
# text without paragraph breaks (10kGNAD, pasted text) the first paragraph is the whole article.
_LEAD_SENTENCES = 2


@dataclass(frozen=True)
class Unit:
    span: Span
    segment: str
    candidate: bool


def _title_keys(title: str | None) -> list[str]:
    if not title:
        return []
    keys = [normalise(title.rstrip("…").rstrip("."))]
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        if sep in title:
            keys.append(normalise(title.rsplit(sep, 1)[0]))  # "Headline | Site"
            keys.append(normalise(title.split(sep, 1)[1]))  # "Kicker - Headline"
    return [k for k in keys if len(k) >= 8]


def _is_headline(line: str, keys: list[str]) -> bool:
    low = normalise(line)
    if len(low) < 8:
        return False
    return any(low == k or low.startswith(k) or k.startswith(low) for k in keys)


def _is_title(line: str, doc: Doc) -> bool:
    """The whole line is the headline (not a first line truncated into a title, "…")."""
    title = doc._.article_title or ""
    return bool(title) and not title.endswith("…") and normalise(line) == normalise(title)


def _has_finite_verb(span: Span) -> bool:
    return any(is_finite(t) for t in span)


def _count_words(raw: str) -> int:
    return sum(1 for w in raw.split() if any(ch.isalpha() for ch in w))


def read_structure(doc: Doc, lang: str, spans: list[Span]) -> list[Unit]:
    """Segment and candidacy of every unit (``spans``: the sentences, refined here)."""
    text = doc.text
    spans = refine_units(doc, spans, lang, text)
    keys = _title_keys(doc._.article_title)
    truncated = (doc._.article_title or "").endswith("…")
    units: list[Unit] = []
    seen: set[str] = set()
    lead_line: int | None = None  # start of the first body paragraph's line
    n_lead = 0  # lead units so far
    noise: dict[int, bool] = {}  # per line start: the paragraph is not language (scrambled)
    title_line: int | None = None  # start of the line that is the headline
    first = True
    for span in spans:
        start, end = trim(span, text)
        unit_text = text[start:end]
        line_start, line_end = line_bounds(text, start)
        raw_line = text[line_start:line_end]
        line = raw_line.strip()
        whole_line = start == line_start + len(raw_line) - len(
            raw_line.lstrip()
        ) and end == line_start + len(raw_line.rstrip())
        n_words = _count_words(unit_text)
        ends_full = unit_text.rstrip(QUOTES + ")] ").endswith(TERMINAL)
        kind = boilerplate(unit_text, line, whole_line)
        segment, candidate = "body", True
        if line_start not in noise:
            para = doc.char_span(line_start, line_end, alignment_mode="expand")
            noise[line_start] = para is not None and is_noise(para)
        if noise[line_start]:
            segment, candidate = "noise", False
        elif kind:
            segment, candidate = kind, False
        elif lead_line is not None and KICKER.match(line) and line_start != lead_line:
            # "Gipfel - »Trump hat nichts bekommen« Das Gipfeltreffen ...": another article's
            # kicker and headline, below the text (teaser blocks of news sites)
            segment, candidate = "teaser", False
        elif lead_line is None and _is_headline(unit_text, keys) and not (truncated and ends_full):
            # a title cut from the first line ("…", plain-text input) says nothing of where the
            # headline ends: then only a unit without a full stop is taken for it
            segment = "headline"
        elif lead_line is None and title_line in (None, line_start) and _is_title(line, doc):
            title_line = line_start  # a headline of two sentences: "X Is Falling. Why ..."
            segment = "headline"
        elif first and not ends_full and keys and n_words <= 3:
            # a section label above the headline ("America", "Review", "immunology")
            segment, candidate = "navigation", False
        elif first and not ends_full:
            segment = "headline"  # the page's first line, without a full stop
        elif line[:2] in ("- ", "• ", "* ", "– ") or line[:1] in "•▪":
            segment = "list_item"
            # a few words without a verb ("- Kosten", "– Sebastian Kurz", "- camera") state
            # nothing: an ingredient, a menu entry, a quote's signature
            candidate = n_words > 4 or _has_finite_verb(span)
        elif whole_line and not ends_full and n_words <= 15:
            segment = "navigation" if line.endswith(":") else "subhead"
            # a subhead is a claim only when it says something: a finite verb and some length
            candidate = (
                segment == "subhead"
                and _has_finite_verb(span)
                and n_words >= 5
                and not line.isupper()
            )
        elif (
            lead_line in (None, line_start)
            and ends_full
            and n_words >= 4
            and n_lead < _LEAD_SENTENCES
        ):
            lead_line = line_start
            n_lead += 1
            segment = "lead"
        if segment == "body" and unit_text[:1] in QUOTES:
            segment = "quote"
        norm = normalise(unit_text)
        if len(norm.split()) >= 4:
            if norm in seen and segment != "headline":
                segment, candidate = "quote", False  # a pull quote repeated from the text
            seen.add(norm)
        units.append(Unit(span, segment, candidate))
        first = False
    return _furniture_lines(
        text, _contact_blocks(text, _trailing_teasers(_pull_quotes(text, units)))
    )


# Only notices and calls to action spread over their paragraph: a credit or an author's
# initials close a news paragraph ("... nicht vor. (mwo)", "... sagte Trump. © Foto: dpa").
_FURNITURE = {"cta", "notice"}
_MAX_FURNITURE_LINE_WORDS = 50
_MAX_FURNITURE_UNIT_WORDS = 25


def _furniture_lines(text: str, units: list[Unit]) -> list[Unit]:
    """A short paragraph that holds furniture is furniture throughout: "This article was
    originally published by X. Read the original article.", "Have a tip? X may be reached at
    ... Follow her on Twitter", "Get X delivered ... 12 issues for £11.99. Click here ...". Page
    furniture comes in blocks; the word lists see one sentence of the block, the rest follows."""
    by_line: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        by_line.setdefault(line_bounds(text, trim(u.span, text)[0])[0], []).append(k)
    out = list(units)
    for line_start, ks in by_line.items():
        kinds = [units[k].segment for k in ks if not units[k].candidate]
        kinds = [kind for kind in kinds if kind in _FURNITURE]
        # a news paragraph with one furniture-like sentence stays news: the furniture must be
        # half of the paragraph's units at least
        if not kinds or len(ks) < 2 or 2 * len(kinds) < len(ks):
            continue
        line_end = line_bounds(text, line_start)[1]
        if _count_words(text[line_start:line_end]) > _MAX_FURNITURE_LINE_WORDS:
            continue
        for k in ks:
            u = units[k]
            s, e = trim(u.span, text)
            if (
                u.candidate
                and u.segment not in ("headline", "lead")
                and _count_words(text[s:e]) <= _MAX_FURNITURE_UNIT_WORDS
            ):
                out[k] = Unit(u.span, kinds[0], False)
    return out


def _contact_blocks(text: str, units: list[Unit]) -> list[Unit]:
    """The short lines under "Pressekontakt:" / "Rückfragehinweis" (names, addresses, phone
    numbers) are the notice, up to the next full paragraph; so is a press release's "About X"
    section, up to the next subhead."""
    out: list[Unit] = []
    inside: bool | str = False
    for u in units:
        raw = text[u.span.start_char : u.span.end_char].strip()
        if not u.candidate and u.segment == "notice" and CONTACT_HEAD.match(raw):
            inside = True
        elif u.segment == "subhead" and ABOUT_HEAD.match(raw):
            inside = "about"  # up to the next subhead: the company's self-description
            u = Unit(u.span, "notice", False)
        elif inside == "about":
            if u.segment in ("subhead", "navigation"):
                inside = False
            elif u.candidate:
                u = Unit(u.span, "notice", False)
        elif inside:
            full = raw.rstrip(QUOTES + ")] ").endswith(TERMINAL) and len(raw.split()) >= 8
            if full or len(raw.split()) > 12:
                inside = False
            elif u.candidate or u.segment == "subhead":
                u = Unit(u.span, "notice", False)
        out.append(u)
    return out


def _pull_quotes(text: str, units: list[Unit]) -> list[Unit]:
    """A quoted line of its own whose words all stand in another unit is a pull quote (or a
    quoted subhead) repeating the text: context, not a second claim."""
    words: list[set[str]] | None = None  # built only when a page has a quoted line
    out = []
    for k, u in enumerate(units):
        start, end = trim(u.span, text)
        raw = text[start:end]
        if u.candidate and u.segment in ("subhead", "quote") and raw[:1] in QUOTES:
            line_start, line_end = line_bounds(text, start)
            if text[line_start:line_end].strip() != raw:
                out.append(u)
                continue
            if words is None:
                words = [
                    set(normalise(text[v.span.start_char : v.span.end_char]).split()) for v in units
                ]
            mine = words[k]
            if len(mine) >= 4 and any(
                j != k and len(mine & other) >= 0.8 * len(mine) for j, other in enumerate(words)
            ):
                u = Unit(u.span, "quote", False)
        out.append(u)
    return out


def _trailing_teasers(units: list[Unit]) -> list[Unit]:
    """List items after the article's last paragraph are links to other articles."""
    last_body = -1
    for k, u in enumerate(units):
        if u.segment in ("body", "lead", "quote") and u.candidate:
            last_body = k
    out = []
    for k, u in enumerate(units):
        if k > last_body and u.segment == "list_item":
            u = Unit(u.span, "teaser", False)
        out.append(u)
    return out
