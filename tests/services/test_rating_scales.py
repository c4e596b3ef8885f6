"""Rating scales per desk: the outlet's scale (else the default) decides which labels a verdict
may use, in the form and in the services; an old verdict keeps its label when edited."""

import pytest
from django.urls import reverse

from claims.exceptions import InvalidInputError
from claims.models import Verdict
from claims.selectors.workspace import rating_labels_for, rating_scale_for
from claims.services.verdicts import (
    verdict_correct,
    verdict_draft_get_or_create,
    verdict_save,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    PublishedVerdictFactory,
    RatingLabelFactory,
    RatingScaleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def politifact(db):
    scale = RatingScaleFactory(name="PolitiFact", best_rating=6, worst_rating=1)
    for order, name in enumerate(["True", "Mostly true", "Pants on fire"]):
        RatingLabelFactory(scale=scale, name=name, value=6 - order, order=order)
    return scale


@pytest.fixture
def claims(rating_scale, politifact):
    """A claim from an outlet on PolitiFact, one from an outlet without a scale, one without
    an outlet."""
    us = OutletFactory(name="Northern Ledger", rating_scale=politifact)
    de = OutletFactory(name="ZEIT ONLINE")
    return {
        "us": ClaimFactory(article=ArticleFactory(outlet=us)),
        "de": ClaimFactory(article=ArticleFactory(outlet=de)),
        "none": ClaimFactory(article=ArticleFactory(outlet=None)),
    }


def names(labels):
    return [label.name for label in labels]


def test_the_outlets_scale_else_the_default(claims, rating_scale, politifact):
    assert rating_scale_for(claims["us"]) == politifact
    assert rating_scale_for(claims["de"]) == rating_scale
    assert rating_scale_for(claims["none"]) == rating_scale
    assert names(rating_labels_for(claims["us"])) == ["True", "Mostly true", "Pants on fire"]
    assert names(rating_labels_for(claims["de"])) == [
        "True",
        "Half true",
        "False",
        "Missing context",
    ]
    assert {label.scale for label in rating_labels_for(claims["none"])} == {rating_scale}


def test_an_old_verdicts_label_stays_offered(claims, rating_scale):
    old_label = rating_scale.labels.get(name="False")
    labels = rating_labels_for(claims["us"], keep_label_id=old_label.pk)
    assert old_label in labels
    assert len(labels) == 4  # PolitiFact's three and the kept one, nothing else


def test_without_any_default_scale_every_label_is_offered(politifact):
    other = RatingScaleFactory(name="Custom")
    RatingLabelFactory(scale=other, name="Odd")
    claim = ClaimFactory(article=ArticleFactory(outlet=OutletFactory(name="Plain")))
    assert rating_scale_for(claim) is None
    assert len(rating_labels_for(claim)) == 4


def save(actor, claim, label, verdict=None):
    verdict = verdict or verdict_draft_get_or_create(actor=actor, claim_id=claim.pk)
    return verdict_save(
        actor=actor,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary="Short verdict.",
        explanation="",
    )


def test_services_refuse_a_label_from_another_scale(reviewer, claims, rating_scale, politifact):
    correctiv_false = rating_scale.labels.get(name="False")
    with pytest.raises(InvalidInputError, match="PolitiFact"):
        save(reviewer, claims["us"], correctiv_false)
    verdict = save(reviewer, claims["us"], politifact.labels.get(name="Pants on fire"))
    assert verdict.rating_label.scale == politifact
    with pytest.raises(InvalidInputError, match="Test scale"):
        save(reviewer, claims["de"], politifact.labels.get(name="True"))


def test_an_old_verdict_keeps_its_label_but_cannot_move_to_a_third_scale(
    reviewer, claims, rating_scale, politifact
):
    # Written while the outlet had no scale of its own (the default applied)...
    old_label = rating_scale.labels.get(name="False")
    verdict = save(reviewer, claims["us"], politifact.labels.first())
    Verdict.objects.filter(pk=verdict.pk).update(rating_label=old_label)
    verdict.refresh_from_db()
    # ...it can still be saved with that label,
    verdict = save(reviewer, claims["us"], old_label, verdict)
    assert verdict.rating_label == old_label
    # but not given another label of the old scale.
    with pytest.raises(InvalidInputError):
        save(reviewer, claims["us"], rating_scale.labels.get(name="True"), verdict)


def test_a_correction_refuses_a_label_from_another_scale(editor, claims, rating_scale, politifact):
    verdict = PublishedVerdictFactory(
        claim=claims["us"], rating_label=politifact.labels.get(name="True")
    )
    with pytest.raises(InvalidInputError, match="PolitiFact"):
        verdict_correct(
            actor=editor,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="Rating changed.",
            rating_label_id=rating_scale.labels.get(name="False").pk,
            summary="Changed.",
            explanation="",
        )


def test_the_verdict_form_offers_only_the_desks_scale(client, reviewer, claims, politifact):
    client.force_login(reviewer)
    response = client.get(reverse("claims:claim", args=[claims["us"].pk]))
    field = response.context["verdict_form"]["rating_label"].field
    offered = [label for value, label in field.choices if value]
    assert offered == ["True", "Mostly true", "Pants on fire"]
    assert "Scale: PolitiFact." in response.content.decode()


def test_a_label_from_another_scale_is_a_form_error(client, reviewer, claims, rating_scale):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:verdict_save", args=[claims["us"].pk]),
        {
            "version": 0,
            "rating_label": rating_scale.labels.get(name="False").pk,
            "summary": "s",
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert response.context["verdict_form"].errors["rating_label"]
    assert not Verdict.objects.filter(claim=claims["us"]).exists()
