"""Claim types on real dev sentences that the rules still got wrong (issue #12 item 6, qrank
round): counts of sources, durations without a number, draft laws, nouns ending like
superlatives. The sentences are from the annotated dev articles (en-0003, en-0057, de-0074) or
shaped like them."""

import pytest

from claims.nlp import analyse_sentences


@pytest.mark.parametrize(
    ("lang", "text", "claim_type"),
    [
        # en-0003: the number counts sources, not the claim
        (
            "en",
            "The New York State Attorney General is investigating WeWork, according to two "
            "people familiar with the matter.",
            "other",
        ),
        (
            "de",
            "Laut drei mit der Sache vertrauten Personen verhandelt der Konzern über einen "
            "Verkauf.",
            "other",
        ),
        # en-0057: "for decades" says that it lasted, not how long (a past event)
        (
            "en",
            "Although Hitler was born in Braunau in 1889, Austria argued for decades that it was "
            "the first victim of National Socialism.",
            "other",
        ),
        ("de", "Die Gemeinde streitet seit Jahren über den Neubau.", "other"),
        # de-0074: what a draft law provides is a legal claim, not a prediction
        (
            "de",
            "Ein neuer Gesetzesentwurf der Bundesregierung soll zudem Abschiebungen von Menschen "
            "ermöglichen.",
            "law",
        ),
        # a past visit two weeks ago: "Minister" is no superlative
        ("de", "Vor zwei Wochen hatte der Minister die Stadt besucht.", "other"),
        # still amounts
        (
            "de",
            "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen mehr getestet.",
            "quantity",
        ),
        ("en", "The strike lasted for nearly 20 years.", "quantity"),
        ("en", "Two people were killed in the crash.", "quantity"),
        ("en", "Two officials told Reuters that 300 troops would be withdrawn.", "quantity"),
        ("de", "Das ist die höchste Quote seit 1990.", "comparison"),
        ("de", "Die meisten Deutschen lehnen das ab.", "comparison"),
    ],
)
def test_claim_type_on_dev_shaped_sentences(lang, text, claim_type):
    assert analyse_sentences([text], lang)[0].claim_type == claim_type
