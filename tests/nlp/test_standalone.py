"""Standalone claim text: real article sentences through the shipped pipelines.

The seed (dpa/Zeit report on the Hanoi summit, 28 February 2019) and short excerpts of English
news in the annotated dev set (Apple/Salesforce, 19 November 2019) and of the Amazon/Microsoft
emissions story the issue quotes.
"""

from __future__ import annotations

from datetime import date

import pytest

from claims.nlp.pipelines import claim_pipeline
from claims.nlp.references import unresolved_references
from claims.nlp.standalone.timeref import anchor_time

SEED_DATE = date(2019, 2, 28)


def analyse(text: str, lang: str, published: date | None, title: str | None = None):
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.article_title = title
    doc = nlp(doc)
    return {doc.text[a.start : a.end]: a for a in doc._.claim_analysis}


def unit(analyses: dict, fragment: str):
    (hit,) = [a for text, a in analyses.items() if fragment in text]
    return hit


@pytest.fixture(scope="module")
def seed(seed_text):
    return analyse(seed_text, "de", SEED_DATE)


def test_seed_key_claim_speaker_attached_indicative_and_anchored(seed):
    # "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen und
    # Raketen mehr getestet habe, sagte er."
    a = unit(seed, "Trump wisse es zu schätzen")
    assert a.standalone == (
        "Laut US-Präsident Donald Trump hat Nordkorea seit mehr als einem Jahr keine Atomwaffen "
        "und Raketen mehr getestet (Stand: 28. Februar 2019)."
    )
    assert unresolved_references(a.standalone, "de") == []
    assert unresolved_references(seed_sentence(seed, a), "de")  # the raw sentence is relative


def seed_sentence(analyses: dict, a) -> str:
    return next(text for text, b in analyses.items() if b is a)


def test_seed_continued_indirect_speech_gets_its_speaker(seed):
    a = unit(seed, "Kim habe ihm außerdem versprochen")
    assert a.standalone.startswith("Laut US-Präsident Donald Trump hat Kim Jong Un ihm außerdem")
    assert "habe" not in a.standalone


def test_seed_zufolge_becomes_laut_with_the_role_resolved(seed):
    a = unit(seed, "Dem US-Außenminister Mike Pompeo zufolge")
    assert a.standalone.startswith("Laut US-Außenminister Mike Pompeo waren die US-Sanktionen")
    # "Dies könne dem Minister zufolge ...": "der Minister" is Pompeo; "dies" stays unresolved
    # (it points at the previous quote) and the detector says so.
    b = unit(seed, "Dies könne dem Minister zufolge")
    assert b.standalone == (
        "Laut US-Außenminister Mike Pompeo kann dies vielleicht sogar in den nächsten Wochen "
        "geschehen (Stand: 28. Februar 2019)."
    )
    assert unresolved_references(b.standalone, "de") == ["dies"]


def test_seed_direct_quote_keeps_its_words_and_names_the_speaker(seed):
    a = unit(seed, "sagte der US-Präsident")
    assert a.standalone.endswith(
        '"bleiben vorerst alle Sanktionen gegen Nordkorea natürlich in Kraft", '
        "so US-Präsident Donald Trump."
    )
    assert "sagte" not in a.standalone


def test_seed_sentence_naming_its_own_speaker_is_not_prefixed(seed):
    a = unit(seed, "Die Führung in Pjöngjang fordert")
    assert a.standalone.startswith("Die Führung in Pjöngjang fordert")
    b = unit(seed, "Nach Angaben der US-Delegation")
    assert b.standalone.startswith("Nach Angaben der US-Delegation bedeutet die fehlende")


def test_english_it_resolved_to_the_company_just_named_and_last_year_anchored():
    text = (
        "Microsoft will be carbon negative by 2030, chief executive Satya Nadella said. "
        "Amazon, the world's largest online retailer, has pledged to reach net zero carbon "
        "by the end of the next decade.\n"
        "Last year, it emitted more than 44 million metric tons of carbon dioxide."
    )
    analyses = analyse(text, "en", date(2020, 1, 17))
    a = unit(analyses, "it emitted")
    assert a.standalone == (
        "In 2019, Amazon emitted more than 44 million metric tons of carbon dioxide."
    )
    assert unresolved_references(a.standalone, "en") == []
    assert unresolved_references("Last year, it emitted 44 million tons.", "en") == [
        "it",
        "Last year",
    ]


