"""Speakers named in an apposition (real sentences from the annotated dev articles, issue #12):
the person an apposition chain opens with, the name after "sagt die Präsidentin der DLRG,", the
person after a possessive role ("The We Company's ... executive chair Marcelo Claure")."""

import pytest

from claims.nlp import extract_claims
from tests.nlp.conftest import find

LAMRANI = (
    "The U.S. base in al-Tanf has been the target of a Russian disinformation campaign. "
    "Omar Lamrani, a senior military analyst at Stratfor, the Texas-based geopolitical "
    'intelligence organization, told Business Insider in October 2018 that MaT was "fairly '
    'secular by regional standards and has been at the forefront of the fight against ISIS."'
)
ROBERTSON = (
    "Sean Robertson, a spokesperson for Inherent Resolve, the U.S. military operation against "
    "Islamic State in Iraq and Syria, told VOA Pentagon correspondent Carla Babb on Nov. that the "
    "Russian and Syrian defense ministry’s claim “is patently false.”"
)
CLAURE = (
    "WeWork now faces a radical restructuring. Job cuts will be announced later this week in areas "
    "that do not support WeWork’s core business goals, said The We Company’s recently named "
    "executive chair Marcelo Claure in an email to staff that was reviewed by Reuters."
)
DLRG = (
    "Die Hilfsorganisationen fordern mehr Geld für den Bevölkerungsschutz. „Für die hierfür "
    "notwendigen Anpassungen sollten zudem auch bundeseinheitliche rechtliche Regelungen "
    "geschaffen werden“, sagt die Präsidentin der DLRG, Ute Vogt. Das gilt besonders in Hinblick "
    "auf Freistellung und Ausgleichsansprüche."
)
MALTESER = (
    "„Eine Investitionsoffensive für ein krisenfestes Deutschland ist ein unabdingbarer "
    "Bestandteil der Vorbereitung auf zukünftige Krisensituationen“, sagt der Präsident des "
    "Malteser Hilfsdienst, Georg Khevenhüller. Die Organisationen fordern mehr Geld."
)


@pytest.mark.parametrize(
    ("text", "lang", "fragment", "claimant"),
    [
        (LAMRANI, "en", "Omar Lamrani, a senior", "Omar Lamrani"),
        (ROBERTSON, "en", "Sean Robertson, a spokesperson", "Sean Robertson"),
        (CLAURE, "en", "Job cuts will be announced", "Marcelo Claure"),
        (DLRG, "de", "bundeseinheitliche rechtliche", "Ute Vogt"),
        (MALTESER, "de", "Eine Investitionsoffensive", "Georg Khevenhüller"),
    ],
)
def test_the_person_in_the_apposition_is_the_speaker(text, lang, fragment, claimant):
    claim = find(extract_claims(text, lang=lang), fragment)
    assert (claim.reported, claim.claimant) == (True, claimant)


def test_an_apposition_without_a_person_keeps_the_organisation_and_a_short_one_works():
    text = (
        "The California Public Utilities Commission held a hearing. The commission, which "
        "regulates utilities, said the blackouts were too broad. Joe Biden, the former vice "
        "president, said the economy was weak."
    )
    claims = extract_claims(text, lang="en")
    claim = find(claims, "the blackouts were too broad")
    assert claim.claimant == "California Public Utilities Commission"
    assert find(claims, "the economy was weak").claimant == "Joe Biden"


def test_a_clause_with_its_own_verb_is_no_apposition():
    text = "Officials met on Monday. Joe Biden, Trump said, will lose the election."
    claim = find(extract_claims(text, lang="en"), "will lose the election")
    assert claim.claimant == "Trump"
