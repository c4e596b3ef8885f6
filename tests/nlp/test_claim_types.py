"""Claim types on single sentences with the shipped pipelines (one unit per sentence)."""

import pytest

from claims.nlp import analyse_sentences

CASES = {
    "de": [
        ("Die Arbeitslosenquote stieg 2023 auf 5,7 Prozent.", "quantity"),
        ("Nordkorea hat seit mehr als einem Jahr keine Raketen getestet.", "quantity"),
        ("Die Preise werden im nächsten Jahr weiter steigen.", "prediction"),
        ("Es wird geprüft werden.", "prediction"),
        ("Die Inflation ist höher als im Vorjahr.", "comparison"),
        ("Das ist die größte Brücke der Welt.", "comparison"),
        ("Die Sanktionen waren der Hauptgrund für das Scheitern.", "causation"),
        ("Das neue Gesetz verbietet den Verkauf von Feuerwerk.", "law"),
        ("Ich habe als Kind in Hanoi gelebt.", "personal"),
        ("Wie geht es dir?", "not_claim"),
        ("Vielen Dank für Ihre Aufmerksamkeit.", "not_claim"),
        ("Die Gespräche seien sehr produktiv gewesen.", "other"),
        # surface cues that are not the type (issue #12)
        ("Vor zwei Wochen hatte die Polizei den Mann festgenommen.", "other"),  # time anchor
        ("Die Brücke wird derzeit saniert und soll im Mai fertig sein.", "other"),  # passive
        ("Das Stadion wurde 2019 gebaut.", "other"),  # a past event's date
        ("Auf dem Grund des Sees liegt ein Wrack.", "other"),  # "Grund" is not a cause
        ("Grund dafür sind die hohen Preise.", "causation"),
        ("Er hat in zwei Jahren 300 Wohnungen gebaut.", "quantity"),
    ],
    "en": [
        ("Unemployment fell to 3.5 percent in 2023.", "quantity"),
        ("The deficit will grow next year.", "prediction"),
        ("Crime rose faster in cities than in rural areas.", "comparison"),
        ("Prices went up because oil supply was cut.", "causation"),
        ("The new law bans the sale of fireworks.", "law"),
        ("I grew up in a small town in Pennsylvania.", "personal"),
        ("Is this the end of inflation?", "not_claim"),
        ("Thank you all for coming.", "not_claim"),
        ("The president met the chancellor in Berlin.", "other"),
        ("Senate Bill 10 was signed by the governor.", "other"),  # a number naming a bill
        ("Two weeks ago, police arrested the man.", "other"),
        ("The house will be turned into a police station.", "other"),  # a decision, not a forecast
        ("Trump will meet Kim in Hanoi next week.", "prediction"),
        ("More than 4,000 people are expected to receive notice.", "quantity"),
        ("The agency forecasts that the deficit will reach $1 trillion.", "prediction"),
    ],
}


@pytest.mark.parametrize(
    ("lang", "text", "claim_type"),
    [(lang, text, t) for lang, cases in CASES.items() for text, t in cases],
)
def test_claim_type(lang, text, claim_type):
    (claim,) = analyse_sentences([text], lang)
    assert claim.claim_type == claim_type


@pytest.mark.parametrize(
    ("lang", "text", "reported"),
    [
        ("de", "Nordkorea habe keine Raketen mehr getestet.", True),  # Konjunktiv I
        ("de", "Die Gespräche seien produktiv gewesen.", True),
        ("de", "»Wir haben uns entschieden«, sagte Trump.", True),
        ("de", "Laut Regierung sinkt die Arbeitslosigkeit.", True),
        ("de", "Ich habe keine Raketen getestet.", False),  # first person, indicative
        ("de", "Die Gespräche waren produktiv.", False),
        ("en", "The economy is growing, the minister said.", True),
        ("en", "According to the report, crime fell.", True),
        ("en", "The economy is growing.", False),
    ],
)
def test_reported(lang, text, reported):
    (claim,) = analyse_sentences([text], lang)
    assert claim.reported is reported
