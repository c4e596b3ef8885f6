"""The claim page's "checked elsewhere" panel in Chromium: "c" confirms, "r" rejects the first
unreviewed known fact-check; a confirmed one is cited as evidence in one click; German too."""

from __future__ import annotations

import pytest

from claims.models import EvidenceSource, KnownFactCheckMatch
from tests.e2e.conftest import login
from tests.factchecks.factories import KnownFactCheckMatchFactory
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_keys_confirm_reject_and_cite(new_page):
    UserFactory(username="rita", roles=["reviewer"])
    claim = ClaimFactory(article=ArticleFactory(), text="Nordkorea hat nicht mehr getestet.")
    first = KnownFactCheckMatchFactory(claim=claim, score=0.95)
    second = KnownFactCheckMatchFactory(
        claim=claim,
        score=0.4,
        level="suggested",
        factcheck__publisher_name="Full Fact",
        factcheck__rating_label="Incorrect",
    )

    page = new_page()
    login(page, "rita")
    page.goto(f"/claims/{claim.pk}/")
    page.wait_for_selector("[data-testid=factcheck-match]")
    assert "checked by Correctiv, 2019-03-01: Falsch" in " ".join(
        page.locator("[data-testid=checked-elsewhere]").first.inner_text().split()
    )

    page.keyboard.press("r")  # rejects the first (best) unreviewed fact-check
    page.wait_for_selector("text=Rejected: this fact-check will not be shown again.")
    first.refresh_from_db()
    assert first.decision == KnownFactCheckMatch.Decision.REJECTED

    page.keyboard.press("c")  # the remaining one
    page.wait_for_selector("text=Confirmed: this fact-check is about the same claim.")
    second.refresh_from_db()
    assert second.decision == KnownFactCheckMatch.Decision.ACCEPTED

    page.click("[data-testid=cite-factcheck]")
    page.wait_for_selector("text=Cited as evidence on the verdict draft.")
    assert EvidenceSource.objects.get().url == second.factcheck.url
    assert page.csp_errors == []


def test_checked_elsewhere_in_german(new_page):
    UserFactory(username="rita", roles=["reviewer"])
    match = KnownFactCheckMatchFactory(claim=ClaimFactory(article=ArticleFactory()))
    page = new_page(locale="de-DE")
    login(page, "rita")
    page.goto(f"/claims/{match.claim_id}/")
    page.wait_for_selector("[data-testid=checked-elsewhere]")
    text = " ".join(page.locator("[data-testid=checked-elsewhere]").inner_text().split())
    assert "Correctiv, 2019-03-01" in text and "Falsch" in text
    assert page.locator("html").get_attribute("lang") == "de"
