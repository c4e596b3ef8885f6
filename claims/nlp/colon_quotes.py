"""A quotation introduced by a colon: its speaker is the person the clause before it names.

"Bundesminister Heinz Faßmann ging auf die Wichtigkeit von Spitzenforschung ein: „Mit dem
‚Zentrum am Berg‘ verfügt ...“", "Klemmer unterstrich: „Mittlerweile ...“": the clause before the
colon is the attribution, whatever its verb (no list of speech verbs reaches "ging auf ... ein").
Without this the quote continued the last speaker. Interview labels ("Precht: ...") are read by
:func:`claims.nlp.attribution_cues._label_speaker` before this; a clause naming nobody gives
None and the other rules apply.
"""

from __future__ import annotations

from spacy.tokens import Span

from claims.nlp.people import DocState, resolve_name

_OPENING = frozenset("„“\"»«‚‘›‹'")


def colon_speaker(sent: Span, state: DocState, quotes: list[bool]) -> str | None:
    """The first person named (outside quotes) before a colon that opens a quotation."""
    doc = sent.doc
    colon = next(
        (
            t
            for t in sent
            if t.text == ":"
            and not quotes[t.i]
            and t.i + 1 < sent.end
            and (doc[t.i + 1].text in _OPENING or quotes[t.i + 1])
        ),
        None,
    )
    if colon is None:
        return None
    for m in state.people:
        if sent.start <= m.start < colon.i and not quotes[m.start]:
            k = m.start - 1
            while k > sent.start and doc[k].text[:1].isupper() and doc[k].pos_ != "ADP":
                k -= 1  # over a title: "An Bundesrat Ignazio Cassis"
            if k >= sent.start and doc[k].pos_ == "ADP":
                continue  # "An Bundesrat Cassis wandte sie sich ...:": the addressee
            state.phrase = list(doc[m.start : m.start + len(m.tokens)])
            return resolve_name(m.name, state, before=m.start + 1)
    return None
