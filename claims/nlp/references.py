"""Find what a claim's text leaves unresolved: words that point into the article.

A standalone claim must be checkable without the article. This detector lists the words of a text
that a reader cannot resolve from the text alone:

- third-person pronouns with no possible antecedent earlier in the same text ("it emitted",
  "Die 32-Jährige ... sie"; "Kim habe ihm": an object pronoun needs an antecedent other than the
  clause's own subject, so it needs two candidates), first-person pronouns outside quotes when
  nobody is named as the speaker, demonstratives ("this", "diese Idee", "Dies könne");
- pronominal adverbs and place or time deixis: "dadurch", "damit", "deshalb", "dort", "there",
  "here", "damals";
- definite noun phrases whose head only makes sense in the article ("the company", "the report",
  "der Minister", "die 32-Jährige", "the 51-year-old") unless a name or a genitive follows;
- relative times ("yesterday", "last year", "am Dienstag", "vor zwei Wochen") unless the text
  carries an absolute year somewhere (then the reader has the anchor).

Deliberately strict: it reads only the text, never the article, so a pronoun that happens to be
right is still reported when nothing in the text could be its antecedent.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token

from claims.nlp.lexicon import ROLE_SUFFIX


def _words(text: str) -> list[str]:
    return text.split()


_PERSON = {
    "en": {"he", "him", "his", "himself", "she", "her", "hers", "herself"},
    "de": {"er", "ihn", "ihm", "sein", "seine", "seinen", "seinem", "seiner", "seines"},
}
_OBJECT = {"him", "ihm", "ihn", "them", "ihnen"}
_THING = {
    "en": {"it", "its", "itself", "they", "them", "their", "theirs", "themselves"},
    # "sie"/"ihr*" are she, they and her/their: resolved by any noun before them
    "de": {"sie", "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres", "ihnen", "es"},
}
_FIRST = {
    "en": {"i", "me", "my", "mine", "we", "us", "our", "ours"},
    "de": {"ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner", "wir", "uns"},
}
_SPEECH_CUE = re.compile(
    r"\b(according to|said|says|told|laut|sagte|sagt|zufolge|so)\b", re.IGNORECASE
)
_DEMONSTRATIVE = {
    "en": {"this", "these", "those"},
    "de": {"dies", "diese", "dieser", "dieses", "diesem", "diesen"},
}
_PROADVERBS = {
    "en": {"here"},
    "de": set(
        _words(
            "dadurch damit dafür dagegen daran darauf daraus darin darüber davon davor dazu "
            "dabei danach daher deshalb deswegen dort dorthin dortige dortigen hier hierzu "
            "hierbei hierfür damals seinerzeit letztere letzterer letzteres erstere ersterer "
            "ersteres"
        )
    ),
}
_EN_PHRASES = re.compile(
    r"\b(at the time|the former|the latter|that day|the (same|next|previous|following) "
    r"(day|week|month|year))\b",
    re.IGNORECASE,
)
# "in 2018 ..., up 4 percent from the previous year": a year in the text anchors these
_EN_ANCHORED = re.compile(r"the (same|next|previous|following) year", re.IGNORECASE)
# Idioms that are no reference: "Darüber hinaus" (moreover)
_IDIOMS = {("darüber", "hinaus")}
# "Those in favor of ...", "those who ...", "those suffering from ...": generic, not anaphoric
_GENERIC_THOSE = {"who", "whose", "that", "in", "with", "without", "from", "of", "on", "at", "for"}
_ANAPHORIC_HEADS = {
    "en": set(
        _words(
            "company firm group report study survey minister president official officials man "
            "woman boy girl couple victim suspect city town country state agency team club "
            "player deal plan bill project department ministry organisation organization "
            "party spokesman spokeswoman spokesperson chairman family singer actor actress "
            "star village region province airline carrier territory bank league court "
            "hospital school university officers"
        )
    ),
    "de": set(
        _words(
            "unternehmen konzern firma studie bericht umfrage minister ministerin präsident "
            "präsidentin kanzlerin behörde mann frau junge mädchen opfer täter verdächtige "
            "verdächtigen stadt gemeinde land bundesland verein club mannschaft team spieler "
            "spielerin partei politiker politikerin sprecher sprecherin chef chefin sänger "
            "sängerin schauspieler schauspielerin gruppe organisation projekt ort dorf region "
            "ministerium"
        )
    ),
}
_DEFINITE = {"en": {"the"}, "de": {"der", "die", "das", "dem", "den", "des"}}
_AGE = re.compile(r"^\d+-(year-old|jährige[nrm]?)$", re.IGNORECASE)
_TIME_UNITS = (
    "week|month|year|weekend|season|spring|summer|fall|autumn|winter|night|morning|evening|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_DE_TIME_UNITS = (
    "woche|monat|monats|jahr|jahres|wochenende|saison|frühjahr|sommer|herbst|winter|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
_WEEKDAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DE_WEEKDAYS = r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
_RELATIVE_TIME = {
    "en": re.compile(
        rf"\b(yesterday|today|tomorrow|tonight|"
        rf"(last|this|next|past|coming) ({_TIME_UNITS})\b|"
        rf"(on |this |last |next )?{_WEEKDAYS}(?!,? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
        rf"dec)\w*\.? \d)|"
        rf"\w+ (days?|weeks?|months?|years?) ago|earlier this \w+|so far|to date|currently|"
        rf"recently)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        rf"\b(gestern|heute|vorgestern|übermorgen|bislang|bisher|derzeit|zurzeit|unlängst|"
        rf"kürzlich|jüngst|"
        rf"(letzte[nrs]?|vergangene[nrs]?|kommende[nrs]?|nächste[nrs]?|diese[nrsm]?) "
        rf"({_DE_TIME_UNITS})\b|"
        rf"(am |vom |seit |bis )?{_DE_WEEKDAYS}(?!,? (den )?\d)|"
        rf"vor (\w+ ){{1,3}}(tagen|wochen|monaten|jahren|jahrzehnten)|"
        rf"seit (\w+ ){{1,3}}(tagen|wochen|monaten|jahren|jahr)\b)",
        re.IGNORECASE,
    ),
}
# What makes "the man"/"der Bericht" specific: "the man who ...", "the suspect in ...", "the
# report of ...", "der Bericht der WHO", "der Bericht von Reuters".
_RESTRICTORS = {"of", "'s", "’s", "who", "whose", "which", "in", "des", "der", "von"}
# "Last year, it emitted ...": a time noun is not what "it" stands for.
_TIME_NOUN = re.compile(
    r"(day|days|week|weeks|month|months|year|years|tag|tage|woche|wochen|monat|monate|jahr|"
    r"jahre|jahren|morning|evening|night|abend|morgen)"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_QUOTES = set('»«„“”"‚‘’›‹')
_EXPLETIVE_NEXT = {
    "en": {"is", "was", "'s", "’s", "has", "seems", "seemed", "appears", "remains", "will"},
    "de": {
        "gibt",
        "gab",
        "geht",
        "ging",
        "gegeben",
        "kommt",
        "kam",
        "gekommen",
        "ginge",
        "gehe",
        "gäbe",
        "gebe",
    },
}
_COMPLEMENT = {"that", "to", "whether", "how", "dass", "zu", "ob", "wie"}


def _quote_flags(doc: Doc) -> list[bool]:
    flags, inside = [], False
    for tok in doc:
        if tok.text in _QUOTES and not (tok.text in "’‘" and tok.i > 0 and tok.is_alpha):
            inside = not inside
            flags.append(True)
        else:
            flags.append(inside)
    return flags


def _is_expletive(doc: Doc, tok: Token, lang: str) -> bool:
    """ "it is expected that", "es gibt", "es sei zu keiner Einigung gekommen", "Trump wisse es
    zu schätzen, dass": a placeholder "it"/"es", not a reference."""
    low = tok.lower_
    if low not in ("it", "es"):
        return False
    window = [t.lower_ for t in doc[tok.i + 1 : tok.i + (30 if lang == "de" else 10)]]
    if lang == "de" and any(w in _EXPLETIVE_NEXT["de"] for w in window):
        return True
    if (window and window[0] in _EXPLETIVE_NEXT.get(lang, ())) or lang == "de":
        return any(w in _COMPLEMENT for w in window)
    return False


