"""Journeys 1–5 of the reviewer workspace in headless Chromium, plus German and tablet runs.

Each journey saves a screenshot of its main screen (to docs/screenshots/, shown in the README, when
run with CLAIMTRACKER_SCREENSHOTS=docs/screenshots).
"""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, EvidenceSource, SavedFilter, Verdict
from tests.e2e import data
from tests.e2e.conftest import login, logout, shot, unlabelled_controls
from tests.factories import KnownSourceDomainFactory
from tests.ingest.server import LocalServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def local_pages(settings):
    """A local web server for evidence pages; the safe fetcher may reach it only in tests."""
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 5.0,
    }
    with LocalServer() as server:
        yield server


def rows(page):
    return page.locator("tr.queue-row")


def test_reviewer_queue_triage_research_and_verdict(new_page, local_pages):
    d = data.desk()
    main, others = d["main"], d["others"]
    KnownSourceDomainFactory(
        domain="127.0.0.1",
        name="Local statistics office",
        reliability="high",
        note="Publishes the monthly waiting-list data.",
    )
    page = new_page()

    # Journey 1: the queue, ranked by check-worthiness, with filters in the URL.
    login(page, "rita")
    expect(page.locator("h1")).to_have_text("Claim queue")
    expect(rows(page)).to_have_count(6)
    expect(rows(page).first).to_contain_text("Nordkorea seit mehr als einem Jahr")
    expect(rows(page).first).to_contain_text("ZEIT ONLINE")
    expect(rows(page).first).to_contain_text("93")
    shot(page, "queue.png")
    assert unlabelled_controls(page) == []

    page.select_option("#id_language", "en")  # htmx swaps the results and pushes the URL
    expect(rows(page)).to_have_count(3)
    expect(page).to_have_url(re.compile(r"language=en"))
    page.fill("#saved-filter-name", "English")
    page.click(".save-filter button")
    expect(page.locator(".saved-filters")).to_contain_text("English")
    assert "language=en" in SavedFilter.objects.get(user=d["rita"]).query
    page.click("text=Reset")
    page.fill("#id_q", "Inflation")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("5,9 Prozent")
    page.goto("/queue/")

    # Keyboard: j/k move, a assigns to me, d dismisses with a reason, Enter opens.
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows(page).nth(1)).to_have_class(re.compile("is-current"))
    page.keyboard.press("a")
    expect(page.locator(".message-success")).to_contain_text("Assignment saved.")
    assert Claim.objects.get(pk=others[0].pk).assignee == d["rita"]
    expect(rows(page).nth(1)).to_contain_text("@rita")
    page.locator("tr.queue-row", has_text="waste of time").click(position={"x": 5, "y": 5})
    page.keyboard.press("d")
    expect(page.locator("#dismiss-dialog")).to_be_visible()
    page.select_option("#dismiss-dialog-reason", "opinion")
    page.keyboard.press("Enter")  # confirms from the reason list
    expect(page.locator(".message-success")).to_contain_text("Claim dismissed.")
    expect(rows(page)).to_have_count(5)
    assert Claim.objects.get(pk=others[4].pk).dismiss_reason == "opinion"

    # Bulk: dismiss the two English claims as out of scope.
    for text in ("Hospital waiting lists", "Unemployment"):
        page.locator("tr.queue-row", has_text=text).locator("input[type=checkbox]").check()
    page.select_option("#bulk-reason", "out_of_scope")
    page.click("[data-testid=bulk-dismiss]")
    expect(page.locator(".message-success")).to_contain_text("2 claims updated.")
    expect(rows(page)).to_have_count(3)

    # Journey 2: triage. Open the top claim with the keyboard.
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(rows(page).first).to_have_class(re.compile("is-current"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claims/{main.pk}/")
    sentence = page.locator("[data-testid=claim-sentence]")
    expect(sentence).to_contain_text("seit mehr als einem Jahr")
    expect(sentence.locator(".mention-entity").first).to_contain_text("Trump")
    expect(sentence.locator(".mention-number")).to_contain_text("mehr als einem Jahr")
    expect(page.locator(".claim-context")).to_contain_text("keinen Durchbruch gebracht")
    expect(page.locator("#article-heading + .article-title")).to_contain_text("Nordkorea-Gipfel")
    page.click("[data-testid=select-claim]")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("selected for checking")
    shot(page, "claim.png", full_page=True)
    assert unlabelled_controls(page) == []

    # Journey 3: research. Assign, note (htmx, no reload), evidence fetched in the background.
    page.select_option("#assign-to", "me")
    page.click(".assign-form button")
    expect(page.locator("[data-testid=assignee]")).to_have_text("rita")
    page.fill("#id_note_text", "Checked the CTBTO list of nuclear tests.")
    page.click("#notes-list button")
    expect(page.locator("#notes-list .notes")).to_contain_text("CTBTO list of nuclear tests")

    # Journey 4 (validation): no submission without evidence.
    page.select_option("#id_rating_label", label="Richtig")
    page.fill("#id_summary", "Richtig: Der letzte Atomtest war im September 2017.")
    page.fill("#id_explanation", "Der **letzte** Test war 2017. <script>alert('x')</script>")
    page.click("[data-testid=submit-verdict]")
    expect(page.locator(".message-error")).to_contain_text("Add at least one evidence source")
    expect(page.locator("#id_summary")).to_have_value(
        "Richtig: Der letzte Atomtest war im September 2017."
    )

    url = local_pages.add_page("/waiting-lists", "article_en.html")
    page.fill("#id_url", url)
    page.select_option("#id_stance", "supports")
    page.fill("#id_quote", "Waiting lists fell for the third month.")
    page.click(".evidence-form button[type=submit]")
    item = page.locator("[data-testid=evidence-item]").first
    # Fetched in the background (eager in tests); htmx polls until the title is in.
    expect(item).to_contain_text("Hospital waiting lists fall", timeout=15_000)
    expect(item).to_contain_text("The Northern Ledger")
    expect(item.locator("[data-testid=known-source]")).to_contain_text("waiting-list data")
    expect(item.locator("[data-testid=archive-link]")).to_be_visible()
    assert EvidenceSource.objects.get().fetch_status == "done"
    shot(page, "verdict-form.png", full_page=True)

    # Journey 4: submit for review.
    page.click("[data-testid=submit-verdict]")
    expect(page.locator(".message-success")).to_contain_text("Submitted for review")
    expect(page.locator("[data-testid=verdict-status]")).to_have_text("in review")
    expect(page.locator(".explanation strong")).to_have_text("letzte")
    assert "<script" not in page.locator(".explanation").inner_html()
    expect(page.locator("[data-testid=audit]")).to_contain_text("rita")
    assert page.csp_errors == []


def test_editor_sends_back_publishes_and_corrects(new_page):
    d = data.desk()
    verdict = data.in_review(d)
    claim = d["main"]

    # Journey 5: the editor sees what awaits review and sends it back with a comment.
    editor = new_page()
    login(editor, "eddie")
    editor.click("nav >> text=Awaiting review")
    expect(editor.locator("h1")).to_have_text("Verdicts awaiting review")
    expect(editor.locator("tbody tr")).to_contain_text("Nordkorea")
    shot(editor, "editor-review.png")
    editor.click("tbody tr a")
    expect(editor.locator("[data-testid=editor-panel]")).to_be_visible()
    expect(editor.locator("[data-testid=known-source]")).to_contain_text("Sourced chronologies")
    shot(editor, "editor-decision.png", full_page=True)
    assert unlabelled_controls(editor) == []
    editor.fill("#id_comment", "Bitte die CTBTO-Quelle ergänzen.")
    editor.click("[data-testid=send-back]")
    expect(editor.locator(".message-success")).to_contain_text("Sent back")

    # The reviewer sees the comment, revises and resubmits.
    reviewer = new_page()
    login(reviewer, "rita")
    reviewer.goto(f"/claims/{claim.pk}/")
    expect(reviewer.locator("[data-testid=review-comment]")).to_contain_text("CTBTO-Quelle")
    reviewer.fill("#id_summary", "Richtig: Der letzte Atomtest war am 3. September 2017.")
    reviewer.click("[data-testid=submit-verdict]")
    expect(reviewer.locator("[data-testid=verdict-status]")).to_have_text("in review")

    # The editor previews exactly what will be public, then confirms: the verdict gets its
    # public page. The author has no approve button.
    expect(reviewer.locator("[data-testid=preview-publish]")).to_have_count(0)
    editor.goto(f"/claims/{claim.pk}/")
    editor.click("[data-testid=preview-publish]")
    expect(editor.locator("h1")).to_contain_text("Preview and publish")
    frame = editor.frame_locator("[data-testid=preview-frame]")
    expect(frame.locator("h1")).to_contain_text("Nordkorea")
    expect(frame.locator(".summary")).to_contain_text("3. September 2017")
    expect(editor.locator("[data-testid=claimreview-json]")).to_contain_text('"ClaimReview"')
    expect(editor.locator("[data-testid=atom-entry]")).to_contain_text('<entry xml:lang="de">')
    shot(editor, "publish-preview.png", full_page=True)
    editor.click("[data-testid=confirm-publish]")
    expect(editor.locator(".message-success")).to_contain_text("Published")
    expect(editor.locator("[data-testid=verdict-status]")).to_have_text("published")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED and verdict.slug
    public_href = editor.locator("[data-testid=public-link]").get_attribute("href")
    assert public_href == f"/verdicts/{verdict.slug}/"

    # A correction needs a note; it appears with its date on the claim and the public page.
    editor.click("text=Correct this verdict")
    editor.fill("#id_note", "")
    editor.click("[data-testid=publish-correction]")
    expect(editor.locator(".correction .field-error")).to_be_visible()
    editor.fill("#id_note", "Datum des Atomtests präzisiert.")
    editor.fill("#id_summary", "Richtig: Der letzte Atomtest war am 3. September 2017 (CTBTO).")
    editor.click("[data-testid=publish-correction]")
    expect(editor.locator(".message-success")).to_contain_text("Correction published")
    expect(editor.locator("[data-testid=corrections]")).to_contain_text(
        "Datum des Atomtests präzisiert."
    )
    expect(editor.locator("[data-testid=audit]")).to_contain_text("eddie")

    editor.goto(public_href)
    expect(editor.locator("body")).to_contain_text("Richtig")
    expect(editor.locator("body")).to_contain_text("Datum des Atomtests präzisiert.")
    shot(editor, "public-verdict.png", full_page=True)
    editor.goto("/queue/")
    logout(editor)
    expect(editor).to_have_url(re.compile(r"/accounts/login/"))
    assert editor.csp_errors == [] and reviewer.csp_errors == []


def test_german_interface_and_tablet_width(new_page):
    d = data.desk()
    page = new_page(width=820, height=1180)
    login(page, "rita")
    page.select_option("#lang-select", "de")
    page.click("[data-testid=lang-switch]")
    expect(page.locator("h1")).to_have_text("Behauptungen zur Sichtung")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(rows(page)).to_have_count(6)
    shot(page, "queue-tablet-de.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "queue-de.png")
    page.locator("tr.queue-row a").first.click()
    page.click("[data-testid=select-claim]")
    expect(page.locator(".message-success")).to_contain_text("Zur Prüfung ausgewählt.")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("zur Prüfung ausgewählt")
    page.select_option("#dismiss-reason", "duplicate")
    page.click(".dismiss-form button")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("verworfen")
    expect(page.locator("#history")).to_contain_text("Änderungsverlauf")
    shot(page, "claim-de.png")
    assert Claim.objects.get(pk=d["main"].pk).dismiss_reason == "duplicate"


def test_two_people_editing_the_same_verdict(new_page):
    d = data.desk()
    claim = d["main"]
    first, second = new_page(), new_page()
    login(first, "rita")
    login(second, "rob")
    for page in (first, second):
        page.goto(f"/claims/{claim.pk}/")
    first.fill("#id_summary", "Rita's version")
    first.click("text=Save draft")
    expect(first.locator(".message-success")).to_contain_text("Draft saved.")
    # Rob's form was loaded before Rita saved: his save is refused, his text kept.
    second.fill("#id_summary", "Rob's version")
    second.click("text=Save draft")
    expect(second.locator("[data-testid=verdict-errors]")).to_contain_text(
        "Someone else changed this verdict"
    )
    expect(second.locator("#id_summary")).to_have_value("Rob's version")
    shot(second, "conflict.png")
    assert Verdict.objects.get(claim=claim).summary == "Rita's version"
