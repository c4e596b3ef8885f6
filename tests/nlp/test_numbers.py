"""Number, date and duration rules (pure Python, no model)."""

import pytest

from claims.nlp.numbers import find_numbers


def one(text: str, lang: str):
    found = find_numbers(text, lang)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


@pytest.mark.parametrize(
    ("text", "lang", "kind", "value", "unit", "normalized"),
    [
        ("seit mehr als einem Jahr keine Tests", "de", "duration", 1.0, "year", "P1Y"),
        ("for more than two years now", "en", "duration", 2.0, "year", "P2Y"),
        ("in den letzten drei Monaten", "de", "duration", 3.0, "month", "P3M"),
        ("Die Quote lag bei 5,7 Prozent.", "de", "percent", 5.7, "%", "5.7%"),
        ("It fell to 45% last month.", "en", "percent", 45.0, "%", "45%"),
        ("Der Etat beträgt 1,5 Milliarden Euro.", "de", "money", 1.5e9, "EUR", "1500000000 EUR"),
        ("a $1.9 trillion deficit", "en", "money", 1.9e12, "USD", "1900000000000 USD"),
        ("Kosten von 3 Mio. €", "de", "money", 3e6, "EUR", "3000000 EUR"),
        ("rund 10.000 Menschen", "de", "number", 10000.0, "people", "10000 people"),
        ("more than 12 million jobs", "en", "number", 12e6, "jobs", "12000000 jobs"),
        ("am 28. Februar 2019 in Hanoi", "de", "date", 2019.0, None, "2019-02-28"),
        ("on February 28, 2019 in Hanoi", "en", "date", 2019.0, None, "2019-02-28"),
        ("Stand 03.04.2020 abends", "de", "date", 2020.0, None, "2020-04-03"),
        ("im März 2019 begann", "de", "date", 2019.0, None, "2019-03"),
        ("in den 1990er Jahren", "de", "date", 1990.0, None, "199X"),
    ],
)
def test_number_kinds_and_normalised_values(text, lang, kind, value, unit, normalized):
    m = one(text, lang)
    assert (m.kind, m.value, m.unit, m.normalized) == (kind, value, unit, normalized)


def test_german_and_english_decimal_conventions_differ():
    assert find_numbers("1.500 Soldaten", "de")[0].value == 1500.0
    assert find_numbers("1.500 soldiers", "en")[0].value == 1.5
    assert find_numbers("1,500 soldiers", "en")[0].value == 1500.0


def test_articles_and_pronoun_one_are_not_numbers():
    assert find_numbers("Kim könnte eines der erfolgreichsten Länder anführen", "de") == []
    assert find_numbers("one of the most successful countries", "en") == []


def test_offsets_are_shifted_into_the_article():
    sentence = "Das kostet 5 Euro."
    m = find_numbers(sentence, "de", offset=100)[0]
    assert (m.start, m.end) == (111, 117)
    assert m.to_dict()["normalized"] == "5 EUR"


def test_numbers_inside_words_are_ignored():
    assert find_numbers("Die G7 und COVID-19", "de") == []
