"""Two real NLP worker processes match copies of one sentence at the same moment: one group.

The race of issue 13 (several groups created in the same second for one sentence, each confirmed
against the others at 0.996), run with two `celery worker` processes on PostgreSQL and Redis.
The deterministic version, with the exact interleaving, is tests/matching/test_concurrency.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claims.models import Article, Claim, ClaimGroup
from claims.services.matching import claims_embed, matching_index_reset, vector_index_update
from claims.tasks import claim_match_article_task
from tests.factories import ArticleFactory, ClaimFactory
from tests.integration.conftest import WorkerProcess, wait_for

SENTENCE = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."
OTHER = "Die Inflation in der Eurozone lag im Februar bei 1,5 Prozent."


@pytest.fixture
def two_workers(worker_env, tmp_path):
    env = {**worker_env, "CLAIMTRACKER_MATCHING_ENABLED": "1"}
    started = [WorkerProcess(env, tmp_path / f"worker-{n}.log") for n in range(2)]
    try:
        for worker in started:
            worker.start()
        yield started
    finally:
        for worker in started:
            worker.stop()


def test_two_workers_matching_one_repeated_sentence_make_one_group(two_workers):
    claims = [
        ClaimFactory(article=ArticleFactory(status=Article.Status.DONE), text=text)
        for text in [SENTENCE] * 8 + [OTHER]
    ]
    claims_embed(claims=claims)  # stored as extraction stores them: matching does not encode
    for claim in claims:
        claim.save(update_fields=["embedding", "embedding_en"])

    for claim in claims:  # all at once, the two workers take them in turn
        claim_match_article_task.delay(claim.article_id)

    wait_for(
        lambda: (
            not Article.objects.filter(
                pk__in=[c.article_id for c in claims], matched_at__isnull=True
            ).exists()
        ),
        timeout=120,
    )
    repeats = Claim.objects.filter(text=SENTENCE)
    assert set(repeats.values_list("group_id", flat=True)) == {ClaimGroup.objects.get().pk}
    assert Claim.objects.get(text=OTHER).group_id is None
    for worker in two_workers:  # both took part (9 tasks, one prefetched at a time each)
        assert "claim_match_article_task" in worker.log.read_text(errors="replace")


def test_a_worker_maps_the_writers_generation_with_its_key_files(two_workers, settings, worker_env):
    """The writer (this process) writes a generation; a real worker process matching a repeat
    of a claim stored before it opens that generation as the files it is: the HNSW files and
    the sorted key files memory-mapped, no key table of its own (issue 13: a worker's private
    memory must not grow with the number of claims)."""
    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = Path(worker_env["CLAIMTRACKER_VECTOR_INDEX_DIR"])
    matching_index_reset()
    stored = [
        ClaimFactory(article=ArticleFactory(status=Article.Status.DONE), text=text)
        for text in (SENTENCE, OTHER)
    ]
    claims_embed(claims=stored)
    for claim in stored:
        claim.save(update_fields=["embedding", "embedding_en"])
    generation = vector_index_update(rebuild=True, wait=True)
    directory = settings.CLAIMTRACKER_VECTOR_INDEX_DIR / generation.directory
    keys = np.load(directory / "multilingual.keys.npy")
    assert keys.tolist() == sorted(c.pk for c in stored)  # every claim, sorted, nothing else

    repeat = ClaimFactory(article=ArticleFactory(status=Article.Status.DONE), text=SENTENCE)
    claims_embed(claims=[repeat])
    repeat.save(update_fields=["embedding", "embedding_en"])
    claim_match_article_task.delay(repeat.article_id)
    wait_for(lambda: Article.objects.get(pk=repeat.article_id).matched_at is not None, timeout=120)

    repeat.refresh_from_db()
    stored[0].refresh_from_db()
    assert repeat.group_id is not None and repeat.group_id == stored[0].group_id
    mapped = "".join(
        Path(f"/proc/{pid}/maps").read_text() for worker in two_workers for pid in worker.children()
    )
    assert f"{directory}/multilingual.usearch" in mapped
    assert f"{directory}/multilingual.keys.npy" in mapped
