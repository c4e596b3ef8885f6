"""Standalone claim text: the sentence rewritten so a fact-checker can check it without the article.

Deterministic rules over the parsed sentence and what the article said before it:

1. reported speech carries its speaker ("Laut US-Präsident Donald Trump hat Nordkorea ...",
   "According to Apple CEO Tim Cook, ..."), the attribution clause it replaces is removed, German
   Konjunktiv I becomes indicative under "Laut X" (see :mod:`.speech`);
2. references are resolved from the article: bare surnames to full names, pronouns to the person
   or organisation meant, "der Minister" / "the company" / "die 32-Jährige" to who or what they
   name, "dort" / "there" to the place (see :mod:`.antecedents`);
3. relative times are anchored to the publication date (see :mod:`.timeref`).

What the rules cannot resolve stays as written (``claims.nlp.references`` reports it). The
original sentence remains the evidence: only the text shown and compared changes.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span

from claims.nlp.attribution import DocState
from claims.nlp.standalone.antecedents import (
    ArticleFacts,
    age_of,
    article_facts,
    full_name,
    genitive,
    last_person,
    last_place,
    named_org,
    person_for_role,
    person_with_age,
    previous_subject,
    recent_org,
)
from claims.nlp.standalone.draft import Draft
from claims.nlp.standalone.speech import attach_speaker, to_indicative
from claims.nlp.standalone.timeref import anchor_time

__all__ = ["standalone_text"]

_SUBJECT = {"en": {"he": "m", "she": "f"}, "de": {"er": "m"}}
_OBJECT = {"en": {"him": "m"}, "de": {"ihm": "m", "ihn": "m"}}
_POSSESSIVE = {
    "en": {"his": "m"},
    "de": {w: "m" for w in ["sein", "seine", "seinen", "seinem", "seiner", "seines"]},
}
_ORG_HEADS = {
    "en": {"company", "firm", "carrier", "airline", "retailer", "bank"},
    "de": {"unternehmen", "konzern", "firma", "bank"},
}
# "the country"/"das Land" are left out: their antecedent is often an adjective ("Mexican
# immigration authorities ... the country"), which the entity list cannot see.
_PLACE_HEADS = {
    "en": {"city", "town", "region", "territory"},
    "de": {"stadt", "gemeinde", "region", "ort"},
}
_DEFINITE = {"en": {"the"}, "de": {"der", "die", "das", "dem", "den"}}
_AGE_SUFFIX = ("-year-old", "-Jährige", "-Jährigen", "-Jähriger")
_PLACE_WORDS = {"en": {"there", "here"}, "de": {"dort", "hier"}}
_EXISTENTIAL = {"is", "are", "was", "were", "has", "have", "had", "'s", "’s", "will", "may"}


_DOUBLE_QUOTES = set('"„“”»«')


def _quotes(doc: Doc) -> list[bool]:
    """Whether each token lies inside double quotes (reset at line breaks). Single quotes are
    left out: "‘control’" inside a quotation would otherwise close it."""
    cached = doc.user_data.get("claimtracker_standalone_quotes")
    if cached is None:
        cached, inside = [], False
        for tok in doc:
            if tok.is_space and "\n" in tok.text:
                inside = False
            if tok.text in _DOUBLE_QUOTES:
                inside = not inside
                cached.append(True)
                continue
            cached.append(inside)
        doc.user_data["claimtracker_standalone_quotes"] = cached
    return cached


def _label(name: str, role: str | None, facts: ArticleFacts, lang: str) -> str:
    """ "US-Präsident Donald Trump": the role as the article wrote it, before the name."""
    role = role or facts.roles.get(name)
    if role and role.lower() == role and lang == "de":
        role = facts.roles.get(name)  # a lowercased role is not fit to print in German
    if not role or role.lower() in name.lower():
        return name
    if " " in role.strip():  # "Chefökonom von ETF Securities": after the name, in brackets
        return f"{name} ({role.strip()})"
    return f"{role} {name}"


def _names_before(draft: Draft, pos: int) -> int:
    """Names in the rewritten text before position ``pos`` of the order (prefix included)."""
    count = 1 if draft.prefix else 0  # "Laut Donald Trump", "According to the ministry,"
    run = False
    for i in draft.order[:pos]:
        propn = draft.tok(i).pos_ == "PROPN" or draft.text[i] != draft.tok(i).text
        if propn and not run:
            count += 1
        run = propn
    return count


_ARTICLE_BEFORE = {"the", "a", "an", "der", "die", "das", "dem", "den", "des", "im", "am", "vom",
                   "zum", "beim", "ins", "ein", "eine", "einem", "einen"}  # fmt: skip


def _person_mention(doc: Doc, i: int, full: str) -> bool:
    """Whether the one-word mention at token i names a person whose full name may replace it:
    not a word of a longer name ("Indiana" in "Indiana State Police", "Finals" in "ATP Finals",
    "Bitwise Investments"), not after an article ("the Statehouse", "im Burgenland"), and the
    full name is a person's name ("Elon Musk's SpaceX", "ÖVP Burgenland" are not). The small
    English NER tags many surnames ORG ("Webb confessed"), so its label alone does not decide."""
    if i > 0 and doc[i - 1].lower_ in _ARTICLE_BEFORE:
        return False
    words = full.split()
    if any(c in full for c in "'’") or (words[0].isupper() and len(words[0]) > 1):
        return False
    if not all(w[:1].isupper() or w in _PARTICLES for w in words):
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if (
        nxt is not None
        and nxt.is_alpha
        and nxt.text not in words
        and ((nxt.pos_ == "PROPN" and nxt.text[:1].isupper()) or nxt.ent_iob_ == "I")
    ):
        return False
    prev = doc[i - 1] if i > 0 else None
    return not (prev is not None and prev.text.isupper() and len(prev.text) > 1
                and prev.is_alpha and prev.text not in words)  # fmt: skip


_PARTICLES = {"von", "van", "de", "da", "di", "der", "den", "zu", "bin", "al", "el", "la", "le"}


def _full_names(
    draft: Draft, span: Span, state: DocState, facts: ArticleFacts, quotes: list[bool]
) -> None:
    """ "Kim" -> "Kim Jong Un", "Trumps" -> "Donald Trumps", once, when the full name is not
    already in the text."""
    done: set[str] = set()
    for m in state.people:
        if (
            not (span.start <= m.start < span.end)
            or len(m.tokens) != 1
            or m.start not in draft.text
        ):
            continue
        if quotes[m.start]:
            continue  # a quotation stays as it was said
        full = full_name(facts, state, m)
        if full == m.name or full in done or full in draft.prefix or full in span.text:
            continue
        if full not in facts.persons or m.name not in (full.split()[0], full.split()[-1]):
            continue
        if facts.not_people and facts.not_people[m.start]:
            continue  # "Burgenland" inside a place or party name, not "ÖVP Burgenland" the person
        if not _person_mention(span.doc, m.start, full):
            continue
        tok = draft.tok(m.start)
        draft.text[m.start] = full + tok.text[len(m.name) :]
        done.add(full)


def _resolve(draft: Draft, span: Span, lang: str, state: DocState, facts: ArticleFacts,
             speaker: str | None, quotes: list[bool]) -> None:  # fmt: skip
    order = draft.body()
    used: set[str] = set()
    for pos, i in enumerate(order):
        tok = draft.tok(i)
        low = tok.lower_
        if quotes[i] or draft.text[i] != tok.text:
            continue
        nxt = draft.tok(order[pos + 1]) if pos + 1 < len(order) else None
        gender = _SUBJECT[lang].get(low) or _OBJECT[lang].get(low) or _POSSESSIVE[lang].get(low)
        if gender and tok.pos_ not in ("VERB", "AUX"):  # "gewesen sein" is no possessive
            need = 2 if low in _OBJECT[lang] else 1
            if _names_before(draft, pos) >= need:
                continue
            # speech reported with ", so X" at the end: "er" is most likely X, if X is a person
            who = speaker if speaker and draft.suffix and speaker in facts.persons else None
            salient = previous_subject(state, facts, span.doc, i, gender)
            if salient and (salient in used or salient.split()[-1] in span.text):
                salient = None  # "she [Sowers] related to him": not the clause's own subject
            who = who or salient
            who = who or last_person(state, facts, span.start, gender, exclude=set())
            if who:
                form = genitive(who, lang) if low in _POSSESSIVE[lang] else who
                draft.text[i] = form
                used.add(who)
            continue
        if lang == "en" and low in ("it", "its") and _names_before(draft, pos) == 0:
            org = recent_org(facts, i)
            verbish = nxt is not None and nxt.pos_ in ("VERB", "AUX")
            if org and (low == "its" or verbish) and not _expletive(nxt):
                draft.text[i] = genitive(org, lang) if low == "its" else org
            continue
        if low in _PLACE_WORDS[lang]:
            if lang == "en" and low == "there" and nxt is not None and nxt.lower_ in _EXISTENTIAL:
                continue
            place = facts.dateline if low in ("hier", "here") else last_place(facts, span)
            place = place if low in ("hier", "here") or place != facts.dateline else None
            if place:
                draft.text[i] = ("In " if tok.text[:1].isupper() else "in ") + place
            continue
        if low in _DEFINITE[lang] and nxt is not None and pos + 1 < len(order):
            _definite(draft, order, pos, lang, state, facts, span)


def _expletive(nxt) -> bool:
    return nxt is not None and nxt.lower_ in ("is", "'s", "’s", "was", "seems", "takes")


def _definite(draft: Draft, order: list[int], pos: int, lang: str, state: DocState,
              facts: ArticleFacts, span: Span) -> None:  # fmt: skip
    """ "the company" -> its name, "die Stadt" -> the place, "der Minister" / "die 32-Jährige" ->
    the person; only when no name or genitive follows ("der Minister Heiko Maas")."""
    det, head = draft.tok(order[pos]), draft.tok(order[pos + 1])
    after = draft.tok(order[pos + 2]) if pos + 2 < len(order) else None
    if after is not None and (
        after.pos_ == "PROPN" or after.lower_ in {"of", "des", "der", "von", "who", "which"}
    ):
        return
    hlow = head.lower_
    name = None
    if lang == "en" and head.like_num and pos + 5 < len(order):
        # "the 51-year-old": five tokens ("51", "-", "year", "-", "old")
        words = [draft.tok(order[pos + k]).lower_ for k in range(1, 6)]
        after = draft.tok(order[pos + 6]) if pos + 6 < len(order) else None
        if words[1:] == ["-", "year", "-", "old"] and not (after and after.pos_ == "PROPN"):
            name = person_with_age(state, facts, span.doc, det.i, words[0], None)
            if name:
                draft.text[order[pos + 1]] = name
                draft.delete([order[pos + k] for k in (0, 2, 3, 4, 5)])
        return
    if hlow in _ORG_HEADS[lang]:
        # an organisation named earlier in the same sentence comes first ("... WeWork ... the
        # company"), else the one the article introduced with that noun or names most
        in_sentence = [n for i, n in facts.orgs if span.start <= i < det.i]
        title = span.doc._.article_title
        name = in_sentence[-1] if in_sentence else named_org(facts, det.i, hlow, title)
    elif hlow in _PLACE_HEADS[lang]:
        name = last_place(facts, span)
    elif head.text.endswith(_AGE_SUFFIX):
        gender = {"die": "f", "der": "m"}.get(det.lower_) if lang == "de" else None
        if lang == "de" and det.lower_ in ("dem", "den"):
            gender = "m"
        age = age_of(head.text)
        name = person_with_age(state, facts, span.doc, det.i, age, gender) if age else None
    else:
        from claims.nlp.lexicon import ROLE_SUFFIX

        if ROLE_SUFFIX.search(head.text) and head.pos_ == "NOUN":
            person = person_for_role(head.text, state, span.start)
            if person:
                role = facts.roles.get(person)
                name = f"{role} {person}" if role else person
    if name:
        draft.text[order[pos]] = ""
        draft.text[order[pos + 1]] = name
        draft.delete([order[pos]])


def _strip_dateline(draft: Draft, facts: ArticleFacts) -> None:
    """ "VIENNA — The house ...", "(Reuters) — ...", "Wien – Der Nationalrat ...": the dateline
    leaves the statement; its place is added at the end when the statement does not name it."""
    body = draft.body()
    for k, i in enumerate(body[:8]):
        text = draft.tok(i).text
        if text in ("—", "–") or (
            text == ":" and k <= 3 and all(draft.tok(j).text.isupper() for j in body[:k])
        ):
            head = [draft.tok(j) for j in body[:k]]
            if not head or not all(t.text[:1].isupper() or t.is_punct for t in head):
                return
            rest = " ".join(draft.text[j] for j in body[k + 1 :])
            draft.delete(body[: k + 1])
            place = facts.dateline
            if (
                place
                and place.lower() not in rest.lower()
                and any(not t.is_punct and t.text.lower() in place.lower() for t in head)
            ):
                draft.suffix += f" ({place})"
            return


def standalone_text(
    span: Span,
    *,
    lang: str,
    reported: bool,
    claimant: str | None,
    claimant_role: str | None,
    state: DocState,
    published: date | None,
    title: str | None = None,
) -> str:
    """The claim in ``span`` as a statement checkable without the article (see module doc).

    ``claimant``/``claimant_role`` come from the attribution rules (None: the article's own
    voice; "unattributed": an anonymous source, which is not named); ``state`` is their reading
    state up to this sentence; ``published`` anchors relative times (None leaves them)."""
    doc = span.doc
    facts = article_facts(doc, state)
    quotes = _quotes(doc)
    draft = Draft(span)
    if not draft.order:
        return ""
    speaker = claimant if reported and claimant not in (None, "unattributed") else None
    _strip_dateline(draft, facts)
    if speaker:
        label = _label(speaker, claimant_role, facts, lang)
        words = {w for w in f"{speaker} {claimant_role or ''}".split() if len(w) > 2}
        orgs = {name for _, name in facts.orgs}
        person = speaker in facts.persons or (speaker in facts.names and speaker not in orgs)
        words_cap = speaker.split()
        # German capitalises every noun ("Verletzte Zeugen"): there only a named entity counts
        proper = (
            lang == "en" and len(words_cap) >= 2 and all(w[:1].isupper() for w in words_cap)
        ) or any(e.text == speaker and e.label_ in ("PER", "PERSON", "ORG") for e in state.ents)
        known = person or speaker in orgs or proper  # not "Daten", "Bericht"
        if attach_speaker(draft, quotes, lang, label, words, person=person, known=known):
            to_indicative(draft, quotes)
    _full_names(draft, span, state, facts, quotes)
    _resolve(draft, span, lang, state, facts, speaker, quotes)
    text = anchor_time(draft.render(), lang, published)
    k = 1 if text[:1] in _DOUBLE_QUOTES else 0  # '„im Jahr 2022 ist ...' -> '„Im Jahr ...'
    return text[: k + 1].upper() + text[k + 1 :]
