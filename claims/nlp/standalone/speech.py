"""Attach the speaker to reported speech: "Laut Donald Trump hat Nordkorea ...", "According to
Tim Cook, ...", and remove the attribution clause it replaces (", sagte er", "Cook told Benioff").

German indirect speech becomes indicative under "Laut X" (Konjunktiv I "habe" -> "hat") and the
statement is put in verb-second order after it, when the sentence's shape makes that safe; else
the statement is kept as it stands, with ", so X" after it (the usual German form, which keeps
the Konjunktiv).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from claims.nlp.lexicon import (
    ATTRIBUTION_VERBS,
    AUXILIARIES_EN,
    DETERMINERS,
    KONJ2,
    QUOTE_CHARS,
    ROLE_SUFFIX,
)
from claims.nlp.standalone.draft import Draft

KONJ1_TO_IND = {
    "sei": "ist", "seien": "sind", "habe": "hat", "werde": "wird", "könne": "kann",
    "müsse": "muss", "solle": "soll", "wolle": "will", "dürfe": "darf", "möge": "mag",
    "wisse": "weiß", "gebe": "gibt", "bleibe": "bleibt", "gehe": "geht", "komme": "kommt",
    "liege": "liegt", "stehe": "steht", "sehe": "sieht", "lasse": "lässt", "nehme": "nimmt",
    "halte": "hält", "trage": "trägt", "gelte": "gilt", "handle": "handelt", "heiße": "heißt",
    "laufe": "läuft", "treffe": "trifft", "spreche": "spricht", "helfe": "hilft",
    "wachse": "wächst", "falle": "fällt", "fahre": "fährt", "gelinge": "gelingt",
    "lese": "liest", "vergesse": "vergisst", "esse": "isst", "trete": "tritt",
    "befinde": "befindet", "finde": "findet", "arbeite": "arbeitet", "bedeute": "bedeutet",
    "erwarte": "erwartet", "biete": "bietet", "leiste": "leistet", "warte": "wartet",
    "werfe": "wirft", "breche": "bricht", "schlage": "schlägt", "rate": "rät",
    "schlafe": "schläft", "fange": "fängt", "sterbe": "stirbt", "empfehle": "empfiehlt",
    "stehle": "stiehlt", "messe": "misst", "wende": "wendet", "sende": "sendet",
}  # fmt: skip
# Prefixed forms take their stem's indicative: "ergebe" -> "ergibt", "entspreche" -> "entspricht"
_STEMS = sorted((k for k in KONJ1_TO_IND if len(k) >= 4), key=len, reverse=True)


def _words(text: str) -> list[str]:
    return text.split()


_FINAL = {".", "!", "?", "…"}
_FRONT_CUES_DE = {"laut", "gemäß"}
_NACH_NOUNS = {"angaben", "ansicht", "aussage", "aussagen", "darstellung", "einschätzung", "worten"}


def indicative(tok: Token, *, finite: bool = False) -> str | None:
    """The indicative of a German Konjunktiv I form ("habe" -> "hat"), or None. ``finite``:
    the token is known to be the clause's finite verb, whatever the tagger's morphology says."""
    low = tok.lower_
    if low in KONJ2 or low in ("ich",):
        return None
    stem = next((k for k in _STEMS if low.endswith(k) and len(low) > len(k) + 1), None)
    if low in KONJ1_TO_IND:
        out = KONJ1_TO_IND[low]
    elif stem and tok.pos_ in ("VERB", "AUX"):
        out = low[: -len(stem)] + KONJ1_TO_IND[stem]
    elif (
        # a finite third-person form in -e is Konjunktiv I whatever the tagger's mood says
        # ("investiere"): the indicative never ends in -e there
        tok.pos_ in ("VERB", "AUX")
        and tok.text.islower()
        and len(low) > 3
        and low.endswith("e")
        and not low.endswith(("te", "ie"))
        and "Inf" not in tok.morph.get("VerbForm")
        and "Part" not in tok.morph.get("VerbForm")
        and (finite or "Sub" in tok.morph.get("Mood") or "3" in tok.morph.get("Person"))
    ):
        stem = low[:-1]
        out = stem + ("et" if stem.endswith(("d", "t", "chn", "ffn", "tm")) else "t")
    else:
        return None
    return out.capitalize() if tok.text[:1].isupper() else out


# Adverbs the small German tagger takes for finite verbs ("Nicht zuletzt das ...").
_NOT_VERBS = frozenset(
    _words(
        "zuletzt zunächst jetzt meist längst erst selbst bereits zumindest höchst stets "
        "insgesamt nicht seit nachts"
    )
)


def _is_finite(tok: Token) -> bool:
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


def _trailing_clause(
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
            if not rest or rest[0].pos_ not in ("ADP", "SCONJ") or any(_is_finite(t) for t in rest):
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


def _front_cue(draft: Draft, lang: str) -> tuple[int, list[Token]] | None:
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


def _inner_cue(draft: Draft, quotes: list[bool], lang: str) -> tuple[int, int, list[Token]] | None:
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


def _leading_report(
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
                if t.is_punct or t.pos_ in ("VERB", "AUX"):
                    break
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


def _v2(draft: Draft, statement: list[int], verb_final: bool) -> list[int] | None:
    """Verb-second order for a statement placed after "Laut X", or None when unsafe."""
    toks = [draft.tok(i) for i in statement]
    if not toks or toks[0].text in QUOTE_CHARS:
        return None
    if verb_final:
        last = toks[-1]
        if not _is_finite(last) or any(t.text in QUOTE_CHARS for t in toks):
            return None
        if (
            last.lower_ not in KONJ1_TO_IND
            and last.pos_ == "VERB"
            and _SEPARABLE.match(last.lower_)
        ):
            return None  # "aufgibt" would have to become "gibt ... auf"
        return [statement[-1], *statement[:-1]]
    for k, t in enumerate(toks[:9]):
        if t.is_punct or t.text in QUOTE_CHARS or t.pos_ == "SCONJ":
            return None
        if _is_finite(t):
            if k == 0:
                return list(statement)
            vorfeld = statement[:k]
            rest = statement[k + 1 :]
            first = draft.tok(vorfeld[0])
            n = 0
            while n < len(rest) and draft.tok(rest[n]).pos_ == "PRON":
                n += 1
            # "Kim habe ihm": the subject up front keeps its place after the verb; when a
            # pronoun after the verb is the subject ("Vergleichbare Werte gebe es"), it leads
            nominative = any("Nom" in draft.tok(i).morph.get("Case") for i in rest[:n])
            subject = first.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "NUM") and not nominative
            if not subject or not any(draft.tok(i).pos_ in ("NOUN", "PROPN") for i in vorfeld):
                # "Deshalb freue er sich", "In Abstimmung mit X habe man": an adverbial goes
                # after the verb's pronouns ("freut er sich deshalb", "hat man in ...")
                return [statement[k], *rest[:n], *vorfeld, *rest[n:]]
            return [statement[k], *vorfeld, *rest]
        if t.pos_ in ("VERB", "AUX"):
            return None
    return None


_SEPARABLE = re.compile(
    r"^(ab|an|auf|aus|bei|ein|fest|mit|nach|vor|weg|zu|zurück|zusammen|hin|her|los|teil|statt|"
    r"dar|heraus|hinaus|voran|vorbei|weiter|wieder)(?=\w{3,})"
)


def _lower_first(draft: Draft, order: list[int], lang: str) -> None:
    if not order:
        return
    tok = draft.tok(order[0])
    keep = tok.pos_ == "PROPN" or (tok.text.isupper() and len(tok.text) > 1) or tok.text == "I"
    if lang == "de":
        keep = keep or tok.pos_ == "NOUN" or not tok.text[:1].isupper()
    if not keep:
        draft.text[order[0]] = draft.text[order[0]][:1].lower() + draft.text[order[0]][1:]


def _as_written(words: list[Token]) -> str:
    words = [t for t in words if not t.is_space]
    while words and words[0].pos_ in ("CCONJ", "ADV", "PUNCT"):
        words = words[1:]  # "But the agency (said)"
    while words and (words[-1].lower_ in AUXILIARIES_EN or words[-1].pos_ in ("ADV", "PUNCT")):
        words = words[:-1]  # "Jason La Canfora has (reported)", "Mr. Trump has since (said)"
    text = "".join(t.text + t.whitespace_ for t in words).strip()
    if words and words[0].pos_ == "DET":
        text = text[:1].lower() + text[1:]
    return text


def attach_speaker(
    draft: Draft,
    quotes: list[bool],
    lang: str,
    label: str,
    speaker_words: set[str],
    *,
    person: bool,
    known: bool,
) -> bool:
    """Rewrite ``draft`` so the statement carries its speaker; True when the statement is now
    in the indicative frame ("Laut X hat ...", German only), so Konjunktiv I becomes indicative.

    ``label`` ("US-Präsident Donald Trump") replaces the words that named the speaker when they
    are a pronoun, or a role or part of the name of a ``person``; other words ("two people
    briefed on the talks", "der Karlsruher Polizei") are kept as the article wrote them. Without
    any such words (speech continued from an earlier sentence) the speaker is attached only when
    ``known`` (a person or organisation the article names).
    """
    body = draft.body()
    final = [i for i in draft.order if i not in body]
    original = list(draft.order)

    def who(np: list[Token]) -> str | None:
        """The label, or None to keep the article's own words."""
        content = [t for t in np if not t.is_punct]
        if not content:
            return label if known else None
        if any(t.pos_ == "PRON" for t in content):
            return label
        if not person:
            return None
        if any(t.text in speaker_words or t.text.rstrip("s’'") in speaker_words for t in content):
            return label
        if any(ROLE_SUFFIX.search(t.text) for t in content):
            return label
        return None

    front = _front_cue(draft, lang)
    if front is not None:  # "Dem Minister X zufolge waren ..." -> "Laut Minister X waren ..."
        end, np = front
        name = who(np)
        if name is None:
            return lang == "de"  # "Nach Angaben der US-Delegation bedeute ...": as written
        draft.order = body[end:] + final
        _lower_first(draft, draft.order, lang)
        draft.prefix = f"Laut {name}" if lang == "de" else f"According to {name},"
        return lang == "de"
    np: list[Token] = []
    dative = False  # German: the words came after "laut"/before "zufolge", fit for "Laut ..."
    tail = _trailing_clause(draft, quotes, lang)
    if tail is not None:
        s, e, np = tail
        body = body[:s] + body[e:]
        draft.order = body + final
    inner = _inner_cue(draft, quotes, lang)
    if inner is not None and not any(
        t.pos_ == "PRON"
        or t.text in speaker_words
        or t.text.rstrip("s’'") in speaker_words
        or (person and ROLE_SUFFIX.search(t.text))
        for t in inner[2]
    ):
        inner = None  # "gemäß Sachlichkeitsgebot ...": a cue that does not name this speaker
    if inner is not None:
        s, e, inner_np = inner
        np, dative = np or inner_np, not np
        body = body[:s] + body[e:]
        draft.order = body + final
    verb_final = False
    lead = _leading_report(draft, quotes, lang)
    if lead is not None:
        start, verb_final, head = lead
        np = np or head
        body = body[start:]
    if tail is None and inner is None and lead is None:
        named = any(
            (draft.tok(i).text in speaker_words or draft.tok(i).text.rstrip("s’'") in speaker_words)
            and not quotes[i]
            for i in body
        )
        if named:
            return False  # "Die Führung in Pjöngjang fordert ...": the sentence names its speaker
    name = who(np)
    if np and all(t.pos_ == "PROPN" for t in np if not t.is_punct):
        dative = True  # a bare name reads right after "Laut" ("Laut Lawrow")
    if name is None and not np:
        draft.order = original  # nothing names the speaker and the claimant is not known
        return False
    if name is None and lang == "en":
        name = _as_written(np)
    if lang == "en":
        _lower_first(draft, body, lang)
        draft.order = body + final
        draft.prefix = f"According to {name},"
        return False
    ordered = _v2(draft, body, verb_final) if name is not None or dative else None
    if ordered is None:
        if verb_final:
            draft.order = original  # a verb-final clause cannot stand alone: leave the sentence
            return False
        draft.order = body + final
        # "..., so die Sprecherin" takes a nominative, "..., laut der Polizei" a dative
        draft.suffix = (
            f", so {name}" if name else f", {'laut' if dative else 'so'} {_as_written(np)}"
        )
        return False
    form = indicative(draft.tok(ordered[0]), finite=True)
    if form:
        draft.text[ordered[0]] = form
    _lower_first(draft, ordered[1:], lang)
    if body and ordered[0] != body[0]:
        _lower_first(draft, [body[0]], lang)  # "Auf Basis ..." is no longer first
    draft.order = ordered + final
    draft.prefix = f"Laut {name or _as_written(np)}"
    return True


def to_indicative(draft: Draft, quotes: list[bool]) -> None:
    for i in draft.order:
        if quotes[i]:
            continue
        form = indicative(draft.tok(i))
        if form:
            draft.text[i] = form
