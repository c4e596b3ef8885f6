"""`manage.py import_factchecks` against pages, sitemaps and dumps served by the local server."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import FactCheckSource, KnownFactCheck, RejectedFactCheck
from claims.services.factchecks.sources import FactCheckSourceError, factcheck_source_poll
from tests.ingest.server import PAGES_DIR, LocalServer

pytestmark = pytest.mark.django_db
FACTCHECKS = PAGES_DIR / "factchecks"
DATA = PAGES_DIR.parent / "data" / "factcheck_api"


@pytest.fixture
def server(local_fetch):
    with LocalServer() as srv:
        yield srv


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command(
        "import_factchecks", "--json", "--no-embed", *args, stdout=out, stderr=io.StringIO()
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


def sitemap(*pages: tuple[str, str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in pages)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def test_dump_file_json_contract():
    rows = run(str(FACTCHECKS / "datacommons_feed.json"))
    assert [set(r) for r in rows] == [
        {"url", "publisher", "claim_reviewed", "rating", "language", "status", "error"}
    ] * 3
    assert [r["status"] for r in rows] == ["imported", "imported", "rejected"]
    assert rows[0]["publisher"] == "Correctiv" and rows[0]["rating"] == "Falsch"
    assert rows[0]["language"] == "de" and rows[0]["error"] is None
    assert rows[2]["error"] == "no claimReviewed"
    assert [r["status"] for r in run(str(FACTCHECKS / "datacommons_feed.json"))] == [
        "unchanged",
        "unchanged",
        "rejected",
    ]


def test_html_file_with_its_address():
    [row] = run(
        "--url", "https://www.politifact.com/x/", str(FACTCHECKS / "politifact_array_en.html")
    )
    assert row["status"] == "imported"
    assert row["url"].startswith("https://www.politifact.com/factchecks/2016/")


@pytest.mark.parametrize(
    "name",
    [
        "correctiv_de.html",
        "fullfact_graph_en.html",
        "politifact_array_en.html",
        "microdata_de.html",
    ],
)
def test_real_world_markup_served_over_http(server, name):
    url = server.add_page(f"/fc/{name}", f"factchecks/{name}")
    [row] = run(url)
    assert row["status"] == "imported", row
    assert row["claim_reviewed"] and row["rating"] and row["publisher"]
    assert KnownFactCheck.objects.count() == 1


def test_bad_markup_over_http_is_rejected_not_a_crash(server):
    url = server.add_page("/fc/bad.html", "factchecks/bad_markup.html")
    rows = run(url)
    assert {r["status"] for r in rows} == {"rejected"}
    assert all(r["error"] for r in rows)
    assert RejectedFactCheck.objects.count() == 3
    assert not KnownFactCheck.objects.exists()


def test_changed_review_is_updated(server):
    page = (FACTCHECKS / "correctiv_de.html").read_text()
    url = server.add("/fc/changing.html", body=page.encode())
    assert [r["status"] for r in run(url)] == ["imported"]
    assert [r["status"] for r in run(url)] == ["unchanged"]
    corrected = page.replace('"alternateName": "Falsch"', '"alternateName": "Größtenteils falsch"')
    server.add("/fc/changing.html", body=corrected.encode())
    [row] = run(url)
    assert (row["status"], row["rating"]) == ("updated", "Größtenteils falsch")
    assert KnownFactCheck.objects.get().rating_label == "Größtenteils falsch"


def test_sitemap_url(server):
    a = server.add_page("/site/a.html", "factchecks/correctiv_de.html")
    b = server.add_page("/site/b.html", "factchecks/fullfact_graph_en.html")
    c = server.add_page("/site/c.html", "article_en.html")  # no ClaimReview on it
    url = server.add(
        "/site/sitemap.xml",
        body=sitemap((a, "2019-03-01"), (b, "2017-09-18"), (c, "")),
        content_type="application/xml",
    )
    rows = run(url)
    assert sorted(r["status"] for r in rows) == ["imported", "imported", "rejected"]
    assert any(r["error"] == "no ClaimReview markup on the page" for r in rows)


def test_unreadable_source_exits_non_zero(server):
    missing = server.url("/nothing-here")
    with pytest.raises(CommandError) as caught:
        run(str(FACTCHECKS / "datacommons_feed.json"), missing, "/no/such/file.json")
    assert caught.value.returncode == 1
    assert "2 of 3" in str(caught.value)
    assert KnownFactCheck.objects.count() == 2  # the readable source was imported


def test_urls_go_through_the_ssrf_safe_fetcher(settings):
    # Without the test allowlist, 127.0.0.1 is refused like any private address.
    with LocalServer() as srv:
        url = srv.add_page("/fc/a.html", "factchecks/correctiv_de.html")
        with pytest.raises(CommandError):
            run(url)
        assert srv.requests == []


def test_sitemap_source_polls_new_and_changed_pages_only(server):
    a = server.add_page("/poll/a.html", "factchecks/correctiv_de.html")
    b = server.add_page("/poll/b.html", "factchecks/fullfact_graph_en.html")
    server.add("/poll/sitemap.xml", body=sitemap((a, "1"), (b, "1")), content_type="text/xml")
    source = FactCheckSource.objects.create(
        name="Checkers", kind="sitemap", url=server.url("/poll/sitemap.xml")
    )
    assert len(factcheck_source_poll(source_id=source.pk)) == 2
    assert len(server.seen("/poll/a.html")) == 1

    c = server.add_page("/poll/c.html", "factchecks/microdata_de.html")
    server.add(
        "/poll/sitemap.xml", body=sitemap((a, "2"), (b, "1"), (c, "1")), content_type="text/xml"
    )
    outcomes = factcheck_source_poll(source_id=source.pk)
    assert len(outcomes) == 2  # a changed, c new; b not fetched again
    assert len(server.seen("/poll/a.html")) == 2
    assert len(server.seen("/poll/b.html")) == 1
    source.refresh_from_db()
    assert source.last_polled_at is not None and source.last_error == ""
    assert KnownFactCheck.objects.filter(source=source).count() == 3


def test_failing_source_records_its_error(server):
    source = FactCheckSource.objects.create(
        name="Gone", kind="feed", url=server.url("/poll/missing.xml")
    )
    with pytest.raises(FactCheckSourceError):
        factcheck_source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert source.last_error


def test_fact_check_tools_api_against_recorded_answers(server, settings):
    def answer(handler):
        page = (
            "claims_search_page2.json"
            if "pageToken=CAE" in handler.path
            else ("claims_search_page1.json")
        )
        body = (DATA / page).read_bytes()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server.add("/v1alpha1/claims:search", handler=answer)
    settings.CLAIMTRACKER_FACTCHECK_API_KEY = "test-key"
    settings.CLAIMTRACKER_FACTCHECK_API_URL = server.url("/v1alpha1/claims:search")
    source = FactCheckSource.objects.create(
        name="Google", kind="api", url="https://factchecktools.googleapis.com/", query="Haushalt"
    )
    outcomes = factcheck_source_poll(source_id=source.pk)
    assert [o.status for o in outcomes] == ["imported", "imported", "rejected"]
    fc = KnownFactCheck.objects.get(publisher_name="Correctiv")
    assert (fc.rating_label, fc.language, fc.claimant) == ("Falsch", "de", "Facebook-Nutzer")
    assert fc.publisher_url == "https://correctiv.org/"
    seen = [r.path for r in server.requests if r.path.startswith("/v1alpha1")]
    assert len(seen) == 2 and all("key=test-key" in p and "query=Haushalt" in p for p in seen)


def test_api_source_without_key_fails_clearly(settings):
    settings.CLAIMTRACKER_FACTCHECK_API_KEY = ""
    source = FactCheckSource.objects.create(name="G", kind="api", url="https://x.example/")
    with pytest.raises(FactCheckSourceError, match="API key"):
        factcheck_source_poll(source_id=source.pk)


def test_due_sources_are_queued_on_schedule(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from claims.services.factchecks.sources import factcheck_sources_poll_due

    now = timezone.now()
    due = FactCheckSource.objects.create(name="a", kind="sitemap", url="https://a.example/s.xml")
    FactCheckSource.objects.create(
        name="recent",
        kind="feed",
        url="https://b.example/feed",
        last_polled_at=now - timedelta(minutes=5),
    )
    FactCheckSource.objects.create(
        name="off", kind="sitemap", url="https://c.example/s.xml", active=False
    )
    FactCheckSource.objects.create(name="dump", kind="dump", path="/srv/dump.json")
    with django_capture_on_commit_callbacks() as callbacks:
        assert factcheck_sources_poll_due(now=now) == [due.pk]
    assert len(callbacks) == 1
