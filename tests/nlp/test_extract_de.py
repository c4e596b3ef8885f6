"""The whole German claim pipeline (shipped model, rules, check-worthiness) on the seed."""

import itertools
import json
from dataclasses import replace

import pytest

from claims.nlp import analyse_sentences, detect_language, extract_claims, extract_claims_batch
from claims.nlp.claim_types import CLAIM_TYPES
from tests.nlp.conftest import find

KEY = "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr"


def test_one_claim_per_sentence_with_offsets_and_neighbours(seed_text, seed_claims):
    assert len(seed_claims) > 30
    assert [c.index for c in seed_claims] == list(range(len(seed_claims)))
    for prev, claim in itertools.pairwise(seed_claims):
        assert seed_text[claim.start : claim.end] == claim.text
        assert claim.start >= prev.end
        assert claim.context_before == prev.text
        assert prev.context_after == claim.text
    assert seed_claims[0].context_before == ""
    assert seed_claims[-1].context_after == ""
    for claim in seed_claims:
        assert claim.language == "de"
        assert 0.0 <= claim.score <= 1.0
        assert isinstance(claim.checkworthy, bool)
        assert claim.claim_type in CLAIM_TYPES
        assert claim.text == claim.text.strip()


def test_acceptance_key_sentence_claimant_type_and_number(seed_claims):
    claim = find(seed_claims, KEY)
    assert claim.claimant == "Donald Trump"  # "..., sagte er." -> the last speaker
    assert claim.claim_type == "quantity"
    assert claim.reported
    (duration,) = claim.numbers
    assert (duration.text, duration.kind, duration.normalized) == (
        "seit mehr als einem Jahr",
        "duration",
        "P1Y",
    )


def test_acceptance_key_sentence_ranks_in_the_top_five(seed_claims):
    ranked = sorted(seed_claims, key=lambda c: c.score, reverse=True)
    assert KEY in " ".join(c.text for c in ranked[:5])


def test_acceptance_pompeo_sanctions_sentence(seed_claims):
    claim = find(seed_claims, "waren die US-Sanktionen gegen Nordkorea der Hauptgrund")
    assert claim.claimant == "Mike Pompeo"  # "Dem US-Außenminister Mike Pompeo zufolge"
    assert claim.reported
    assert claim.claim_type == "causation"


def test_acceptance_kim_future_is_a_prediction(seed_claims):
    claim = find(seed_claims, "Kim könnte eines der erfolgreichsten Länder der Welt")
    assert claim.claim_type == "prediction"
    assert claim.claimant == "Donald Trump"


@pytest.mark.parametrize(
    ("fragment", "claimant"),
    [
        ("Die USA waren laut Trumps Aussagen", "Donald Trump"),  # laut + genitive
        ("Dies könne dem Minister zufolge", "Mike Pompeo"),  # role -> person with that role
        ("sagte der US-Präsident", "Donald Trump"),
        ("sagte der nordkoreanische Machthaber", "Kim Jong Un"),
        ("Diese Idee sei", "Kim Jong Un"),  # "sagte Kim" -> fullest earlier name
        ('"Wir haben eine sehr intensive', "Donald Trump"),  # "sagte er" after "Trump betonte"
        ("Kim wollte schon zu einem Abschluss", "Mike Pompeo"),  # name inside the quote ignored
        ("Außenminister Heiko Maas (SPD) bedauerte", "Heiko Maas"),
        ("Nach Angaben der US-Delegation", "US-Delegation"),
        ("Die Führung in Pjöngjang fordert", "Führung in Pjöngjang"),  # a subject phrase
        # indirect speech without its own attribution continues the last speaker
        ("Die Gespräche über den Abbau von Atomwaffen", "Donald Trump"),
        ("Kim habe ihm außerdem versprochen", "Donald Trump"),
    ],
)
def test_claimant_resolution(seed_claims, fragment, claimant):
    claim = find(seed_claims, fragment)
    assert claim.claimant == claimant
    assert claim.reported


def test_text_speaking_for_itself_has_no_claimant(seed_claims):
    claim = find(seed_claims, "Das Gipfeltreffen zwischen US-Präsident Donald Trump")
    assert claim.claimant is None
    assert not claim.reported
    claim = find(seed_claims, "Ein Verbindungsbüro hat nicht den Rang einer Botschaft")
    assert (claim.claimant, claim.reported) == (None, False)