def test_english_reported_speech_according_to_and_attribution_removed():
    text = (
        'Apple was "pulled into the enterprise," CEO Tim Cook said Tuesday in a fireside chat '
        "with Salesforce founder Marc Benioff. Apple is now in every Fortune 500 company, and "
        "eight out of ten companies are writing custom iOS apps, Cook told Benioff. "
        "Cook said Apple employs about 450 Dreamers."
    )
    analyses = analyse(text, "en", date(2019, 11, 19))
    a = unit(analyses, "Cook told Benioff")
    assert a.standalone.startswith(
        "According to CEO Tim Cook, Apple is now in every Fortune 500 company"
    )
    assert "told Benioff" not in a.standalone
    b = unit(analyses, "450 Dreamers")
    assert b.standalone == "According to CEO Tim Cook, Apple employs about 450 Dreamers."


def test_german_age_noun_and_dateline():
    text = (
        "Wien – Eine Demonstrantin, Elisabeth Sommer, wurde im Mai 2014 bei einer Kundgebung "
        "verletzt. Die 42-Jährige erlitt dort einen Knöchelbruch."
    )
    analyses = analyse(text, "de", date(2016, 3, 2))
    first = unit(analyses, "Eine Demonstrantin")
    assert first.standalone.endswith("bei einer Kundgebung verletzt (Wien).")
    a = unit(analyses, "Die 42-Jährige")
    # "dort" is not taken to be the dateline's city: only a place named in the sentences before
    assert a.standalone == "Elisabeth Sommer erlitt dort einen Knöchelbruch."
    assert unresolved_references("Die 42-Jährige erlitt dort einen Knöchelbruch.", "de") == [
        "Die 42-Jährige",
        "dort",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Die Demonstration fand in Graz statt. Dort wurden zwölf Menschen verletzt.",
            "de",
            "In Graz wurden zwölf Menschen verletzt.",
        ),
        (
            "The protest took place in Chicago. Police arrested 12 people there.",
            "en",
            "Police arrested 12 people in Chicago.",
        ),
    ],
)
def test_place_words_take_the_place_of_the_sentence_before(text, lang, expected):
    analyses = analyse(text, lang, None)
    assert list(analyses.values())[-1].standalone == expected
    assert unresolved_references(expected, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Er kam gestern an.", "de", "Er kam am 27. Februar 2019 an."),
        ("Am Dienstag traf er Kim.", "de", "Am Dienstag (26. Februar 2019) traf er Kim."),
        ("Die Zahl stieg im vergangenen Jahr.", "de", "Die Zahl stieg im Jahr 2018."),
        ("Sales fell last year.", "en", "Sales fell in 2018."),
        ("The talks ended on Tuesday.", "en", "The talks ended on Tuesday, February 26, 2019."),
        ("The vote will be on Tuesday.", "en", "The vote will be on Tuesday, March 5, 2019."),
        ("Prices rose 2 weeks ago.", "en", "Prices rose 2 weeks ago (as of February 28, 2019)."),
    ],
)
def test_relative_times_anchored_to_the_publication_date(text, lang, expected):
    assert anchor_time(text, lang, SEED_DATE) == expected


def test_no_date_leaves_time_as_is():
    assert anchor_time("Er kam gestern an.", "de", None) == "Er kam gestern an."


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Laut US-Präsident Donald Trump hat Nordkorea seit 2018 keine Raketen getestet.", "de"),
        ("According to Apple CEO Tim Cook, Apple employs about 450 Dreamers.", "en"),
        ("Es gibt in Österreich 123 neue Gesetze.", "de"),
        ("CBS DFW reports the man who kidnapped the child, Michael Webb, was sentenced.", "en"),
        ("Adam Neumann bought properties that he then leased back to WeWork.", "en"),
        ("Schwerkranke haben keinen Anspruch darauf, Medikamente zu bekommen.", "de"),
    ],
)  # fmt: skip
def test_detector_passes_self_contained_statements(text, lang):
    assert unresolved_references(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("Dadurch verschärfen sich die Konflikte zwischen Juden und Arabern.", "de", "Dadurch"),
        ("The report and Monday's announcement come as Congress debates.", "en", "The report"),
        ("He testified about a July 10 meeting at the White House.", "en", "He"),
        ("Die Außenministerin eröffnete einen Gedankenaustausch.", "de", "Die Außenministerin"),
        ("Diese Idee sei begrüßenswert.", "de", "Diese Idee"),
        ("Wir haben daher einen Antrag eingebracht.", "de", "Wir"),
    ],
)  # fmt: skip
def test_detector_flags_references_into_the_article(text, lang, word):
    assert word in unresolved_references(text, lang)
