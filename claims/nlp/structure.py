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

Units are the sentences of :func:`claims.nlp.components.sentence_starts`, refined here where the
tagger helps: a headline glued to the next sentence ("Atomare Abrüstung - Keine Einigung beim
Nordkorea-Gipfel Kim Jong Un und Donald Trump haben ...") is split, and a quotation that runs over
several sentences of one paragraph is kept whole. Offsets stay those of the Doc.
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

_MAX_QUOTE_SENTENCES = 5  # a longer "quote" is more likely an unbalanced quote mark
_MAX_QUOTE_CHARS = 700
# The lead is the opening one or two sentences (the inverted pyramid's "who, what, when"): in a
# text without paragraph breaks (10kGNAD, pasted text) the first paragraph is the whole article.
_LEAD_SENTENCES = 2
_FINITE = {"VVFIN", "VAFIN", "VMFIN", "VBD", "VBZ", "VBP"}
# Quote marks that open and close, per language ("“" closes in German and opens in English).
_OPEN = {"de": "„»", "en": "“"}  # single quotes double as apostrophes: ignored
_CLOSE = {"de": "“«", "en": "”"}


@dataclass(frozen=True)
class Unit:
    span: Span
    segment: str
    candidate: bool


def _trim(span: Span, text: str) -> tuple[int, int]:
    """The span's offsets without surrounding whitespace (``text`` is doc.text, read once:
    Span.text is rebuilt from the tokens on every access)."""
    raw = text[span.start_char : span.end_char]
    return span.start_char + len(raw) - len(raw.lstrip()), span.start_char + len(raw.rstrip())


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _split_at(doc: Doc, spans: list[Span], i: int, tok: int) -> list[Span]:
    span = spans[i]
    if not span.start < tok < span.end:
        return spans
    doc[tok].is_sent_start = True
    return [*spans[:i], doc[span.start : tok], doc[tok : span.end], *spans[i + 1 :]]


def _finite(tok) -> bool:
    """English: the tagger's finite tags; German (morphologizer, no tags): VerbForm=Fin or none."""
    if tok.tag_ in _FINITE:
        return True
    forms = tok.morph.get("VerbForm")
    # the German morphologizer often leaves VerbForm empty on finite verbs ("sind", "gelten")
    # (English has fine-grained tags, checked above; German has none)
    return tok.pos_ in ("VERB", "AUX") and ("Fin" in forms or (not forms and not tok.tag_))


def _headline_end(span: Span, kicker_end: int) -> int | None:
    """Where a headline glued to the first sentence ends: before the subject (a run of proper
    nouns, "und"/"and" between them) of the first finite verb after the kicker."""
    toks = [t for t in span if t.idx >= kicker_end]
    for k, t in enumerate(toks):
        if _finite(t):
            j = k
            while j > 0 and (
                toks[j - 1].pos_ == "PROPN"
                or (toks[j - 1].lower_ in ("und", "and") and j > 1 and toks[j - 2].pos_ == "PROPN")
            ):
                j -= 1
            if 2 <= j < k - 1 and toks[j - 1].pos_ == "NOUN" and toks[j].text[:1].isupper():
                return toks[j].i
            return None
    return None


def refine_units(doc: Doc, spans: list[Span], lang: str, text: str) -> list[Span]:
    """Split headline + teaser lines and kicker teasers; merge multi-sentence quotations."""
    i = 0
    while i < len(spans):
        span = spans[i]
        start, _ = _trim(span, text)
        line_start, _ = _line_bounds(text, start)
        if start == line_start:
            m = KICKER.match(text, start)
            if m:
                after = text[m.end() : m.end() + 1]
                if after and after in '»„“"«':  # "Gipfel - »Trump hat nichts bekommen« Das ..."
                    close = text.find(_closing_for(after, lang), m.end() + 1)
                    if 0 < close < span.end_char - 2:
                        nxt = [t for t in span if t.idx > close and not t.is_space]
                        if nxt and nxt[0].text[:1].isupper():
                            spans = _split_at(doc, spans, i, nxt[0].i)
                elif i == 0 or _is_first_line(text, start):
                    cut = _headline_end(span, m.end())
                    if cut is not None:
                        spans = _split_at(doc, spans, i, cut)
        i += 1
    return _merge_quotes(doc, spans, lang, text)


def _is_first_line(text: str, start: int) -> bool:
    return not text[:start].strip()


def _closing_for(opener: str, lang: str) -> str:
    return {"»": "«", "«": "»", "„": "“", "“": "”" if lang == "en" else "“", '"': '"'}.get(
        opener, opener
    )


def _quote_balance(raw: str, lang: str) -> int:
    """+1 when the text leaves a quotation open, -1 when it closes one opened before, else 0."""
    opened = sum(raw.count(ch) for ch in _OPEN[lang])
    closed = sum(raw.count(ch) for ch in _CLOSE[lang])
    straight = raw.count('"')
    if lang == "en" and opened == closed and straight % 2 == 0:
        return 0
    if straight % 2:
        first = raw.lstrip()[:1]
        return 1 if first == '"' or opened > closed else -1
    return (opened > closed) - (closed > opened)


def _merge_quotes(doc: Doc, spans: list[Span], lang: str, text: str) -> list[Span]:
    """Consecutive sentences inside one open quotation on one line become one unit: the quote is
    one statement by one speaker ("»A. B«, sagte X"), and the attribution after it covers all."""
    out: list[Span] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        if _quote_balance(text[span.start_char : span.end_char], lang) == 1:
            line_end = _line_bounds(text, span.start_char)[1]
            for j in range(i + 1, min(len(spans), i + _MAX_QUOTE_SENTENCES)):
                nxt = spans[j]
                if nxt.start_char >= line_end or nxt.end_char - span.start_char > _MAX_QUOTE_CHARS:
                    break
                balance = _quote_balance(text[nxt.start_char : nxt.end_char], lang)
                if balance == 1:
                    break  # a new quotation opens: the first one was never closed
                if balance == -1:
                    for k in range(i + 1, j + 1):
                        doc[spans[k].start].is_sent_start = False
                    out.append(doc[span.start : nxt.end])
                    i = j + 1
                    break
            else:
                out.append(span)
                i += 1
                continue
            if out and out[-1].start == span.start:
                continue
        out.append(span)
        i += 1
    return out


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
    return any(_finite(t) for t in span)


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
        start, end = _trim(span, text)
        unit_text = text[start:end]
        line_start, line_end = _line_bounds(text, start)
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
        by_line.setdefault(_line_bounds(text, _trim(u.span, text)[0])[0], []).append(k)
    out = list(units)
    for line_start, ks in by_line.items():
        kinds = [units[k].segment for k in ks if not units[k].candidate]
        kinds = [kind for kind in kinds if kind in _FURNITURE]
        # a news paragraph with one furniture-like sentence stays news: the furniture must be
        # half of the paragraph's units at least
        if not kinds or len(ks) < 2 or 2 * len(kinds) < len(ks):
            continue
        line_end = _line_bounds(text, line_start)[1]
        if _count_words(text[line_start:line_end]) > _MAX_FURNITURE_LINE_WORDS:
            continue
        for k in ks:
            u = units[k]
            s, e = _trim(u.span, text)
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
        start, end = _trim(u.span, text)
        raw = text[start:end]
        if u.candidate and u.segment in ("subhead", "quote") and raw[:1] in QUOTES:
            line_start, line_end = _line_bounds(text, start)
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
