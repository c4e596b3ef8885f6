"""The cues of reported speech and the speaker each names: "laut X", "X zufolge", "so X", "nach
Angaben von X", speech verbs ("sagte", "said"), "according to X", interview labels ("Precht: ..."),
documents ("heißt es in ..."), findings ("Eine Studie prognostiziert ..."). Cues are read outside
quotation marks; the first one found decides."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from claims.nlp.appositions import opening_person, with_apposition
from claims.nlp.attribution_verbs import verb_speaker
from claims.nlp.colon_quotes import colon_speaker
from claims.nlp.document_sources import (
    document_source,
    is_document_cue,
    is_own_account,
    own_account,
)
from claims.nlp.english_subject import english_subject
from claims.nlp.german_sources import german_source, named_finding
from claims.nlp.lexicon import (
    ATTRIBUTION_VERBS,
    NACH_NOUNS,
    OPINION_NOUNS_DE,
    PRE_CUES,
    QUOTE_CHARS,
    SEPARABLE_DE,
)
from claims.nlp.people import DocState, is_cap
from claims.nlp.speaker_names import (
    UNATTRIBUTED,
    np_after,
    np_before,
    speaker_from_tokens,
)

_RELATIVE_DE = frozenset({"der", "dem", "denen"})


def _particle(doc: Doc, j: int, particles: list[str], end: int) -> bool:
    """The separable verb's particle at ``j``; "vor," only with a clause after it."""
    low = doc[j].lower_
    if low in particles:
        return True
    return f"{low}," in particles and j + 1 < end and doc[j + 1].text in (",", ":")


def _label_speaker(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """Interview labels and headline attributions: "Precht: ...", "Flüthmann: Aussicht auf ..."."""
    doc = sent.doc
    for k in range(sent.start + 1, min(sent.start + 5, sent.end - 3)):
        if doc[k].text == ":":
            words = list(doc[sent.start : k])
            if all(is_cap(t) and not quotes[t.i] for t in words) and any(
                m.start == words[0].i or (m.start == words[-1].i) for m in state.people
            ):
                return speaker_from_tokens(words, state, sent, quotes)
            return None
    return None


def find_attribution(sent: Span, state: DocState, quotes: list[bool]) -> tuple[bool, str | None]:
    """Return (found an attribution cue, claimant) for a German or English sentence."""
    doc = sent.doc
    lang = state.lang
    end = sent.end
    state.phrase = []
    label = _label_speaker(sent, state, quotes)
    if label:
        return True, label
    found = colon_speaker(sent, state, quotes)  # 'X ging darauf ein: „..."'
    if found:
        return True, found
    found = named_finding(sent, state, quotes) if lang == "de" else None
    if found:  # "Eine IDG-Studie prognostiziert, dass ..."
        return True, found
    for t in sent:
        if quotes[t.i]:
            continue
        low = t.lower_
        if lang == "de":
            if is_document_cue(sent, t, quotes):  # "heißt es in Zschäpes Erklärung"
                return True, document_source(sent, t, state, quotes)
            if is_own_account(sent, t):  # "Beate Zschäpe ist nach eigenen Angaben ..."
                return True, own_account(sent, t, state, quotes)
            if low == "zufolge":
                k = t.i
                if (
                    k - 2 >= sent.start
                    and doc[k - 1].lower_ in _RELATIVE_DE
                    and doc[k - 2].text == ","
                ):
                    k -= 2  # "eine Entscheidung des Bundesverfassungsgerichts, der zufolge ..."
                return True, speaker_from_tokens(np_before(doc, k, sent.start), state, sent, quotes)
            if low in PRE_CUES["de"]:
                np = np_after(doc, t.i + 1, end, lang)
                return True, speaker_from_tokens(np, state, sent, quotes)
            if (
                low == "nach"
                and t.i - 2 >= sent.start
                and doc[t.i - 1].lower_ in OPINION_NOUNS_DE
                and doc[t.i - 2].lower_ in ("seiner", "ihrer")
            ):  # "seiner Ansicht nach"
                return True, speaker_from_tokens([doc[t.i - 2]], state, sent, quotes)
            if low == "für" and t.i == sent.start and t.i + 2 < end:
                # "Für Wößmann sind die Ergebnisse ...", "Für ihn ist klar, dass ..."
                nxt = doc[t.i + 1]
                named = nxt.lower_ in ("ihn", "sie") or any(m.start == nxt.i for m in state.people)
                if named and any(w.lower_ in ("ist", "sind", "steht") for w in doc[t.i + 2 : end]):
                    return True, speaker_from_tokens([nxt], state, sent, quotes)
            if low == "nach" and any(m.start == t.i + 1 for m in state.people):
                return True, speaker_from_tokens([doc[t.i + 1]], state, sent, quotes)
            if (
                low in OPINION_NOUNS_DE
                and t.i - 2 >= sent.start
                and doc[t.i - 1].lower_ == "der"
                and doc[t.i - 2].lower_ in ("ist", "sind", "war", "waren")
            ):  # "Er ist der Meinung, dass ..."
                return True, verb_speaker(sent, doc[t.i - 2], state, quotes)
            k = t.i + 1  # "nach Angaben", "nach ersten Erkenntnissen", "nach derzeitigem ..."
            if k + 1 < end and doc[k].is_lower and doc[k].pos_ == "ADJ":
                k += 1
            if low == "nach" and k < end and doc[k].lower_ in NACH_NOUNS:
                np = np_after(doc, k + 1, end, lang)
                if np and np[0].lower_ == "von":
                    np = np[1:]
                return True, speaker_from_tokens(np, state, sent, quotes)
            if low == "so" and t.i > sent.start and doc[t.i - 1].text in {","} | QUOTE_CHARS:
                np = np_after(doc, t.i + 1, end, lang)
                if np:
                    return True, speaker_from_tokens(np, state, sent, quotes)
            verb = low in ATTRIBUTION_VERBS["de"] and (not t.text[0].isupper() or t.i == sent.start)
            if not verb and low in SEPARABLE_DE and not t.text[0].isupper():
                particles = SEPARABLE_DE[low].split("|")
                verb = any(
                    _particle(doc, j, particles, end) and not quotes[j] for j in range(t.i + 1, end)
                )
            if verb:
                return True, verb_speaker(sent, t, state, quotes)
        else:
            if low == "according" and t.i + 1 < end and doc[t.i + 1].lower_ == "to":
                np = with_apposition(sent, np_after(doc, t.i + 2, end, lang), state)
                return True, speaker_from_tokens(np, state, sent, quotes)
            if low in ATTRIBUTION_VERBS["en"] and t.pos_ == "VERB":
                subject = opening_person(sent, t, state, quotes) or english_subject(sent, t, quotes)
                if subject and subject[0].i > t.i:  # "..., said the head of X, Jane Doe."
                    subject = with_apposition(sent, subject, state)
                if subject:
                    name = speaker_from_tokens(subject, state, sent, quotes)
                    if name:
                        return True, name
                    if any(w.pos_ in ("NOUN", "PROPN") for w in subject):
                        # a speaker without a name: "The victim's mother testified"
                        return True, UNATTRIBUTED
                elif t.tag_ in ("VBN", "VBG"):
                    continue  # "the deal announced in October", "cases were reported"
                return True, verb_speaker(sent, t, state, quotes)
    if lang == "de":  # "Eine IDG-Studie prognostiziert, dass ...", "Angeblich sind ..."
        return german_source(sent, state, quotes)
    return False, None
