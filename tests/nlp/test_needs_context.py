"""The "needs context" flag: which standalone texts still point into the article, and why.

One detector (claims.nlp.references) serves the extraction
(``ExtractedClaim.standalone_unresolved``, what the desk stores and shows) and the evaluation;
these tests run it on news-like German and English sentences in both directions and through the
real pipeline.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from claims.nlp.extract import analyse_sentences, extract_claims
from claims.nlp.references import unresolved_references, unresolved_references_batch

FLAGGED = [
    ("de", "Die 32-Jährige wurde dort von der Polizei festgenommen.", ["Die 32-Jährige", "dort"]),
    ("de", "Der Bericht zeigt, dass 40 Prozent der Schulen keine Heizung haben.", ["Der Bericht"]),
    ("de", "Dadurch sei die Zahl der Infektionen um ein Drittel gesunken.", ["Dadurch"]),
    ("de", "Er habe die Steuern für alle Bürger gesenkt.", ["Er"]),
    ("en", "Last year, it emitted more than 44 million metric tons of carbon dioxide.",
     ["it", "Last year"]),
    ("en", "The report found that 40 percent of schools in the state lacked heating.",
     ["The report", "the state"]),
    ("en", "She told reporters there were no plans to raise taxes.", ["She"]),
    ("en", "The company cut 3,000 jobs, the union said.", ["The company"]),
]  # fmt: skip

READS_ALONE = [
    ("de", "Laut Gesundheitsminister Jens Spahn ist die Zahl der Pflegekräfte in Deutschland im "
     "Jahr 2018 um 4,5 Prozent gestiegen."),
    ("de", "Die Hamburger Polizei nahm am 3. März 2019 eine 32-jährige Frau in Altona fest."),
    ("de", "Laut US-Präsident Donald Trump hat Nordkorea seit mehr als einem Jahr (Stand: "
     "28. Februar 2019) keine Atomwaffen getestet."),
    ("de", "Angela Merkel sagte, sie werde 2021 nicht wieder kandidieren."),
    ("en", "Amazon emitted more than 44 million metric tons of carbon dioxide in 2018."),
    ("en", "According to Apple CEO Tim Cook, Apple sold 20 million iPhones in the first quarter "
     "of 2019."),
    ("en", "Microsoft said it would be carbon negative by 2030."),
    ("en", "There are 50 states in the United States."),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "words"), FLAGGED)
def test_unresolved_words_are_reported(lang, text, words):
    assert unresolved_references(text, lang) == words


@pytest.mark.parametrize(("lang", "text"), READS_ALONE)
def test_resolved_text_is_not_flagged(lang, text):
    assert unresolved_references(text, lang) == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_batch_finds_what_one_text_at_a_time_finds(lang):
    texts = [t for lg, t, _w in FLAGGED if lg == lang] + [t for lg, t in READS_ALONE if lg == lang]
    assert unresolved_references_batch(texts, lang) == [
        unresolved_references(t, lang) for t in texts
    ]


def test_the_pipeline_flags_a_reference_its_rules_could_not_resolve():
    # Nobody's age is given before "Die 32-Jährige": the rewrite leaves it, the flag says so.
    text = (
        "Polizei nimmt Frau in Hamburg fest\n\n"
        "Die Hamburger Polizei hat am Dienstag eine Frau festgenommen.\n\n"
        "Die 32-Jährige soll in Altona 30 Autos angezündet haben.\n\n"
        "Die Zahl der Brandanschläge auf Autos in Hamburg ist 2019 um 20 Prozent gestiegen."
    )
    claims = extract_claims(text, "de", published=date(2020, 1, 15))
    by_text = {c.text: c for c in claims}
    flagged = by_text["Die 32-Jährige soll in Altona 30 Autos angezündet haben."]
    assert flagged.standalone_unresolved == ("Die 32-Jährige",)
    assert flagged.standalone_needs_context
    assert flagged.to_dict()["standalone_needs_context"] is True
    assert flagged.to_dict()["standalone_unresolved"] == ["Die 32-Jährige"]
    alone = by_text[
        "Die Zahl der Brandanschläge auf Autos in Hamburg ist 2019 um 20 Prozent gestiegen."
    ]
    assert alone.standalone_unresolved == () and not alone.standalone_needs_context
    # The relative day is anchored by the rewrite, so that sentence reads alone too.
    police = by_text["Die Hamburger Polizei hat am Dienstag eine Frau festgenommen."]
    assert "2020" in police.standalone and not police.standalone_needs_context


def test_the_flag_judges_the_standalone_text_not_the_raw_sentence():
    # "he" in the raw sentence; the rewrite names the speaker, so the statement reads alone.
    text = (
        "Spahn: more nurses\n\n"
        "Health minister Jens Spahn visited a hospital in Berlin on Tuesday.\n\n"
        "He said the number of nurses in Germany rose by 4.5 percent in 2018."
    )
    claims = extract_claims(text, "en", published=date(2019, 3, 5))
    claim = next(c for c in claims if c.text.startswith("He said"))
    assert unresolved_references(claim.text, "en") == ["He"]
    assert "Jens Spahn" in claim.standalone
    assert claim.standalone_unresolved == ()


def test_every_unit_of_analyse_sentences_is_assessed():
    claims = analyse_sentences(
        [
            "Dort wurden 2019 mehr als 300 Autos angezündet.",
            "In Hamburg leben 1,8 Millionen Menschen.",
        ],
        "de",
    )
    assert [c.standalone_unresolved for c in claims] == [("Dort",), ()]


def test_score_sentences_json_adds_the_flag_and_keeps_every_field(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text(
        "Last year, it emitted more than 44 million metric tons of carbon dioxide.\n"
        "Amazon emitted more than 44 million metric tons of carbon dioxide in 2018.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("score_sentences", str(path), "--lang", "en", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    for row in rows:
        assert {"index", "text", "start", "end", "language", "score", "checkworthy", "type",
                "claim_type", "reported", "claimant", "claimant_role", "claimant_span",
                "candidate", "segment", "standalone", "entities", "numbers", "context_before",
                "context_after"} <= set(row)  # fmt: skip
    assert rows[0]["standalone_needs_context"] is True
    assert rows[0]["standalone_unresolved"] == ["it", "Last year"]
    assert rows[1]["standalone_needs_context"] is False
    assert rows[1]["standalone_unresolved"] == []
