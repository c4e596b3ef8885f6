"""Evidence: adding by URL, background fetch of title/publisher with an archived copy."""

import zlib

import pytest

from claims.exceptions import InvalidInputError
from claims.models import EvidenceSource, Verdict
from claims.selectors.workspace import known_domains_for
from claims.services.evidence import evidence_add, evidence_fetch, evidence_remove
from tests.factories import ClaimFactory, EvidenceSourceFactory, KnownSourceDomainFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_fetch(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 5.0,
    }
    with LocalServer() as server:
        yield server


def test_add_creates_a_pending_source_and_enqueues_after_commit(
    reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = evidence_add(
            actor=reviewer,
            claim_id=claim.pk,
            url="https://destatis.example/press",
            stance="refutes",
            quote="Die Zahl sank.",
        )
    assert evidence.fetch_status == EvidenceSource.FetchStatus.PENDING
    assert evidence.verdict.claim_id == claim.pk
    assert evidence.verdict.status == Verdict.Status.DRAFT
    assert len(callbacks) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "not a url", ""])
def test_only_web_addresses(reviewer, url):
    with pytest.raises(InvalidInputError):
        evidence_add(actor=reviewer, claim_id=ClaimFactory().pk, url=url, stance="refutes")


def test_stance_must_be_known(reviewer):
    with pytest.raises(InvalidInputError):
        evidence_add(
            actor=reviewer, claim_id=ClaimFactory().pk, url="https://a.example/", stance="maybe"
        )


def test_fetch_fills_title_publisher_and_archives(reviewer, local_fetch):
    url = local_fetch.add_page("/report", "article_en.html")
    evidence = evidence_add(actor=reviewer, claim_id=ClaimFactory().pk, url=url, stance="supports")
    evidence_fetch(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.fetch_status == EvidenceSource.FetchStatus.DONE
    assert evidence.title.startswith("Hospital waiting lists fall")
    assert evidence.publisher == "The Northern Ledger"
    assert b"Hospital waiting lists" in zlib.decompress(bytes(evidence.archived_copy))
    assert evidence.archived_content_type == "text/html"
    assert evidence.accessed_at is not None
    # Idempotent: a second run neither fetches nor changes anything.
    seen = len(local_fetch.seen("/report"))
    evidence_fetch(evidence_id=evidence.pk)
    assert len(local_fetch.seen("/report")) == seen


def test_typed_title_wins_over_the_page(reviewer, local_fetch):
    url = local_fetch.add_page("/typed", "article_en.html")
    evidence = evidence_add(
        actor=reviewer,
        claim_id=ClaimFactory().pk,
        url=url,
        stance="supports",
        title="NHS England monthly statistics",
    )
    evidence_fetch(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.title == "NHS England monthly statistics"


def test_failed_fetch_is_recorded_not_raised(reviewer, local_fetch):
    url = local_fetch.add("/gone", status=404, body=b"nope")
    evidence = evidence_add(actor=reviewer, claim_id=ClaimFactory().pk, url=url, stance="context")
    evidence_fetch(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.fetch_status == EvidenceSource.FetchStatus.FAILED
    assert evidence.fetch_error


def test_private_addresses_are_never_fetched(reviewer, settings):
    # Without the test allowlist, 127.0.0.1 is refused by the safe fetcher.
    evidence = evidence_add(
        actor=reviewer,
        claim_id=ClaimFactory().pk,
        url="http://127.0.0.1:9/secret",
        stance="context",
    )
    evidence_fetch(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.fetch_status == EvidenceSource.FetchStatus.FAILED


def test_evidence_is_frozen_once_submitted(reviewer):
    evidence = EvidenceSourceFactory(verdict__status=Verdict.Status.IN_REVIEW)
    with pytest.raises(InvalidInputError):
        evidence_remove(actor=reviewer, evidence_id=evidence.pk)
    with pytest.raises(InvalidInputError):
        evidence_add(
            actor=reviewer,
            claim_id=evidence.verdict.claim_id,
            url="https://b.example/",
            stance="context",
        )


def test_known_source_domains_match_subdomains():
    KnownSourceDomainFactory(domain="destatis.de", reliability="high")
    KnownSourceDomainFactory(domain="www.rumours.example", reliability="low")
    found = known_domains_for(["presse.destatis.de", "rumours.example", "other.example"])
    assert found["presse.destatis.de"].domain == "destatis.de"
    assert found["rumours.example"].reliability == "low"
    assert "other.example" not in found