def test_headings_are_not_claims(seed_claims):
    for heading in ("Diplomatische Beziehungen angestrebt", "Bundesregierung fordert weitere"):
        claim = find(seed_claims, heading)
        assert claim.claim_type == "not_claim"
        assert claim.claimant is None


def test_first_person_quote_is_personal(seed_claims):
    claim = find(seed_claims, "Wir haben uns entschieden, erst mal nichts zu unterschreiben")
    assert claim.claim_type == "personal"
    assert claim.claimant == "Donald Trump"


def test_entities_are_typed_and_located(seed_text, seed_claims):
    claim = find(seed_claims, "Das Gipfeltreffen zwischen US-Präsident Donald Trump")
    by_text = {e.text: e for e in claim.entities}
    assert by_text["Donald Trump"].label == "PERSON"
    assert by_text["Hanoi"].label == "LOC"
    for e in claim.entities:
        assert seed_text[e.start : e.end] == e.text
        assert claim.start <= e.start < e.end <= claim.end
    # a bare surname is a person once the full name is known
    claim = find(seed_claims, "Diese Idee sei")
    assert [(e.text, e.label) for e in claim.entities] == [("Kim", "PERSON")]


def test_to_dict_is_json_ready(seed_claims):
    row = json.loads(json.dumps(find(seed_claims, KEY).to_dict()))
    assert {
        "text",
        "score",
        "checkworthy",
        "type",
        "reported",
        "claimant",
        "entities",
        "numbers",
    } <= set(row)
    assert row["numbers"][0]["normalized"] == "P1Y"
    assert row["type"] == "quantity"


def test_language_is_detected_when_not_given(seed_text):
    assert detect_language(seed_text) == "de"
    assert detect_language("The unemployment rate fell to 3.5 percent last year.") == "en"
    assert detect_language("") == "en"
    claims = extract_claims("Die Arbeitslosenquote stieg 2023 auf 5,7 Prozent, sagte Heil.")
    assert claims[0].language == "de"


def test_batch_matches_single_calls(seed_text):
    texts = [seed_text[:600], "Die Quote stieg auf 5,7 Prozent. Das sagte die Ministerin."]
    batch = extract_claims_batch(texts, lang="de")
    single = [extract_claims(t, lang="de") for t in texts]
    # scores may differ in the last float digits with the batch composition
    assert [c.score for cs in batch for c in cs] == pytest.approx(
        [c.score for cs in single for c in cs], abs=1e-5
    )
    assert [[replace(c, score=0.0) for c in cs] for cs in batch] == [
        [replace(c, score=0.0) for c in cs] for cs in single
    ]


def test_units_are_analysed_alone_one_output_each():
    lines = [
        "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump.",
        "Wie geht es dir?",
        "Die Arbeitslosenquote stieg 2023 auf 5,7 Prozent",  # no final period: still one unit
        "",
        "Erster Satz. Zweiter Satz mit 3 Zahlen.",  # two sentences: still one unit
    ]
    claims = analyse_sentences(lines, "de")
    assert [c.index for c in claims] == [0, 1, 2, 3, 4]
    assert [c.text for c in claims] == [line.strip() for line in lines]
    assert claims[0].claimant == "Trump" and claims[0].reported
    assert claims[0].claim_type == "quantity"
    assert claims[1].claim_type == "not_claim"
    assert claims[2].claim_type == "quantity"
    assert claims[3].claim_type == "not_claim"
    assert [n.normalized for n in claims[2].numbers] == ["2023", "5.7%"]


def test_empty_input_gives_no_claims_and_blank_lines_are_skipped():
    assert extract_claims("", lang="de") == []
    assert extract_claims("  \n\n ", lang="de") == []
    assert extract_claims_batch([]) == []
    claims = extract_claims("Hallo\n\nDas ist ein Test mit 5 Zahlen.\n", lang="de")
    assert [(c.text, c.claim_type) for c in claims] == [
        ("Hallo", "not_claim"),
        ("Das ist ein Test mit 5 Zahlen.", "quantity"),
    ]
