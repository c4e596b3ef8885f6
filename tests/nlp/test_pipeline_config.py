"""The claim pipelines as their configs (claims/nlp/configs) describe them."""

from __future__ import annotations

import pytest
import spacy

from claims.nlp.extract import extract_claims
from claims.nlp.pipelines import ENGLISH_PACKAGE, GERMAN_MODEL, RULES, claim_pipeline

PIPES = {
    "de": ["sentences", "tok2vec", "morphologizer", "ner", RULES],
    "en": ["sentences", "tok2vec", "tagger", "tag_pos", "ner", RULES],
}
FACTORIES = {
    "sentences": "claimtracker_sentences",
    "tag_pos": "claimtracker_tag_pos",
    RULES: "claimtracker_claim_rules",
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_components_and_order(lang):
    nlp = claim_pipeline(lang)
    assert nlp.pipe_names == PIPES[lang]
    assert nlp.disabled == []
    for name in nlp.pipe_names:
        factory = nlp.get_pipe_meta(name).factory
        assert factory == FACTORIES.get(name, name)  # the rest are sourced as they are
    assert nlp.config["components"][RULES]["lang"] == lang


@pytest.mark.parametrize("lang", ["de", "en"])
def test_requires_and_assigns_are_satisfied(lang):
    nlp = claim_pipeline(lang)
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(not problems for problems in analysis["problems"].values()), analysis["problems"]
    assert analysis["summary"]["sentences"]["assigns"] == ["token.is_sent_start"]
    assert analysis["summary"][RULES]["assigns"] == ["doc._.claim_analysis"]
    assert "token.pos" in analysis["summary"][RULES]["requires"]


@pytest.mark.parametrize(
    ("lang", "base", "text"),
    [
        (
            "de",
            GERMAN_MODEL,
            "Die Ministerin sagte in Köln, 3,5 Prozent der Haushalte seien betroffen.",
        ),
        (
            "en",
            ENGLISH_PACKAGE,
            "That said,  gonna\n\n be there. The WHO said 40% of U.S. cases rose, cos the "
            "organisation's travelling staff wore the wrong colour.",
        ),
    ],
)
def test_statistical_output_equals_the_base_model(lang, base, text):
    """Sourcing keeps the base model's vocabulary (English lexeme norms feed tok2vec) and
    tokenizer: tags, POS and entities are those of spacy.load without the parser."""
    reference = spacy.load(base, exclude=["parser", "lemmatizer"])
    ref = reference(text)
    doc = claim_pipeline(lang)(text, disable=[RULES])
    assert [(t.text, t.norm_) for t in doc] == [(t.text, t.norm_) for t in ref]
    assert [(t.tag_, t.pos_) for t in doc] == [(t.tag_, t.pos_) for t in ref]
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in ref.ents]


# Recorded with the pipelines as spacy.load + add_pipe built them (before the configs).
ANALYSES = {
    "de": (
        "Bundeskanzler Olaf Scholz sagte am Montag in Berlin, die Inflation sei auf 2,2 Prozent "
        "gesunken.\nDie Opposition widersprach.",
        [
            (
                True,
                "Olaf Scholz",
                "Bundeskanzler",
                "lead",
                True,
                "quantity",
                [("Olaf Scholz", "PERSON"), ("Berlin", "LOC")],
            ),
            (False, None, None, "body", True, "other", []),
        ],
    ),
    "en": (
        "President Joe Biden said on Monday that unemployment fell to 3.5 percent in March.\n"
        "Republicans disputed the figures.",
        [
            (True, "Joe Biden", "President", "lead", True, "quantity", [("Joe Biden", "PERSON")]),
            (True, "Republicans", None, "body", True, "other", [("Republicans", "MISC")]),
        ],
    ),
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_small_texts_give_the_same_analysis_as_before(lang):
    text, expected = ANALYSES[lang]
    got = []
    for c in extract_claims(text, lang):
        d = c.to_dict()
        got.append(
            (
                d["reported"],
                d["claimant"],
                d["claimant_role"],
                d["segment"],
                d["candidate"],
                d["claim_type"],
                [(e["text"], e["label"]) for e in d["entities"]],
            )
        )
    assert got == expected
