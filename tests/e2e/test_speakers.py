"""The desk's speaker pages in headless Chromium: find a proposed speaker, merge it, split a
claim off again; every control labelled, no CSP violation."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Speaker
from tests.e2e.conftest import login, unlabelled_controls
from tests.factories import ClaimFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reviewer_merges_and_splits_speakers(new_page):
    UserFactory(username="rita", roles=["reviewer"])
    target = Speaker.objects.create(name="Olaf Scholz", role="Bundeskanzler")
    proposed = Speaker.objects.create(name="Scholz", status=Speaker.Status.PROPOSED)
    first = ClaimFactory(speaker=proposed, standalone="Die Renten steigen.")
    ClaimFactory(speaker=target, standalone="Die Inflation sinkt.")
    page = new_page()
    login(page, "rita")

    page.click("nav >> text=Speakers")
    page.fill("#speaker-q", "scholz")
    page.click("form[role=search] button")
    page.click(f"a[href='/speakers/{proposed.pk}/']")
    expect(page.get_by_test_id("speaker-status")).to_have_text("proposed")
    assert unlabelled_controls(page) == []

    page.fill("#merge_into", str(target.pk))
    page.click("[data-testid=speaker-merge] button")
    page.wait_for_url(f"**/speakers/{target.pk}/")
    expect(page.get_by_test_id("speaker-claims")).to_contain_text("Die Renten steigen.")
    expect(page.get_by_test_id("aliases")).to_contain_text("Scholz")

    page.check(f"#split-{first.pk}")
    page.fill("#split_name", "Olaf Scholz (Hamburg)")
    page.click("[data-testid=split-speaker]")
    expect(page.get_by_role("status")).to_contain_text(
        "The chosen claims now belong to a new speaker."
    )
    assert Claim.objects.get(pk=first.pk).speaker.name == "Olaf Scholz (Hamburg)"
    assert page.csp_errors == []
