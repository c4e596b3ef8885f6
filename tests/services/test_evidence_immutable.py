"""Published evidence is immutable: a reviewer's refetch makes a new version, shown only after an
editor's correction adopts it (issue #17, security 6)."""

from __future__ import annotations

import zlib

import pytest

from claims.models import EvidenceSource, Verdict
from claims.services.evidence import evidence_fetch, evidence_refetch
from claims.services.verdicts import verdict_correct
from tests.factories import EvidenceSourceFactory, PublishedVerdictFactory, VerdictFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db

ARCHIVED = b"<html><body><p>The figures as published in May.</p></body></html>"
REWRITTEN = b"<html><body><p>Rewritten.</p></body></html>"


@pytest.fixture
def tampering_server(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }
    with LocalServer() as srv:
        srv.add("/report", body=REWRITTEN)
        yield srv


def _evidence(verdict: Verdict, url: str) -> EvidenceSource:
    return EvidenceSourceFactory(
        verdict=verdict,
        url=url,
        archived_copy=zlib.compress(ARCHIVED),
        archived_content_type="text/html",
    )


def _archive(client, evidence: EvidenceSource) -> bytes:
    url = f"/verdicts/{evidence.verdict.slug}/evidence/{evidence.pk}/archive/"
    return client.get(url).content


def test_a_refetch_of_published_evidence_is_shown_only_after_an_editors_correction(
    client, reviewer, editor, tampering_server
):
    evidence = _evidence(PublishedVerdictFactory(), tampering_server.url("/report"))

    evidence_refetch(actor=reviewer, evidence_id=evidence.pk)
    evidence_fetch(evidence_id=evidence.pk)

    assert _archive(client, evidence) == ARCHIVED  # readers still see what was decided on
    evidence.refresh_from_db()
    assert zlib.decompress(bytes(evidence.pending_copy)) == REWRITTEN

    verdict = evidence.verdict
    correction = verdict_correct(
        actor=editor, verdict_id=verdict.pk, version=verdict.version, note="Quelle aktualisiert.",
        rating_label_id=verdict.rating_label_id, summary=verdict.summary,
        explanation=verdict.explanation,
    )  # fmt: skip

    assert f"evidence {evidence.pk}" in correction.changes
    assert _archive(client, evidence) == REWRITTEN
    evidence.refresh_from_db()
    assert evidence.pending_copy is None


def test_a_refetch_queued_before_publication_does_not_replace_the_archive(
    client, reviewer, tampering_server
):
    verdict = VerdictFactory(status=Verdict.Status.DRAFT)
    evidence = _evidence(verdict, tampering_server.url("/report"))
    evidence_refetch(actor=reviewer, evidence_id=evidence.pk)  # allowed: still a draft
    Verdict.objects.filter(pk=verdict.pk).update(
        status=Verdict.Status.PUBLISHED, slug="published-meanwhile"
    )

    evidence_fetch(evidence_id=evidence.pk)  # the queued task runs after publication

    evidence.refresh_from_db()
    assert evidence.fetch_status == EvidenceSource.FetchStatus.DONE
    assert _archive(client, evidence) == ARCHIVED
    assert zlib.decompress(bytes(evidence.pending_copy)) == REWRITTEN


def test_a_draft_can_still_refetch_its_evidence(reviewer, tampering_server):
    evidence = _evidence(
        VerdictFactory(status=Verdict.Status.DRAFT), tampering_server.url("/report")
    )

    evidence_refetch(actor=reviewer, evidence_id=evidence.pk)
    evidence_fetch(evidence_id=evidence.pk)

    evidence.refresh_from_db()
    assert (
        zlib.decompress(bytes(evidence.archived_copy))
        == b"<html><body><p>Rewritten.</p></body></html>"
    )
