"""Storing known fact-checks: dedupe by URL, corrections update, rejected items (SQLite)."""

from __future__ import annotations

import dataclasses

import pytest

from claims.ingest.factchecks import parse_dump, parse_html
from claims.models import KnownFactCheck, RejectedFactCheck
from claims.services.factchecks.store import factchecks_store
from tests.ingest.server import PAGES_DIR

pytestmark = pytest.mark.django_db
FACTCHECKS = PAGES_DIR / "factchecks"


def dump():
    return parse_dump((FACTCHECKS / "datacommons_feed.json").read_bytes())


def test_import_then_unchanged_then_updated():
    first = factchecks_store(reviews=dump())
    assert [o.status for o in first] == ["imported", "imported", "rejected"]
    assert KnownFactCheck.objects.count() == 2
    rejected = RejectedFactCheck.objects.get()
    assert rejected.reason == "no claimReviewed"
    assert rejected.raw["url"] == "https://example-checker.org/no-claim"

    again = factchecks_store(reviews=dump())
    assert [o.status for o in again] == ["unchanged", "unchanged", "rejected"]
    assert KnownFactCheck.objects.count() == 2

    # A correction: the publisher changes its rating of the same page.
    reviews = dump()
    corrected = dataclasses.replace(reviews[1], rating_label="False")
    outcomes = factchecks_store(reviews=[reviews[0], corrected])
    assert [o.status for o in outcomes] == ["unchanged", "updated"]
    fc = KnownFactCheck.objects.get(url="https://fullfact.org/health/nhs-nurses-numbers/")
    assert fc.rating_label == "False"
    assert KnownFactCheck.objects.count() == 2


def test_same_review_from_page_and_dump_is_one_row():
    factchecks_store(reviews=dump())
    page = (FACTCHECKS / "correctiv_de.html").read_text()
    [outcome] = factchecks_store(reviews=parse_html(page, url="https://correctiv.org/x"))
    # Same URL: stored once; the page's snippet and modification date make it an update.
    assert outcome.status == "updated"
    assert KnownFactCheck.objects.filter(publisher_name="Correctiv").count() == 1
    fc = KnownFactCheck.objects.get(publisher_name="Correctiv")
    assert fc.snippet.startswith("Auf Facebook")
    assert fc.raw["claimReviewed"].startswith("Deutschland zahlt")


def test_changed_claim_text_drops_the_old_vectors():
    factchecks_store(reviews=dump())
    KnownFactCheck.objects.update(embedding=b"x" * 2048)
    reviews = dump()
    changed = dataclasses.replace(reviews[0], claim_reviewed="Deutschland zahlt ein Drittel.")
    factchecks_store(reviews=[changed])
    fc = KnownFactCheck.objects.get(publisher_name="Correctiv")
    assert fc.embedding is None
    assert KnownFactCheck.objects.get(publisher_name="Full Fact").embedding is not None