def _candidates_before(doc: Doc, i: int, person: bool) -> int:
    """How many possible antecedents precede token i: names (a run of proper nouns is one name)
    for people; for things, nouns as well."""
    seen, run = set(), []
    for t in doc[:i]:
        if t.pos_ == "PROPN":
            run.append(t.lower_)
            continue
        if run:
            seen.add(" ".join(run))
            run = []
        if not person and t.pos_ == "NOUN" and not _TIME_NOUN.fullmatch(t.lower_):
            seen.add(t.lower_)
    if run:
        seen.add(" ".join(run))
    return len(seen)


def _cataphoric(tokens: list[Token], k: int) -> bool:
    """ "Anspruch darauf, ... zu erhalten", "dafür, dass": points forward into the text."""
    rest = tokens[k + 1 :]
    if len(rest) < 2 or rest[0].text != ",":
        return False
    if rest[1].lower_ in _COMPLEMENT | {"wenn", "was"}:
        return True
    for a, b in itertools.pairwise(rest[1:]):  # ", Medikamente ... zu bekommen"
        if a.text == ",":
            break
        if a.lower_ == "zu" and b.pos_ in ("VERB", "AUX"):
            return True
    return False


def _inner_antecedent(tokens: list[Token], k: int) -> bool:
    """ "..., womit der Bedarf dort gesättigt sei", "und hat dabei 123 Gesetze beschlossen":
    after a clause boundary with a noun before it, the word can point back inside the text."""
    for j in range(k - 1, 0, -1):
        if tokens[j].text in {",", ";", "–", "—", "-"} or tokens[j].lower_ in {"und", "and"}:
            return any(t.pos_ in ("NOUN", "PROPN") for t in tokens[:j])
    return False


BATCH_SIZE = 64


