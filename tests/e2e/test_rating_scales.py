"""Rating scales per desk in the browser: the admin edits a scale's labels inline at a laptop's
width, and the verdict form offers only the labels of the claim's outlet's scale."""

import pytest
from playwright.sync_api import expect

from tests.e2e import data
from tests.e2e.conftest import login, shot
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    RatingLabelFactory,
    RatingScaleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLITIFACT = [
    ("True", 6, "#1a7f37"),
    ("Mostly true", 5, "#4d8b31"),
    ("Half true", 4, "#9a6700"),
    ("Mostly false", 3, "#bc4c00"),
    ("False", 2, "#b42318"),
    ("Pants on fire", 1, "#82071e"),
]


def politifact():
    scale = RatingScaleFactory(name="PolitiFact", best_rating=6, worst_rating=1)
    for order, (name, value, colour) in enumerate(POLITIFACT):
        RatingLabelFactory(
            scale=scale,
            name=name,
            alternate_name=f"{name} (Truth-O-Meter)",
            value=value,
            colour=colour,
            order=order,
            description="The statement is accurate and there is nothing significant missing. " * 3,
        )
    return scale


def test_the_scale_editor_fits_a_laptop_window(new_page):
    data.ensure_roles()
    UserFactory(username="ada", roles=["admin"], is_staff=True, is_superuser=True)
    scale = politifact()
    page = new_page(width=1280, height=900)
    login(page, "ada")
    page.goto(f"/admin/claims/ratingscale/{scale.pk}/change/")
    expect(page.locator("input[name=labels-0-name]")).to_have_value("True")
    expect(page.locator("input[name=labels-0-colour]")).to_have_attribute("type", "color")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    shot(page, "admin-rating-scale.png", full_page=True)
    assert width <= 1280, f"the scale editor is {width} px wide in a 1,280 px window"


def test_the_verdict_form_offers_only_the_outlets_scale(new_page):
    d = data.desk()  # Correctiv is the default scale; ZEIT ONLINE has no scale of its own
    scale = politifact()
    ledger = OutletFactory(name="Northern Ledger")
    ledger.rating_scale = scale
    ledger.save()
    us_claim = ClaimFactory(
        article=ArticleFactory(outlet=ledger, language="en"),
        text="Unemployment is at a 50-year low.",
        language="en",
    )
    page = new_page()
    login(page, "rita")
    page.goto(f"/claims/{us_claim.pk}/")
    options = page.locator("#id_rating_label option").all_inner_texts()
    assert options == ["—"] + [name for name, _, _ in POLITIFACT]
    expect(page.locator("[data-testid=rating-scale]")).to_have_text("Scale: PolitiFact.")

    page.goto(f"/claims/{d['main'].pk}/")
    options = page.locator("#id_rating_label option").all_inner_texts()
    assert options == ["—", "Richtig", "Teilweise falsch", "Falsch", "Fehlender Kontext"]
    assert page.csp_errors == []
