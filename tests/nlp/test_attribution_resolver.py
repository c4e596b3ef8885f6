"""The article-level source resolver (claims/nlp/attribution_resolver.py, issue #12, round
"resolver"): the choices it reads from a real article, that a resolver's weights decide the
pipeline's claimant when they are present, and the error causes of the claimant analysis on real
cases from the annotated articles. No resolver is shipped (it did not beat the rules on splits
it was not trained on: docs/model-card-claim-extraction.md), so the rules decide by default."""

import json

import pytest

from claims.nlp import attribution_resolver, extract_claims
from tests.nlp.conftest import find
from tests.nlp.test_speaker_learned import MOSKAU  # a real German passage (annotated dev split)
from training.attribution.claimant_causes import cause


@pytest.fixture
def recorded():
    attribution_resolver.RECORD = []
    try:
        claims = extract_claims(MOSKAU, lang="de")
        yield claims, attribution_resolver.RECORD
    finally:
        attribution_resolver.RECORD = None


def _choices(records, claim):
    rec = next(r for r in records if r["start"] <= claim.start < r["end"])
    return {name: set(feats) for name, feats in rec["choices"]}


def test_choices_hold_the_rules_answer_and_the_article_people(recorded):
    claims, records = recorded
    said = find(claims, "Parlaments- und Präsidentenwahlen")
    assert said.claimant == "Sergej Lawrow"
    choices = _choices(records, said)
    assert {None, "unattributed", "Sergej Lawrow"} <= set(choices)
    lawrow = choices["Sergej Lawrow"]
    assert "k=person|rules" in lawrow and "k=person|insent" in lawrow
    assert "k=person|rules_cue=True" in lawrow
    # Two sentences on, Lawrow is a choice by distance and as the last speaker, not in the unit
    later = _choices(records, find(claims, "Einbindung weiterer Akteure"))
    assert "k=person|last_speaker" in later["Sergej Lawrow"]
    assert "k=person|insent" not in later["Sergej Lawrow"]
    assert "k=person|before" in later["John Kerry"]


def _with_weights(tmp_path, monkeypatch, weights):
    for lang in ("de", "en"):
        (tmp_path / f"resolver_{lang}.json").write_text(
            json.dumps({"weights": weights, "bias": 0.0}), encoding="utf-8"
        )
    monkeypatch.setenv("CLAIMTRACKER_RESOLVER_DIR", str(tmp_path))
    attribution_resolver.resolver.cache_clear()


def test_resolver_weights_decide_the_claimant(tmp_path, monkeypatch):
    try:
        _with_weights(tmp_path, monkeypatch, {"k=none": 5.0})
        claim = find(extract_claims(MOSKAU, lang="de"), "Parlaments- und Präsidentenwahlen")
        assert claim.claimant is None  # the weights prefer the article's voice everywhere
        _with_weights(tmp_path, monkeypatch, {"k=unatt|rules=False": 1.0, "k=person|rules": 5.0})
        claim = find(extract_claims(MOSKAU, lang="de"), "Parlaments- und Präsidentenwahlen")
        assert claim.claimant == "Sergej Lawrow"
    finally:
        monkeypatch.delenv("CLAIMTRACKER_RESOLVER_DIR")
        attribution_resolver.resolver.cache_clear()


def test_no_resolver_is_shipped_and_the_rules_decide():
    attribution_resolver.resolver.cache_clear()
    assert attribution_resolver.resolver("de") is None
    assert attribution_resolver.resolver("en") is None
    claim = find(extract_claims(MOSKAU, lang="de"), "Parlaments- und Präsidentenwahlen")
    assert claim.claimant == "Sergej Lawrow"


UNIT = {"candidate": True, "reported": True}


@pytest.mark.parametrize(
    ("gold", "predicted", "unit", "expected"),
    [
        # real gold speakers and pipeline answers from the annotated articles' error dumps
        ("Donald Trump", "Trump", UNIT, "variant"),
        (
            "South Dakota Department of Social Services",
            "Department of Social Services",
            UNIT,
            "variant",
        ),
        ("Michael Lewis", None, {"candidate": True, "reported": False}, "not_reported"),
        ("Kristi Noem", "unattributed", UNIT, "unatt_vs_name"),
        ("unattributed", "Alaska", UNIT, "name_vs_unatt"),
        ("Alexander Vindman", "Army", UNIT, "wrong_person"),
        ("Polizei Karlsruhe", "Polizei Karlsruhe", UNIT, "right"),
        (
            "Fraport-Vorstand",
            "Stefan Schulte",
            {"candidate": False, "reported": True},
            "not_candidate",
        ),
    ],
)
def test_claimant_error_causes(gold, predicted, unit, expected):
    assert cause({"speaker": gold}, unit, predicted, []) == expected
