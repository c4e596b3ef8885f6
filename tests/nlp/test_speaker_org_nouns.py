"""Organisation nouns as speakers (real sentences from the annotated dev articles, issue #12):
"the group" is the organisation the article introduced as "the group"; "a group ..." is someone
new, named by the next apposition or anonymous, never the organisation named before it."""

from claims.nlp import extract_claims
from tests.nlp.conftest import find

WEWORK = (
    "WeWork is cutting jobs after SoftBank took control of the company. "
    "Those include 1,000 maintenance workers who have been informed that their employment will "
    "be terminated on Dec. 9, according to a group of employees. The group, WeWorkers Coalition, "
    "formed in recent weeks and sent a letter to management earlier this month. "
    "The group announced over the weekend that WeWork had reached an agreement with JLL. "
    "The group said on Twitter that the contract has confused employees with pay discrepancies, "
    "and demanded a deadline extension."
)
PGE = (
    "Pacific Gas & Electric Co. began a new mass power shutoff over fire danger. "
    "More than 450,000 people were without communication, according to a group representing "
    "rural counties in California."
)


def _claimant(text: str, fragment: str) -> str | None:
    claim = find(extract_claims(text, lang="en"), fragment)
    assert claim.reported, fragment
    return claim.claimant


def test_the_group_is_the_organisation_introduced_as_the_group():
    assert _claimant(WEWORK, "The group said on Twitter") == "WeWorkers Coalition"


def test_a_group_is_named_by_the_next_apposition():
    assert _claimant(WEWORK, "according to a group of employees") == "WeWorkers Coalition"


def test_a_group_the_article_never_names_is_anonymous():
    assert _claimant(PGE, "More than 450,000 people") == "unattributed"
