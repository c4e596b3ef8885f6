"""The README's promise, in German: the demo accounts work a seed-article claim to a published
verdict and its public page (load_demo's data, the real NLP pipeline)."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Verdict
from claims.services.demo import demo_load, seed_path
from tests.e2e import data
from tests.e2e.conftest import login, shot
from tests.ingest.server import LocalServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def local_pages(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 5.0,
    }
    with LocalServer() as server:
        yield server


def test_demo_accounts_publish_a_seed_claim_in_german(new_page, local_pages):
    if not seed_path().is_file():
        pytest.fail(f"seed article missing at {seed_path()}")
    data.ensure_roles()
    result = demo_load()
    assert result["verdict"].status == Verdict.Status.PUBLISHED  # the demo's own verdict
    claim = (
        Claim.objects.filter(article=result["article"], status=Claim.Status.NEW)
        .order_by("-score")
        .first()
    )

    reviewer = new_page(locale="de-DE")  # the browser asks for German
    login(reviewer, "reviewer", "reviewer")
    expect(reviewer.locator("h1")).to_have_text("Behauptungen zur Sichtung")
    # The queue shows the standalone statement first (the sentence is its evidence).
    expect(reviewer.locator("tr.queue-row").first).to_contain_text(
        (claim.standalone or claim.text)[:40]
    )
    reviewer.keyboard.press("j")
    reviewer.keyboard.press("Enter")
    reviewer.wait_for_url(f"**/claims/{claim.pk}/")
    reviewer.click("[data-testid=select-claim]")
    expect(reviewer.locator("[data-testid=claim-status]")).to_have_text("zur Prüfung ausgewählt")
    url = local_pages.add_page("/quelle", "article_de.html")
    reviewer.fill("#id_url", url)
    reviewer.select_option("#id_stance", "context")
    reviewer.click(".evidence-form button[type=submit]")
    expect(reviewer.locator("[data-testid=archive-link]")).to_be_visible(timeout=15_000)
    reviewer.select_option("#id_rating_label", label="Fehlender Kontext")
    reviewer.fill("#id_summary", "Fehlender Kontext: Die Aussage lässt Wesentliches weg.")
    reviewer.fill("#id_explanation", "Die Quelle zeigt den **Zusammenhang**.")
    reviewer.click("[data-testid=submit-verdict]")
    expect(reviewer.locator("[data-testid=verdict-status]")).to_have_text("in Prüfung")

    editor = new_page(locale="de-DE")
    login(editor, "editor", "editor")
    editor.click("nav >> text=Wartet auf Freigabe")
    editor.locator("tbody tr a", has_text=(claim.standalone or claim.text)[:30]).click()
    editor.click("[data-testid=preview-publish]")
    expect(editor.frame_locator("[data-testid=preview-frame]").locator("body")).to_contain_text(
        "Fehlender Kontext"
    )
    editor.click("[data-testid=confirm-publish]")
    expect(editor.locator(".message-success")).to_contain_text("Veröffentlicht")
    editor.click("[data-testid=public-link]")
    expect(editor).to_have_url(re.compile(r"/verdicts/[a-z0-9-]+/$"))
    expect(editor.locator("body")).to_contain_text("Fehlender Kontext")
    shot(editor, "public-verdict-de.png", full_page=True)
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.PUBLISHED
