"""Factories for matching tests (added beside the shared ones in tests/factories.py)."""

import factory

from claims import models
from tests.factories import ClaimFactory, ClaimGroupFactory


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
