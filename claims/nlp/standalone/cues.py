"""Where reported speech names its speaker: a final clause (", sagte er", ", Cook told Benioff"),
a cue at the start or inside ("Laut X", "Dem Minister zufolge", "according to X"), or a leading
report ("Trump wisse es zu schätzen, dass ...", "Cook said ..."). Each finder returns where the
statement lies in the draft's order and the words that named the speaker."""

from __future__ import annotations

from spacy.tokens import Token

from claims.nlp.lexicon import ATTRIBUTION_VERBS, DETERMINERS, KONJ2, QUOTE_CHARS
from claims.nlp.standalone.draft import Draft
from claims.nlp.standalone.konjunktiv import KONJ1_TO_IND


def _words(text: str) -> list[str]:
    return text.split()


_FRONT_CUES_DE = {"laut", "gemäß"}
_NACH_NOUNS = {"angaben", "ansicht", "aussage", "aussagen", "darstellung", "einschätzung", "worten"}


# Adverbs the small German tagger takes for finite verbs ("Nicht zuletzt das ...").
_NOT_VERBS = frozenset(
    _words(
        "zuletzt zunächst jetzt meist längst erst selbst bereits zumindest höchst stets "
        "insgesamt nicht seit nachts"
    )
)


def is_finite(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or tok.lower_ in _NOT_VERBS:
        return False
    if tok.lower_.endswith(("er", "es", "em")) and tok.lower_ not in ("wer",):
        return False  # adjective endings the tagger took for a verb ("engagierter Arbeit")
    return (
        "Fin" in tok.morph.get("VerbForm")
        or bool(tok.morph.get("Mood"))
        or tok.lower_ in KONJ1_TO_IND
        or tok.lower_ in KONJ2
    )


def _np_end(draft: Draft, order: list[int], k: int) -> int:
    """Index in ``order`` just past the noun phrase starting at k (determiner, lowercase
    adjectives, capitalised words): the phrase after "laut", "according to", "so"."""
    j = k
    if j < len(order) and draft.tok(order[j]).lower_ in DETERMINERS:
        j += 1
        while j < len(order) and draft.tok(order[j]).pos_ == "ADJ":
            j += 1
    while j < len(order):
        t = draft.tok(order[j])
        if t.text[:1].isupper() or t.text in ("-",) or t.lower_ in ("of", "von", "des", "der"):
            j += 1
        else:
            break
    return j


def _np_start(draft: Draft, order: list[int], k: int) -> int:
    """Index in ``order`` of the noun phrase ending before k ("Dem Minister" before "zufolge")."""
    j = k - 1
    while j >= 0 and draft.tok(order[j]).text[:1].isupper():
        if draft.tok(order[j]).lower_ in DETERMINERS:
            return j
        j -= 1
    while j >= 0 and draft.tok(order[j]).pos_ == "ADJ":
        j -= 1
    if j >= 0 and draft.tok(order[j]).lower_ in DETERMINERS:
        return j
    return j + 1


def trailing_clause(
    draft: Draft, quotes: list[bool], lang: str
) -> tuple[int, int, list[Token]] | None:
    """A final attribution clause (", sagte er", ", so die Sprecherin", ", Cook told Benioff",
    ", according to the UN", ", the minister said on Tuesday, after years of debate"): where it
    starts and ends in the body order, and the words naming the speaker. A quote's own closing
    comma and marks stay ('"…," Cook said')."""
    body = draft.body()
    verbs = ATTRIBUTION_VERBS[lang]
    commas = [c for c in range(1, len(body)) if draft.tok(body[c]).text == ","]
    for c in reversed(commas):
        n = c + 1
        while n < len(body) and draft.tok(body[n]).text in QUOTE_CHARS:
            n += 1
        later = [k for k in commas if k > c]
        end = later[0] if later else len(body)
        seg = [draft.tok(i) for i in body[n:end]]
        if not seg or len(seg) > 14 or any(quotes[t.i] or t.text in QUOTE_CHARS for t in seg):
            return None
        if later:  # only an adjunct may follow: ", after years of debate ..."
            rest = [draft.tok(i) for i in body[end + 1 :]]
            if not rest or rest[0].pos_ not in ("ADP", "SCONJ") or any(is_finite(t) for t in rest):
                continue
        cut = n if quotes[body[c]] else c
        first = seg[0].lower_
        if lang == "de" and first in verbs:
            return cut, end, [draft.tok(body[k]) for k in range(n + 1, _np_end(draft, body, n + 1))]
        if lang == "de" and first == "so" and len(seg) > 1:
            return cut, end, seg[1:]
        if lang == "en":
            if first == "according" and len(seg) > 1 and seg[1].lower_ == "to":
                return cut, end, seg[2:]
            for k, t in enumerate(seg[:6]):
                if t.lower_ in verbs and t.pos_ == "VERB":
                    np = seg[:k] or [
                        draft.tok(body[j]) for j in range(n + 1, _np_end(draft, body, n + 1))
                    ]
                    return cut, end, np
        if not later:
            return None
    return None


def front_cue(draft: Draft, lang: str) -> tuple[int, list[Token]] | None:
    """A sentence-initial attribution ("Laut X", "Nach Angaben X", "Dem Minister X zufolge",
    "According to X,"): where the statement starts, and the words naming the speaker."""
    body = draft.body()
    if not body:
        return None
    low = [draft.tok(i).lower_ for i in body]
    words = lambda a, b: [draft.tok(i) for i in body[a:b]]  # noqa: E731
    if lang == "de":
        if low[0] in _FRONT_CUES_DE:
            end = _np_end(draft, body, 1)
            return (end, words(1, end)) if end > 1 else None
        if low[0] == "nach" and len(low) > 1 and low[1] in _NACH_NOUNS:
            end = _np_end(draft, body, 2)
            return (end, words(2, end)) if end > 2 else None
        for k in range(1, min(len(low), 9)):
            if low[k] == "zufolge" and _np_start(draft, body, k) == 0:
                return k + 1, words(0, k)
            if draft.tok(body[k]).is_punct:
                break
        return None
    if low[:2] == ["according", "to"]:
        for k in range(2, min(len(low), 16)):
            if low[k] == ",":
                return k + 1, words(2, k)
    return None


def inner_cue(draft: Draft, quotes: list[bool], lang: str) -> tuple[int, int, list[Token]] | None:
    """A cue inside the sentence: "Die USA waren laut Trumps Aussagen ...", "Dies könne dem
    Minister zufolge ...", "..., according to two people familiar with the matter, ..."."""
    body = draft.body()
    for k in range(1, len(body)):
        tok = draft.tok(body[k])
        if quotes[body[k]]:
            continue
        if lang == "de" and tok.lower_ in _FRONT_CUES_DE:
            end = _np_end(draft, body, k + 1)
            if end < len(body) and draft.tok(body[end]).lower_ == "aussagen":
                end += 1
            return k, end, [draft.tok(i) for i in body[k + 1 : end]]
        if lang == "de" and tok.lower_ == "zufolge":
            s = _np_start(draft, body, k)
            return s, k + 1, [draft.tok(i) for i in body[s:k]]
        if (
            lang == "en"
            and tok.lower_ == "according"
            and k + 1 < len(body)
            and draft.tok(body[k + 1]).lower_ == "to"
            and draft.tok(body[k - 1]).text == ","
        ):
            end = k + 2
            while end < len(body) and draft.tok(body[end]).text != ",":
                end += 1
            return k - 1, end, [draft.tok(i) for i in body[k + 2 : end]]
    return None


_ASSERT_DE = frozenset(
    _words(
        "sagte sagt sagten erklärte erklärt erklärten betonte betont betonten behauptete "
        "behauptet berichtete berichtet bestätigte bestätigt versicherte teilte schrieb "
        "schreibt meinte meint unterstrich räumte sagen erklären betonen berichten schreiben "
        "meinen hinzu"
    )
)
_TELL_EN = {"told", "tell", "tells", "informed", "assured", "warned", "reminded"}
_SAY_EN = {"said", "says", "say", "reported", "reports", "announced", "added", "claimed",
           "argued", "stated", "noted", "wrote", "tweeted", "estimated", "confirmed"}  # fmt: skip


_WHEN_EN = frozenset(
    _words(
        "on in this last next earlier week month year today yesterday monday tuesday wednesday "
        "thursday friday saturday sunday morning evening night"
    )
)


def leading_report(
    draft: Draft, quotes: list[bool], lang: str
) -> tuple[int, bool, list[Token]] | None:
    """A leading "X sagte, dass ..." / "Trump wisse es zu schätzen, dass ..." / "Cook said
    (that) ..." / "X told Y that ...": where the statement starts, whether it is a German
    verb-final clause, and the words before it (naming the speaker)."""
    body = draft.body()
    for k in range(min(len(body), 16)):
        tok = draft.tok(body[k])
        if quotes[body[k]] or tok.text in QUOTE_CHARS:
            return None
        head = [draft.tok(i) for i in body[:k]]
        if lang == "de":
            if tok.text != ",":
                continue
            dass = k + 1 < len(body) and draft.tok(body[k + 1]).lower_ == "dass"
            asserting = any(
                t.lower_ in _ASSERT_DE or (t.lower_ in KONJ1_TO_IND and t.lower_ != "fordere")
                for t in head
            )
            if head and head[0].lower_ == "wie":
                return None  # "Wie ausführlich berichtet, ...": the paper's own report
            if dass and asserting and len(head) <= 10:
                return k + 2, True, head
            if not dass and k <= 6 and head and head[-1].lower_ in _ASSERT_DE:
                return k + 1, False, head
            return None
        if tok.pos_ != "VERB" or k == 0:
            if tok.is_punct and tok.text != "-":
                return None
            continue
        if tok.lower_ in _TELL_EN:
            j = k + 1
            while j < min(len(body), k + 10) and draft.tok(body[j]).lower_ != "that":
                if draft.tok(body[j]).pos_ in ("VERB", "AUX") or draft.tok(body[j]).text == ",":
                    return None
                j += 1
            if j < len(body) and draft.tok(body[j]).lower_ == "that":
                return j + 1, False, head
            return None
        if tok.lower_ in _SAY_EN and k + 1 < len(body):
            nxt = draft.tok(body[k + 1])
            for j in range(k + 1, min(len(body), k + 5)):  # "said this month that ..."
                t = draft.tok(body[j])
                if t.lower_ == "that":
                    return j + 1, False, head
                if t.lower_ not in _WHEN_EN and t.pos_ not in ("ADV", "NUM"):
                    break  # "say a stabbing that killed ...": a relative clause
            # "Cook said Apple employs ...": a clause follows (a finite verb comes before any
            # punctuation), not an object ("reported its third case")
            clause = False
            for t in (draft.tok(i) for i in body[k + 2 : k + 10]):
                if t.is_punct:
                    break
                if t.tag_ in ("VBD", "VBZ", "VBP", "MD"):
                    clause = True
                    break
            if clause and not nxt.is_punct and nxt.pos_ not in ("ADP", "ADV", "PART"):
                return k + 1, False, head
        return None
    return None