def reference_docs(texts: Sequence[str], lang: str) -> Iterator[Doc]:
    """``texts`` parsed as the detector reads them: the language's claim pipeline without the
    claim rules and without NER (the detector reads words and POS tags only, never entities)."""
    from claims.nlp.pipelines import RULES, claim_pipeline

    nlp = claim_pipeline(lang)
    disable = [name for name in (RULES, "ner") if name in nlp.pipe_names]
    return nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE)


def unresolved_references_batch(texts: Sequence[str], lang: str) -> list[list[str]]:
    """:func:`unresolved_references` of many texts with one batched parse: what the extraction
    stores per claim (``ExtractedClaim.standalone_unresolved``) and what evaluation counts."""
    docs = reference_docs(texts, lang)
    return [unresolved_references(t, lang, d) for t, d in zip(texts, docs, strict=True)]


def unresolved_references(text: str, lang: str, doc: Doc | None = None) -> list[str]:
    """The words of ``text`` that refer to something only the article says (see module doc).
    ``doc`` is ``text`` as :func:`reference_docs` parses it, if the caller has it; otherwise it
    is parsed here."""
    if doc is None:
        doc = next(reference_docs([text], lang))
    quotes = _quote_flags(doc)
    found: list[str] = []
    spoken = bool(_SPEECH_CUE.search(text))
    tokens = list(doc)
    for k, tok in enumerate(tokens):
        low = tok.lower_
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if low in _PERSON[lang] or low in _THING[lang]:
            if tok.pos_ in ("VERB", "AUX") or _is_expletive(doc, tok, lang):  # "gewesen sein"
                continue
            person = low in _PERSON[lang]
            need = 2 if low in _OBJECT else 1
            if _candidates_before(doc, k, person) < need:
                found.append(tok.text)
            continue
        if low in _FIRST[lang]:
            if tok.text.isupper() and len(tok.text) > 1:
                continue  # "US"
            if k > 0 and tok.text[:1].isupper() and low != "i":
                continue  # "The We Company": a name, not the pronoun
            if not quotes[k] and not spoken:
                found.append(tok.text)
            continue
        if (
            low in ("those", "diejenigen")
            and nxt is not None
            and (nxt.lower_ in _GENERIC_THOSE or nxt.tag_ in ("VBG", "VBN") or nxt.lower_ == "die")
        ):
            continue
        if low in _DEMONSTRATIVE[lang]:
            # "this year"/"diese Woche" are relative times, judged below with the year rule
            if nxt is not None and re.fullmatch(_TIME_UNITS + "|" + _DE_TIME_UNITS, nxt.lower_):
                continue
            pronoun = nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")
            if pronoun and (_cataphoric(tokens, k) or _inner_antecedent(tokens, k)):
                continue
            found.append(tok.text if pronoun else f"{tok.text} {nxt.text}")
            continue
        if tok.text == "morgen" and lang == "de":  # the adverb; "Morgen" is the morning
            if not _YEAR.search(text):
                found.append(tok.text)
            continue
        if low in _PROADVERBS[lang]:
            if nxt is not None and (low, nxt.lower_) in _IDIOMS:
                continue
            if low == "damit" and k > 0 and tokens[k - 1].text == ",":
                continue  # ", damit": the conjunction "so that"
            if _cataphoric(tokens, k) or _inner_antecedent(tokens, k):
                continue
            found.append(tok.text)
            continue
        if lang == "en" and low == "there" and nxt is not None:
            if nxt.lower_ not in {
                "is",
                "are",
                "was",
                "were",
                "has",
                "have",
                "had",
                "'s",
                "’s",
            } and (nxt.lower_ not in {"will", "would", "could", "may", "might", "seems", "appear"}):
                found.append(tok.text)
            continue
        if low in _DEFINITE[lang] and nxt is not None:
            head = nxt.lower_
            aged = _AGE.match(head) and (lang == "en" or "Jährig" in nxt.text)
            width = 1
            if lang == "en" and nxt.like_num:  # spaCy splits "51-year-old" into five tokens
                width = 5
                aged = [t.lower_ for t in tokens[k + 2 : k + 6]] == ["-", "year", "-", "old"]
            role = lang == "de" and nxt.pos_ == "NOUN" and ROLE_SUFFIX.search(nxt.text)
            if head in _ANAPHORIC_HEADS[lang] or aged or role:
                after = tokens[k + 1 + width] if k + 1 + width < len(tokens) else None
                named = after is not None and (
                    after.pos_ == "PROPN"
                    or after.lower_ in _RESTRICTORS
                    or (lang == "en" and after.text[:1].isupper())
                )
                if not named and _candidates_before(doc, k, True) == 0:
                    found.append(doc[k : k + 1 + width].text)
    found.extend(
        m.group(0)
        for m in _EN_PHRASES.finditer(text)
        if lang == "en" and not (_YEAR.search(text) and _EN_ANCHORED.fullmatch(m.group(0)))
    )
    if not _YEAR.search(text):
        found.extend(m.group(0) for m in _RELATIVE_TIME[lang].finditer(text))
    return found
