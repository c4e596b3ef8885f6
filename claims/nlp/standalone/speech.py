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

from claims.nlp.lexicon import AUXILIARIES_EN, QUOTE_CHARS, ROLE_SUFFIX
from claims.nlp.standalone.cues import (
    front_cue,
    inner_cue,
    is_finite,
    leading_report,
    trailing_clause,
)
from claims.nlp.standalone.draft import Draft
from claims.nlp.standalone.konjunktiv import KONJ1_TO_IND, indicative


def _v2(draft: Draft, statement: list[int], verb_final: bool) -> list[int] | None:
    """Verb-second order for a statement placed after "Laut X", or None when unsafe."""
    toks = [draft.tok(i) for i in statement]
    if not toks or toks[0].text in QUOTE_CHARS:
        return None
    if verb_final:
        last = toks[-1]
        if not is_finite(last) or any(t.text in QUOTE_CHARS for t in toks):
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
        if is_finite(t):
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


def _as_written(words: list[Token], lang: str = "de") -> str:
    words = [t for t in words if not t.is_space]
    while words and words[0].pos_ in ("CCONJ", "ADV", "PUNCT"):
        words = words[1:]  # "But the agency (said)"
    while words and (
        words[-1].lower_ in AUXILIARIES_EN or words[-1].pos_ in ("ADV", "PUNCT", "DET", "ADP")
    ):
        # "Jason La Canfora has (reported)", "Mr. Trump has since (said)", "Vertreter der
        # (unter dem Banner ... kämpfenden Gruppen)": a phrase cut before its lowercase words
        words = words[:-1]
    text = "".join(t.text + t.whitespace_ for t in words).strip()
    english_noun = lang == "en" and words and words[0].pos_ in ("NOUN", "ADJ", "NUM")
    if (
        words
        and (words[0].pos_ == "DET" or english_noun)
        and not (words[0].text.isupper() and len(words[0].text) > 1)
    ):
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

    front = front_cue(draft, lang)
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
    tail = trailing_clause(draft, quotes, lang)
    if tail is not None:
        s, e, np = tail
        body = body[:s] + body[e:]
        draft.order = body + final
    inner = inner_cue(draft, quotes, lang)
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
    lead = leading_report(draft, quotes, lang)
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
        name = _as_written(np, lang)
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
