"""In the browser (issue #14): a refused form opens with its error in view and its field
focused, without any script of ours; an article's page follows its processing by itself and
shows the claims when they are there."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Article, Verdict
from tests.e2e import data
from tests.e2e.conftest import login, shot
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IN_VIEW_JS = """(id) => {
  const r = document.getElementById(id).getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight; }"""


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_incomplete_verdict_opens_at_the_missing_field(new_page):
    d = data.desk()
    page = new_page(height=700)
    login(page, "rita")
    page.goto(f"/claims/{d['main'].pk}/")
    page.click("[data-testid=submit-verdict]")
    expect(page.locator("[data-testid=error-rating_label]")).to_have_text(
        "Choose a rating to submit."
    )
    expect(page.locator("[data-testid=error-summary]")).to_be_visible()
    assert _focused_id(page) == "id_rating_label"
    assert page.evaluate(IN_VIEW_JS, "id_rating_label")
    assert page.evaluate(IN_VIEW_JS, "id_rating_label-error")
    expect(page.locator("[data-testid=verdict-errors]")).to_contain_text("The draft is saved")
    shot(page, "verdict-form-errors.png")
    assert Verdict.objects.get(claim=d["main"]).status == Verdict.Status.DRAFT
    assert page.csp_errors == []


def test_empty_correction_note_opens_at_the_note(new_page):
    d = data.desk()
    verdict = data.in_review(d)
    verdict.status = Verdict.Status.PUBLISHED
    verdict.published_at = timezone.now()
    verdict.slug = "atomtests"
    verdict.save()
    page = new_page(height=700)
    login(page, "eddie")
    page.goto(f"/claims/{d['main'].pk}/")
    page.click("details.correction summary")
    page.click("[data-testid=publish-correction]")
    expect(page.locator("[data-testid=error-note]")).to_have_text("This field is required.")
    assert _focused_id(page) == "id_note"
    assert page.evaluate(IN_VIEW_JS, "id_note")
    assert page.csp_errors == []


def test_article_page_follows_the_processing_until_the_claims_appear(new_page):
    d = data.desk()
    article = ArticleFactory(status=Article.Status.QUEUED, title="Haushalt 2025", outlet=None)
    page = new_page()
    login(page, "rita")
    page.goto(f"/articles/{article.pk}/")
    status = page.locator("[data-testid=article-status]")
    expect(status).to_have_text("Waiting for a worker")
    expect(page.locator("progress")).to_have_attribute("value", "1")

    Article.objects.filter(pk=article.pk).update(status=Article.Status.EXTRACTING)
    expect(status).to_have_text("Finding the claims")  # the partial polled by htmx
    shot(page, "article-progress.png")

    ClaimFactory(article=article, text="Der Bund gibt 2025 480 Milliarden Euro aus.", score=0.9)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DONE)
    expect(page.get_by_text("Der Bund gibt 2025 480 Milliarden Euro aus.")).to_be_visible()
    expect(status).to_have_text("done")
    expect(page.locator("progress")).to_have_count(0)
    assert d["rita"].username == "rita"
    assert page.csp_errors == []


def test_queue_forms_show_their_errors_in_view_and_keep_the_filter(new_page):
    from claims.models import Claim, SavedFilter

    data.desk()
    page = new_page(height=700)
    login(page, "rita")
    page.goto("/queue/?language=de")
    # Bulk action with nothing chosen: the form's message, focused, above the bar.
    page.click("[data-testid=bulk-dismiss]")
    expect(page.locator("[data-testid=bulk-errors]")).to_contain_text("Select at least one claim.")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "bulk-errors"
    assert page.evaluate(IN_VIEW_JS, "bulk-reason")
    # A name of blanks: the error beside the field, focused.
    page.fill("#saved-filter-name", "   ")
    page.click(".save-filter button[type=submit]")
    expect(page.locator("[data-testid=error-saved-filter-name]")).to_have_text(
        "Give the filter a name."
    )
    assert _focused_id(page) == "saved-filter-name"
    assert page.evaluate(IN_VIEW_JS, "id_name-error")
    # From the page shown again, both forms still work on the filtered queue.
    page.fill("#saved-filter-name", "Deutsch")
    page.click(".save-filter button[type=submit]")
    expect(page.locator(".message-success")).to_contain_text("Filter saved.")
    assert SavedFilter.objects.get(name="Deutsch").query == "language=de"
    page.click("[data-testid=bulk-dismiss]")
    expect(page.locator("[data-testid=bulk-errors]")).to_be_visible()
    page.locator("tr.queue-row input[type=checkbox]").first.check()
    page.click("[data-testid=bulk-dismiss]")
    expect(page.locator(".message-success")).to_contain_text("1 claim updated.")
    assert page.url.endswith("/queue/?language=de")
    assert Claim.objects.filter(status="dismissed").count() == 1
    assert page.csp_errors == []
