"""The subject of an English attribution verb, found from POS, entities and word order.

The English claim pipeline runs without spaCy's parser (it cost a sixth of the pipeline's time and
the rules used it for one thing: the ``nsubj`` of "said"). These rules do that job for the
patterns news uses: "Officials said", "President Joe Biden has said", "A historian, Henry
Commager, said", '"...," said Sen. Mitch McConnell', "Conway misleads on ..., says". On 27,785
English units (ClaimBuster, CheckThat! 2024, PolitiFact/Snopes claims and titles; 24,785 with an
attribution verb) the claimant differs from the parser-based rules' in 1,312 (4.7 %); of 60 of
those read by hand, 40 were better (mostly the bare name instead of "Milwaukee Tom Barrett"), 4
worse, 16 neither (see docs/model-card-german-pipeline.md).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from claims.nlp.lexicon import AUXILIARIES_EN


def _np_ending_at(doc: Doc, end: int, start: int, quotes: list[bool]) -> list[Token]:
    """The English noun phrase whose last token is ``doc[end - 1]``, scanning back to ``start``:
    determiners, adjectives, nouns, numbers, possessives, hyphens, "of" between nouns."""
    j = end - 1
    while j >= start and not quotes[j]:
        t = doc[j]
        if _in_np_en(t) or (j == start and t.tag_ == "VB" and t.text[:1].isupper()):
            j -= 1  # a first word tagged as an imperative is a name here: "Trump wrongly claims"
        elif (
            t.lower_ == "of" and j > start and doc[j - 1].pos_ in ("NOUN", "PROPN") and j + 1 < end
        ):
            j -= 1  # "the head of the agency", "Secretary of Defense"
        elif (
            t.lower_ == "and"
            and j > start
            and j + 1 < end
            and doc[j - 1].pos_ == "PROPN"
            and doc[j + 1].pos_ == "PROPN"
        ):
            j -= 1  # joint speakers: "The United Nations and European Union stressed"
        else:
            break
    np = list(doc[j + 1 : end])
    while np and (
        np[0].pos_ in ("ADP", "PART", "PUNCT", "CCONJ") or np[0].tag_ in ("WDT", "WP$", "POS")
    ):
        np = np[1:]  # a phrase does not start with "of", "'s", a hyphen or "which"
    if not any(t.pos_ in ("NOUN", "PROPN") or t.ent_type_ or t.tag_ == "VB" for t in np):
        return []
    # "President Joe Biden", "Wisconsin Lt. Gov. Rebecca Kleefisch": the person the NER found
    # at the end of the phrase is the speaker (as its dependency subtree head would be).
    if np[-1].ent_type_ == "PERSON":
        first = np[-1].i
        while first > np[0].i and doc[first].ent_iob_ == "I":
            first -= 1
        if first - 2 >= np[0].i and doc[first - 1].lower_ == "and":
            first -= 2  # "Elizabeth Warren and Alexandria Ocasio-Cortez": both
            while first > np[0].i and doc[first].ent_iob_ == "I":
                first -= 1
        return list(doc[first:end])
    return np


def english_subject(sent: Span, verb: Token, quotes: list[bool]) -> list[Token]:
    """The subject of an English attribution verb, from POS and word order (the claim pipeline
    has no parser): "Officials said", "The Congressional Budget Office predicts", "he told
    reporters", "Biden has said", "A historian, Henry Commager, said", "Conway misleads on
    ..., says". Empty when the verb does not follow its subject ("..., said Trump") or is no
    finite reporting verb ("Trump's alleged ties", "cases were reported"): the caller then looks
    after the verb and around it (:func:`_verb_speaker`)."""
    doc = sent.doc
    # "Tim Clark, meanwhile, told reporters": after "told" comes who was told, not who spoke
    told = verb.lower_ in ("told", "tells", "tell", "telling")
    # "The Afghan Taliban, however, claimed": an adverb set off by commas, the subject before it
    aside = (
        verb.i - 3 >= sent.start and doc[verb.i - 2].pos_ == "ADV" and doc[verb.i - 3].text == ","
    )
    inverted = doc[verb.i - 1].text == "," and not aside
    if verb.i > sent.start and (inverted or quotes[verb.i - 1]) and not told:
        # inverted after a quote or clause: '"...," said Sen. Mitch McConnell', "..., says X"
        end = verb.i + 1
        while end < sent.end and not quotes[end] and _in_np_en(doc[end]):
            end += 1
        after = _np_ending_at(doc, end, verb.i + 1, quotes)
        nxt = doc[end] if end < sent.end else None
        # ... unless it starts what was said: "Rick Perry, in Iowa, says unemployment has ..."
        # ... nor a possessive phrase: 'X, a professor, said the president's temper ...'
        if (
            after
            and (nxt is None or nxt.pos_ in ("PUNCT", "ADP", "ADV", "CCONJ", "SCONJ"))
            and not any(t.tag_ == "POS" for t in after)
        ):
            return after
    j = verb.i - 1
    skipped: list[str] = []
    # auxiliaries, adverbs and negation between subject and verb: "has also said", "did not say"
    while (
        j >= sent.start
        and not quotes[j]
        and (
            doc[j].lower_ in AUXILIARIES_EN
            or doc[j].pos_ in ("AUX", "ADV", "PART")
            or doc[j].lower_ == "since"  # "Mr. Trump has since said"
        )
        and doc[j].tag_ != "POS"
    ):
        skipped.append(doc[j].lower_)
        j -= 1
    participle = verb.tag_ in ("VBN", "VBG") and (not skipped or _PASSIVE_EN & set(skipped))
    if participle and (skipped or verb.tag_ == "VBG" or not _finite_past(doc, verb, sent)):
        return []  # "alleged connections", "new cases were reported": not who said it
    if "to" in skipped:
        return []  # "X uses partial data to say": the subject is further back
    if j < sent.start or quotes[j]:
        return []
    if doc[j].tag_ == "PRP":  # "he said", "they told"
        return [doc[j]]
    if doc[j].text == ",":
        k = j - 1
        while k >= sent.start and doc[k].text != "," and not quotes[k]:
            k -= 1
        if k >= sent.start and doc[k].text == ",":  # apposition: "A historian, X, said"
            head = _np_ending_at(doc, k, sent.start, quotes)
            if all(t.pos_ == "ADV" for t in doc[k + 1 : j]):
                return head  # an adverb set off, no apposition
            return [*head, *doc[k : j + 1]] if head else []
        # coordinated predicates: "Conway misleads on the name, says it is ..."
        n = sent.start
        while n < j and _in_np_en(doc[n]):
            n += 1
        if sent.start < n < j and doc[n].pos_ == "VERB":
            return _np_ending_at(doc, n, sent.start, quotes)
        return []
    if doc[j].tag_ in ("POS", "PRP$") or doc[j].pos_ == "DET":
        return []  # "Trump's alleged ties", "the stated aim"
    return _np_ending_at(doc, j + 1, sent.start, quotes)


def _finite_past(doc: Doc, verb: Token, sent: Span) -> bool:
    """A past tense the tagger read as a participle: "Trump assailed Williams", "Education
    advocacy groups estimated this year that ...". A reduced relative ("the deal announced in
    October", "figures reported by") goes on with a preposition or an adverb instead."""
    if verb.i + 1 >= sent.end:
        return False
    nxt = doc[verb.i + 1]
    return nxt.lower_ == "that" or (nxt.pos_ in ("PROPN", "DET", "PRON") and nxt.lower_ != "by")


_NP_POS_EN = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})


def _in_np_en(tok: Token) -> bool:
    # Inside a named entity counts too: "Americans for Prosperity", and names the tagger took for
    # verbs ("Trump wrongly claims").
    return (
        tok.pos_ in _NP_POS_EN
        or tok.tag_ in ("POS", "PRP$", "HYPH")
        or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE", "FAC")
    )


_PASSIVE_EN = frozenset({"be", "been", "being", "is", "are", "was", "were", "'s", "'re"})
