"""The known fact-checks' shared vector index (a second collection of the issue-13 machinery):
rows newer than the generation are found by the exact scan, corrections by their new text, and
a reader switches to a rebuilt generation. SQLite, real encoders."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claims.models import KnownFactCheck
from claims.nlp.matching import claim_embeddings
from claims.services.factchecks.index import (
    factcheck_index,
    factcheck_index_dir,
    factcheck_index_update,
    factchecks_newer_than,
)
from claims.services.factchecks.matching import claims_match_factchecks, factchecks_embed_missing
from claims.services.matching.index import vector_index_dir
from tests.factchecks.factories import KnownFactCheckFactory
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

WIND = "Wind turbines kill millions of birds every year in the United States."
KOREA = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen und keine Raketen mehr getestet."
BUS = "The UK sends £350 million a week to the European Union."


@pytest.fixture(autouse=True)
def matching_on(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True


def claim(text: str, language: str):
    article = ArticleFactory(text=text, language=language)
    return ClaimFactory(article=article, text=text, language=language, candidate=True)


def matched(text: str, language: str) -> list[int]:
    c = claim(text, language)
    return [m.factcheck_id for m in claims_match_factchecks(claim_ids=[c.pk])]


def test_the_collection_has_its_own_directory_beside_the_claims():
    KnownFactCheckFactory(claim_reviewed=WIND, language="en")
    factchecks_embed_missing()
    generation = factcheck_index_update(wait=True)
    directory = factcheck_index_dir()
    assert directory == vector_index_dir() / "factchecks"
    manifest = json.loads((directory / "current.json").read_text())
    assert manifest["directory"] == generation.directory
    files = {p.name for p in (directory / generation.directory).iterdir()}
    assert {"multilingual.usearch", "postings_ids.npy", "word_df.npy"} <= files
    assert not (vector_index_dir() / "current.json").exists()  # the claims' index is apart


def test_a_factcheck_imported_after_the_generation_is_found():
    first = KnownFactCheckFactory(claim_reviewed=WIND, language="en", publisher_name="PolitiFact")
    factchecks_embed_missing()
    generation = factcheck_index_update(wait=True)
    assert generation.high_water == first.pk

    later = KnownFactCheckFactory(claim_reviewed=KOREA)
    factchecks_embed_missing()
    reader = factcheck_index()
    # The search does not write a generation for one new row: it scans it exactly.
    assert reader.generation.number == generation.number
    assert not reader.holds("multilingual", later.pk)
    assert factchecks_newer_than(reader, limit=10) == [later.pk]

    found = matched(
        "Nordkorea habe seit mehr als einem Jahr keine Atomwaffen und keine Raketen getestet.",
        "de",
    )
    assert found[:1] == [later.pk]
    assert factcheck_index().generation.number == generation.number

    # The writer's next run takes it into the index; it is still found from there.
    update = factcheck_index_update(wait=True)
    assert update.number == generation.number + 1 and update.high_water == later.pk
    reader = factcheck_index()
    assert reader.holds("multilingual", later.pk)
    assert factchecks_newer_than(reader, limit=10) == []
    assert matched("North Korea has not tested nuclear weapons or missiles for a year.", "en")[
        :1
    ] == [later.pk]


def test_a_corrected_review_is_found_by_its_new_text_before_and_after_the_writer():
    corrected = KnownFactCheckFactory(claim_reviewed=WIND, language="en")
    KnownFactCheckFactory(claim_reviewed=KOREA)
    factchecks_embed_missing()
    generation = factcheck_index_update(wait=True)
    assert factcheck_index().holds("multilingual", corrected.pk)

    # A correction as the store makes one: new text, vectors dropped, then computed again.
    KnownFactCheck.objects.filter(pk=corrected.pk).update(
        claim_reviewed=BUS, embedding=None, embedding_en=None
    )
    factchecks_embed_missing()
    reader = factcheck_index()
    assert reader.generation.number == generation.number
    assert corrected.pk in factchecks_newer_than(reader, limit=10)
    assert corrected.pk in matched("Britain sends 350 million pounds a week to the EU.", "en")

    # The writer replaces the vector that moved; the index's copy is then the new text's.
    update = factcheck_index_update(wait=True)
    assert update is not None and update.high_water == generation.high_water
    reader = factcheck_index()
    assert factchecks_newer_than(reader, limit=10) == []
    [bus] = claim_embeddings([BUS])
    assert reader.search("multilingual", np.asarray(bus)[None, :], 1).tolist() == [corrected.pk]
    assert corrected.pk in matched("Britain sends 350 million pounds a week to the EU.", "en")
    assert corrected.pk not in matched(WIND, "en")
    # Nothing changed since: no new generation.
    assert factcheck_index_update(wait=True) is None


def test_a_rebuilt_generation_is_picked_up_by_a_reader():
    gone = KnownFactCheckFactory(claim_reviewed=WIND, language="en")
    factchecks_embed_missing()
    factcheck_index_update(wait=True)
    reader = factcheck_index()
    number = reader.generation.number
    assert reader.holds("multilingual", gone.pk)

    gone_pk = gone.pk
    gone.delete()
    kept = KnownFactCheckFactory(claim_reviewed=KOREA)
    factchecks_embed_missing()
    rebuilt = factcheck_index_update(rebuild=True, wait=True)
    # The next number (a rebuild does not start again at 1, over a kept generation).
    assert rebuilt.number == number + 1
    assert factcheck_index() is reader  # the process's view, reopened on the new manifest
    assert reader.generation.number == rebuilt.number
    assert reader.holds("multilingual", kept.pk)
    assert not reader.holds("multilingual", gone_pk)
    assert reader.stats.n == 1  # a rebuild counts only the rows there are
    # The generation before stays on disk until the next switch (readers may be mid-search).
    names = {p.name for p in factcheck_index_dir().glob("gen-*")}
    assert names == {f"gen-{number:08d}", rebuilt.directory}


def test_first_search_writes_the_first_generation():
    KnownFactCheckFactory(claim_reviewed=KOREA)
    factchecks_embed_missing()
    assert not (factcheck_index_dir() / "current.json").exists()
    assert matched(
        "Nordkorea habe seit mehr als einem Jahr keine Atomwaffen und keine Raketen getestet.",
        "de",
    )
    assert (factcheck_index_dir() / "current.json").exists()
