"""Markup that stalls the HTML parsers is refused in linear time, for articles and evidence
(issue #17, security 2)."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest

from claims.ingest.extract import ExtractionError, extract_content
from claims.ingest.markup import check_markup
from claims.models import EvidenceSource
from claims.services.evidence import evidence_add, evidence_fetch
from tests.factories import ClaimFactory
from tests.ingest.server import LocalServer

_FILLER = "Die Bundesregierung hat am Mittwoch ein Gesetz beschlossen, das die Steuern senkt. " * 4
NEWS_PAGES = Path("/work/shared/news-pages")


def _page(body: str) -> bytes:
    return f"<html><body><article><p>{_FILLER}</p>{body}</article></body></html>".encode()


STALLING = {
    # trafilatura is quadratic in tables (10,000 took 85 s) and lists (4,000 took 10 s)
    "tables": "<table><tr><td>x</td></tr></table>" * 10_000,
    "lists": "<ul><li>x</li></ul>" * 4_000,
    # "/" separates attributes like a space (1 MB took more than 180 s)
    "slash attributes": "<div/" + "/".join(f"a{i}" for i in range(50_000)) + ">x</div>",
    "elements": "<p>x</p>" * 200_000,
}


@pytest.mark.parametrize("name", STALLING)
def test_stalling_markup_is_refused_fast(name):
    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        extract_content(_page(STALLING[name]), content_type="text/html")
    assert info.value.reason == "malformed"
    assert time.monotonic() - started < 2.0


def test_a_page_with_some_tables_and_lists_is_extracted():
    body = "<table><tr><td>1</td></tr></table><ul><li>a</li></ul>" * 300
    assert "Bundesregierung" in extract_content(_page(body), content_type="text/html").text


@pytest.mark.skipif(not NEWS_PAGES.is_dir(), reason="shared news pages not checked out")
def test_real_news_pages_are_within_the_limits():
    pages = sorted(NEWS_PAGES.glob("*/*.html"))
    assert pages
    for path in pages:
        check_markup(path.read_text(errors="replace"))


@pytest.mark.django_db
def test_evidence_page_metadata_goes_through_the_guard(reviewer, settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 5.0,
    }
    attributes = " ".join(f"a{i}" for i in range(50_000))
    body = f"<html><head><title>Planted</title></head><body><p {attributes}>x</p></body></html>"
    with LocalServer() as server:
        url = server.add("/evidence", body=body.encode(), content_type="text/html")
        evidence = evidence_add(
            actor=reviewer, claim_id=ClaimFactory().pk, url=url, stance="context"
        )
        started = time.monotonic()
        evidence_fetch(evidence_id=evidence.pk)
        elapsed = time.monotonic() - started

    evidence.refresh_from_db()
    assert elapsed < 3.0  # 31 s in trafilatura's metadata extraction before
    assert evidence.fetch_status == EvidenceSource.FetchStatus.DONE
    assert evidence.title == ""  # not read from a page outside the budget
    assert zlib.decompress(bytes(evidence.archived_copy)) == body.encode()
