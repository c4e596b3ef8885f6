"""Two workers matching the same repeated claim at the same moment make one group (PostgreSQL).

Threads with their own database connections stand in for two NLP workers here; the integration
suite runs the same race with two real Celery worker processes
(tests/integration/test_matching_workers.py).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from claims.models import Claim, ClaimGroup
from claims.nlp.matching import MatchCandidate
from claims.services.matching.groups import _claims_match, sentence_key
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks"
    ),
]

SENTENCE = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."


def run_at_once(*calls):
    """Run the calls in threads released together; re-raise the first error."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


def confirmed(candidate: Claim) -> list[MatchCandidate]:
    return [MatchCandidate(str(candidate.pk), 0.996, {"semantic": 0.996}, "0.996 similar")]


def test_two_copies_confirmed_against_different_earlier_copies_make_one_group(matching_settings):
    # The race seen under load: each worker's candidates come from its own view of the index,
    # so the two new copies are confirmed against two *different* earlier copies; their row
    # locks are disjoint. The sentence lock makes the second worker join the first one's group.
    earlier = [ClaimFactory(article=ArticleFactory(), text=SENTENCE) for _ in range(2)]
    new = [ClaimFactory(article=ArticleFactory(), text=SENTENCE) for _ in range(2)]

    def match(claim, candidate):
        def call():
            with transaction.atomic():
                _claims_match(claim, confirmed(candidate), matching_settings_config())

        return call

    run_at_once(match(new[0], earlier[0]), match(new[1], earlier[1]))

    groups = set(
        Claim.objects.filter(pk__in=[c.pk for c in earlier + new]).values_list(
            "group_id", flat=True
        )
    )
    assert len(groups) == 1 and None not in groups
    group = ClaimGroup.objects.get()
    assert group.sentence_key == sentence_key(SENTENCE)
    assert group.representative_id == min(c.pk for c in earlier)  # the first appearance


def matching_settings_config():
    from claims.services.matching import match_config

    return match_config()


def test_a_split_claim_is_not_put_back_through_the_sentence_group(matching_settings):
    earlier = [ClaimFactory(article=ArticleFactory(), text=SENTENCE) for _ in range(2)]
    new = [ClaimFactory(article=ArticleFactory(), text=SENTENCE) for _ in range(2)]
    with transaction.atomic():
        _claims_match(new[0], confirmed(earlier[0]), matching_settings_config())
    group = ClaimGroup.objects.get()
    from claims.models import ClaimMatch

    ClaimMatch.objects.create(
        claim=new[1], group=group, score=0.99, level="confirmed", decision="rejected"
    )
    with transaction.atomic():
        _claims_match(new[1], confirmed(earlier[1]), matching_settings_config())
    new[1].refresh_from_db()
    assert new[1].group_id not in (None, group.pk)  # a group of its own with its candidate
