"""Units of an article: the sentences of :func:`claims.nlp.sentences.sentence_starts`, refined
where the tagger helps. A headline glued to the next sentence ("Atomare Abrüstung - Keine Einigung
beim Nordkorea-Gipfel Kim Jong Un und Donald Trump haben ...") is split, and a quotation that runs
over several sentences of one paragraph is kept whole. Offsets stay those of the Doc. Read by
:mod:`claims.nlp.structure`, which gives each unit its segment.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from claims.nlp.structure_lexicon import KICKER

_MAX_QUOTE_SENTENCES = 5  # a longer "quote" is more likely an unbalanced quote mark
_MAX_QUOTE_CHARS = 700
_FINITE = {"VVFIN", "VAFIN", "VMFIN", "VBD", "VBZ", "VBP"}
# Quote marks that open and close, per language ("“" closes in German and opens in English).
_OPEN = {"de": "„»", "en": "“"}  # single quotes double as apostrophes: ignored
_CLOSE = {"de": "“«", "en": "”"}


def trim(span: Span, text: str) -> tuple[int, int]:
    """The span's offsets without surrounding whitespace (``text`` is doc.text, read once:
    Span.text is rebuilt from the tokens on every access)."""
    raw = text[span.start_char : span.end_char]
    return span.start_char + len(raw) - len(raw.lstrip()), span.start_char + len(raw.rstrip())


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _split_at(doc: Doc, spans: list[Span], i: int, tok: int) -> list[Span]:
    span = spans[i]
    if not span.start < tok < span.end:
        return spans
    doc[tok].is_sent_start = True
    return [*spans[:i], doc[span.start : tok], doc[tok : span.end], *spans[i + 1 :]]


def is_finite(tok) -> bool:
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
        if is_finite(t):
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
        start, _ = trim(span, text)
        line_start, _ = line_bounds(text, start)
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
            line_end = line_bounds(text, span.start_char)[1]
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
