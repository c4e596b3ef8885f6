"""Factories for matching tests (added beside the shared ones in tests/factories.py)."""

import factory

from claims import models
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory

# The same claim in two wordings, another claim of the same story, an unrelated one.
MISSILES = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."
MISSILES_AGAIN = (
    "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen mehr getestet, sagte Trump am Montag."
)
SANCTIONS = "Die US-Sanktionen waren laut Pompeo der Hauptgrund für das Ende des Gipfels."
UNRELATED = "Die Inflation in der Eurozone lag im Februar bei 1,5 Prozent."


def claim_in_new_article(text: str, **kwargs) -> models.Claim:
    return ClaimFactory(article=ArticleFactory(), text=text, **kwargs)


class ClaimMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClaimMatch

    claim = factory.SubFactory(ClaimFactory)
    group = factory.SubFactory(ClaimGroupFactory)
    score = 0.7
    signals = factory.LazyFunction(lambda: {"semantic": 0.81, "numbers_agree": 1.0})
    reason = "same numbers, 0.81 similar"
    level = models.ClaimMatch.Level.SUGGESTED
    decision = models.ClaimMatch.Decision.PENDING


def grouped(*claims):
    """Put existing claims into one new group (the first is the representative)."""
    group = ClaimGroupFactory(representative=claims[0])
    for claim in claims:
        claim.group = group
        claim.save(update_fields=["group"])
    return group
