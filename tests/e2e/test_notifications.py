"""The inbox in the browser: the unread count in the top bar, following a claim group, marking
read, the settings page."""

import re

import pytest
from playwright.sync_api import expect

from claims.services.claims import claim_assign
from tests.e2e.conftest import login, shot, unlabelled_controls
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    OutletFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_inbox_badge_follow_and_mark_read(new_page):
    rita = UserFactory(username="rita", roles=["reviewer"])
    eddie = UserFactory(username="eddie", roles=["editor"])
    claim = ClaimFactory(
        article=ArticleFactory(outlet=OutletFactory(name="taz"), status="done"),
        group=ClaimGroupFactory(),
        text="Die Mieten stiegen 2024 um 12 Prozent.",
    )
    claim_assign(actor=eddie, claim_id=claim.pk, assignee_id=rita.pk)

    page = new_page()
    login(page, "rita")
    badge = page.get_by_test_id("unread-count")
    expect(badge).to_have_text("1")  # loaded by htmx after the page
    shot(page, "inbox-badge.png")
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("eddie assigned a claim to you")
    assert unlabelled_controls(page) == []
    shot(page, "inbox.png")
    page.get_by_role("link", name="eddie assigned a claim to you").click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/$"))
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    page.get_by_test_id("follow-group").click()
    expect(page.get_by_test_id("unfollow-group")).to_be_visible()
    page.get_by_role("link", name="Watchlist").click()
    expect(page.get_by_test_id("watchlist")).to_contain_text("Group")
    page.goto("/notifications/settings/")
    page.uncheck("#email_alert_watch")
    page.get_by_test_id("save-notification-settings").click()
    expect(page.locator("#email_alert_watch")).not_to_be_checked()
    assert page.csp_errors == []
