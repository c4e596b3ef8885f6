"""Demands and attitude frames in the desk ranking (issue #12, qrank round): a demand is not a
checkable statement; a factive attitude ("wisse es zu schätzen, dass ...") is read through the
claim it wraps. The seed article's key claim ranks first among its candidates because of both."""

from __future__ import annotations

import pytest

from claims.nlp.ranking import attitude_frame, desk_scores, is_demand
from tests.nlp.conftest import find

KEY = "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr"


@pytest.mark.parametrize(
    ("lang", "text", "demand"),
    [
        ("de", "Die Führung in Pjöngjang fordert eine Aufhebung der Sanktionen.", True),
        ("de", "Die USA hatten wiederholt gefordert, dass Nordkorea abrüstet.", True),
        ("de", "Die Grünen rufen zu einem Boykott auf.", True),
        ("de", "Der Verband appellierte an die Regierung.", True),
        ("de", "Der Krieg forderte 300 Tote.", False),
        ("de", "Er ruft heute an.", False),
        ("de", "Die Zahl der Arbeitslosen ist um 3 Prozent gestiegen.", False),
        ("en", "The senator called for an investigation.", True),
        ("en", "Protesters demanded that he resign.", True),
        ("en", "He urged Congress to act.", True),
        ("en", "The call lasted ten minutes.", False),
        ("en", "Demand for oil fell 5 percent last year.", False),
    ],
)
def test_demands_are_recognised(lang, text, demand):
    assert is_demand(text, lang) is demand


@pytest.mark.parametrize(
    ("lang", "text", "framed"),
    [
        ("de", KEY + " keine Atomwaffen mehr getestet habe.", True),
        ("de", "Die Ministerin begrüßte, dass die Zahl der Anträge gesunken sei.", True),
        ("de", "Er zeigte sich froh, dass niemand verletzt wurde.", True),
        ("de", "Die Zahl der Anträge ist gesunken, sagte die Ministerin.", False),
        ("en", "The minister welcomed that unemployment fell to 4 percent.", True),
        ("en", "She is proud that the city cut emissions by half.", True),
        ("en", "Unemployment fell to 4 percent, the minister said.", False),
    ],
)
def test_attitude_frames_are_recognised(lang, text, framed):
    assert attitude_frame(text, lang) is framed


def test_a_demand_ranks_below_the_same_article_s_statement_of_fact():
    texts = [
        "Die Opposition fordert eine Aufhebung der Sanktionen gegen das Land.",
        "Die Sanktionen gegen das Land haben die Exporte um 40 Prozent gesenkt.",
    ]
    scores = desk_scores(texts, lang="de", segments=["body", "body"], positions=[5, 6])
    assert scores[1] > scores[0]


def test_framed_claim_is_read_through_its_standalone_text():
    texts = [
        KEY + " keine Atomwaffen und Raketen mehr getestet habe, sagte er.",
        "Die Gespräche seien sehr produktiv gewesen, sagte er.",
    ]
    alone = [
        "Laut US-Präsident Donald Trump hat Nordkorea seit mehr als einem Jahr keine Atomwaffen "
        "und Raketen mehr getestet.",
        texts[1],
    ]
    plain = desk_scores(texts, lang="de", segments=["body", "body"], positions=[18, 19])
    read = desk_scores(
        texts, lang="de", segments=["body", "body"], positions=[18, 19], standalones=alone
    )
    assert read[0] > plain[0]
    assert read[1] == pytest.approx(plain[1])


def test_seed_article_key_claim_ranks_first_among_candidates():
    from claims.ingest.extract import extract_text
    from claims.nlp import extract_claims
    from tests import seed

    document = extract_text(seed.seed_text())
    claims = extract_claims(document.text, lang="de", title=document.title)
    ranked = sorted((c for c in claims if c.candidate), key=lambda c: -c.score)
    assert KEY in ranked[0].text
    assert find(claims, "fordert eine Aufhebung").score < ranked[0].score
