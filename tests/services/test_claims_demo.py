"""The workspace part of load_demo: accounts, rating scales, a published verdict with evidence."""

import pytest

from claims.models import RatingScale, Verdict
from claims.services.demo import (
    demo_known_domains,
    demo_published_verdict,
    demo_rating_scales,
    demo_user_ensure,
)
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_main_claim_through_the_services():
    reviewer = demo_user_ensure(username="reviewer", role="reviewer")
    editor = demo_user_ensure(username="editor", role="editor")
    assert reviewer.check_password("reviewer") and editor.check_password("editor")
    scale = demo_rating_scales()
    demo_known_domains()
    article = ArticleFactory()
    ClaimFactory(article=article, score=0.9, text="Kim habe versprochen, nichts zu testen.")
    main = ClaimFactory(
        article=article,
        score=0.5,
        text="Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine "
        "Atomwaffen und Raketen mehr getestet habe, sagte er.",
    )
    verdict = demo_published_verdict(article=article, reviewer=reviewer, editor=editor, scale=scale)
    assert verdict.claim_id == main.pk
    assert verdict.status == Verdict.Status.PUBLISHED
    assert verdict.slug and verdict.published_at
    assert verdict.rating_label.name == "Richtig"
    assert verdict.evidence.count() == 2
    assert (verdict.author, verdict.editor) == (reviewer, editor)
    # Idempotent.
    again = demo_published_verdict(article=article, reviewer=reviewer, editor=editor, scale=scale)
    assert again.pk == verdict.pk
    assert RatingScale.objects.get(is_default=True).name == "Correctiv"
    fehlender = scale.labels.get(name="Fehlender Kontext")
    assert fehlender.value is None and fehlender.normalised is None
    assert scale.labels.get(name="Richtig").normalised == 1.0
