"""Rule components on spacy.blank pipelines (no trained model needed)."""

import spacy
from spacy.tokens import Span

import claims.nlp.components  # noqa: F401  (registers the factories)
from claims.nlp.attribution import (
    DocState,
    Mention,
    has_konjunktiv1,
    in_quote_flags,
    resolve_name,
)
from claims.nlp.components import analyse_doc


def blank(lang: str):
    nlp = spacy.blank(lang)
    nlp.add_pipe("claimtracker_sentences")
    return nlp


def test_sentences_keep_quotes_and_break_at_lines():
    nlp = blank("de")
    text = (
        "Überschrift ohne Punkt\n\n"
        '"Manchmal führt nicht immer alles zum Abschluss." Die Gespräche seien produktiv gewesen. '
        "Am 12. März 2019 kam er, z. B. mit Dr. Müller."
    )
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents == [
        "Überschrift ohne Punkt",
        '"Manchmal führt nicht immer alles zum Abschluss."',
        "Die Gespräche seien produktiv gewesen.",
        "Am 12. März 2019 kam er, z. B. mit Dr. Müller.",
    ]


def test_rule_sentences_carry_offsets_into_the_text():
    nlp = blank("en")
    text = "  First claim here. Second one follows!\nA heading"
    analyses = analyse_doc(nlp(text), "en")
    assert [text[a.start : a.end] for a in analyses] == [
        "First claim here.",
        "Second one follows!",
        "A heading",
    ]
    assert analyses[2].claim_type == "not_claim"  # a line of its own without punctuation


def test_quote_flags_toggle_for_german_and_english_quotes():
    nlp = spacy.blank("de")
    doc = nlp("»Wir gehen«, sagte er. „Ja“, so sie.")
    flags = in_quote_flags(doc)
    inside = [t.text for t, f in zip(doc, flags, strict=True) if f and t.is_alpha]
    assert inside == ["Wir", "gehen", "Ja"]


def test_konjunktiv_one_marks_reported_speech_but_not_first_person():
    nlp = blank("de")
    for text, expected in [
        ("Nordkorea habe keine Raketen mehr getestet.", True),
        ("Die Gespräche seien sehr produktiv gewesen.", True),
        ("Ich habe keine Raketen getestet.", False),
        ("Die Gespräche waren sehr produktiv.", False),
        ("Das wäre ein großer Erfolg.", False),  # Konjunktiv II: hypothetical, not reported
    ]:
        doc = nlp(text)
        assert has_konjunktiv1(doc[:], in_quote_flags(doc)) is expected, text


def test_short_names_resolve_to_the_fullest_earlier_name():
    state = DocState(lang="de")
    state.people = [
        Mention("Donald Trump", ("Donald", "Trump"), "us-präsident", 3),
        Mention("Trump", ("Trump",), None, 20),
    ]
    assert resolve_name("Trump", state, before=25) == "Donald Trump"
    assert resolve_name("Trumps", state, before=25) == "Donald Trump"  # genitive "laut Trumps"
    assert resolve_name("Pompeo", state, before=25) == "Pompeo"


def test_sagte_name_with_entities_set_by_hand():
    """Attribution rules only need tokens and entities: a blank pipeline with hand-set PER spans."""
    nlp = blank("de")
    doc = nlp(
        "US-Präsident Donald Trump traf Kim. "
        '"Wir haben uns entschieden", sagte Trump. '
        "Trump wisse es zu schätzen, dass Nordkorea nichts getestet habe, sagte er."
    )
    doc.ents = [Span(doc, 1, 3, label="PER")]
    analyses = analyse_doc(doc, "de")
    assert [a.claimant for a in analyses] == [None, "Donald Trump", "Donald Trump"]
    assert [a.reported for a in analyses] == [False, True, True]
