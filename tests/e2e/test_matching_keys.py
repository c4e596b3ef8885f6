"""The claim page's matching panel in Chromium: loaded by htmx, "y" confirms, "n" rejects."""

from __future__ import annotations

import pytest

from claims.models import ClaimMatch
from tests.e2e.conftest import login
from tests.factories import ArticleFactory, ClaimFactory, UserFactory
from tests.matching.factories import ClaimMatchFactory, grouped

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_keys_confirm_and_reject_suggestions(new_page):
    UserFactory(username="rita", roles=["reviewer"])
    group = grouped(ClaimFactory(article=ArticleFactory(), text="Nordkorea testet nicht mehr."))
    claim = ClaimFactory(article=ArticleFactory(), text="Nordkorea hat nicht mehr getestet.")
    other = grouped(ClaimFactory(article=ArticleFactory(), text="Kim will verhandeln."))
    first = ClaimMatchFactory(claim=claim, group=group, score=0.9)
    second = ClaimMatchFactory(claim=claim, group=other, score=0.2, reason="0.41 similar")

    page = new_page()
    login(page, "rita")
    page.goto(f"/claims/{claim.pk}/")  # the claim page loads the panel with htmx
    page.wait_for_selector("[data-testid=suggestion]")
    assert page.locator("[data-testid=suggestion]").count() == 2

    page.keyboard.press("n")  # rejects the first (best) suggestion
    page.wait_for_selector("text=Rejected: this suggestion will not come back.")
    first.refresh_from_db()
    assert first.decision == ClaimMatch.Decision.REJECTED

    page.keyboard.press("y")  # the remaining one
    page.wait_for_selector("text=Confirmed: the claim joined the group.")
    second.refresh_from_db()
    claim.refresh_from_db()
    assert second.decision == ClaimMatch.Decision.ACCEPTED and claim.group_id == other.pk
    assert page.locator("[data-testid=suggestion]").count() == 0
    assert page.csp_errors == []
