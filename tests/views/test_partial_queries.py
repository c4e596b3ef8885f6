"""The claim page's htmx partials read through claims/selectors/partials.py: a fixed number of
queries whatever the row counts, and the polled evidence list selects only what it shows."""

import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Verdict
from tests.factories import (
    ClaimFactory,
    ClaimNoteFactory,
    EvidenceSourceFactory,
    KnownSourceDomainFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db

# Columns the evidence list never shows: the stored pages (megabytes each) and the article.
UNSHOWN = ("archived_copy", "pending_copy", "raw_page", '"claims_article"', "embedding")


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


def _evidence(verdict, n, **fields):
    return EvidenceSourceFactory.create_batch(
        n,
        verdict=verdict,
        archived_copy=zlib.compress(b"<html>" + b"x" * 50_000 + b"</html>"),
        archived_content_type="text/html",
        pending_copy=zlib.compress(b"<html>newer</html>"),
        **fields,
    )


def test_polled_evidence_list_selects_only_what_it_shows(client, reviewer, rating_scale):
    client.force_login(reviewer)
    label = rating_scale.labels.get(name="False")
    verdict = VerdictFactory(rating_label=label, author=reviewer)
    _evidence(verdict, 1, url="https://www.bbc.co.uk/news/1", fetch_status="pending")
    KnownSourceDomainFactory(domain="bbc.co.uk", name="BBC")
    url = reverse("claims:evidence_list", args=[verdict.claim_id])
    client.get(url)  # the first request of a session may touch the session row

    response, few = _get(client, url, HTTP_HX_REQUEST="true")
    _evidence(verdict, 12, fetch_status="done")
    response, many = _get(client, url, HTTP_HX_REQUEST="true")

    assert len(many) == len(few) == EVIDENCE_LIST_QUERIES
    for sql in many:
        for column in UNSHOWN:
            assert column not in sql, (column, sql)
    html = response.content.decode()
    assert html.count('data-testid="evidence-item"') == 13
    assert 'hx-trigger="every 2s"' in html  # still polling: one source is pending
    assert 'data-testid="known-source"' in html and "BBC" in html
    assert html.count('data-testid="archive-link"') == 0  # archived_at not set by the factory
    assert "evidence/" in html and "/delete/" in html  # a draft's sources can be removed


def test_evidence_list_of_a_published_verdict_offers_no_changes(
    client, reviewer, rating_scale, django_assert_num_queries
):
    client.force_login(reviewer)
    label = rating_scale.labels.get(name="False")
    verdict = VerdictFactory(
        rating_label=label, author=reviewer, status=Verdict.Status.PUBLISHED, slug="v"
    )
    _evidence(verdict, 3)
    url = reverse("claims:evidence_list", args=[verdict.claim_id])
    client.get(url)
    with django_assert_num_queries(EVIDENCE_LIST_QUERIES):
        html = client.get(url).content.decode()
    assert html.count('data-testid="evidence-item"') == 3
    assert "/delete/" not in html
    assert "hx-trigger" not in html  # nothing pending: polling stops


def test_evidence_list_without_verdict_and_of_an_unknown_claim(client, reviewer):
    client.force_login(reviewer)
    claim = ClaimFactory()
    url = reverse("claims:evidence_list", args=[claim.pk])
    client.get(url)
    response, queries = _get(client, url)
    assert len(queries) == EVIDENCE_LIST_QUERIES - 2  # no evidence or known-domain reads
    assert "No evidence yet" in response.content.decode()
    missing = reverse("claims:evidence_list", args=[claim.pk + 1000])
    assert client.get(missing).status_code == 404


def test_notes_partial_is_fixed_whatever_the_note_count(client, reviewer):
    client.force_login(reviewer)
    claim = ClaimFactory()
    url = reverse("claims:claim_note", args=[claim.pk])

    def post(text):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, {"text": text}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return response, [q["sql"] for q in ctx.captured_queries]

    post("warm-up")
    _response, few = post("Second note.")
    ClaimNoteFactory.create_batch(10, claim=claim)
    response, many = post("Asked the ministry.")
    assert len(many) == len(few)
    reads = [sql for sql in many if sql.lstrip().upper().startswith("SELECT")]
    partial = reads[-2:]  # the claim and its notes with their authors
    assert '"claims_claimnote"' in partial[1] and "auth_user" in partial[1]
    assert "embedding" not in partial[0] and '"claims_claim"."text"' not in partial[0]
    assert response.content.decode().count('class="note-meta"') == 13


# Session and user (2), the user's and its groups' permissions (2), the claim joined with its
# verdict, the evidence, the known source domains.
EVIDENCE_LIST_QUERIES = 7
