import zlib

import pytest

from claims.models import Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceSourceFactory,
    OutletFactory,
    VerdictFactory,
)


@pytest.fixture
def desk(db, rating_scale, reviewer):
    """A small desk: a new claim, a claim with a submitted verdict, a published one."""
    outlet = OutletFactory(name="ZEIT ONLINE")
    article = ArticleFactory(
        outlet=outlet,
        title="Keine Einigung beim Nordkorea-Gipfel",
        text="Vorher. Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet. Danach.",
        raw_page=zlib.compress(b"<html><body>stored page</body></html>"),
        raw_content_type="text/html",
    )
    new = ClaimFactory(
        article=article,
        index=1,
        start=8,
        end=73,
        text="Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet.",
        context_before="Vorher.",
        context_after="Danach.",
        entities=[{"text": "Nordkorea", "label": "LOC"}],
        numbers=[{"text": "einem Jahr", "kind": "duration", "normalized": "1 year"}],
    )
    label = rating_scale.labels.get(name="False")
    in_review = VerdictFactory(
        claim=ClaimFactory(article=article, index=2, status="in_review"),
        rating_label=label,
        status=Verdict.Status.IN_REVIEW,
        author=reviewer,
    )
    EvidenceSourceFactory(
        verdict=in_review,
        archived_copy=zlib.compress(b"<p>archived</p>"),
        archived_content_type="text/html",
    )
    published = VerdictFactory(
        claim=ClaimFactory(article=article, index=3, status="published"),
        rating_label=label,
        status=Verdict.Status.PUBLISHED,
        slug="published-one",
        author=reviewer,
    )
    EvidenceSourceFactory(verdict=published)
    return {
        "new": new,
        "in_review": in_review,
        "published": published,
        "label": label,
        "article": article,
    }


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in German leaves German active in this thread (LocaleMiddleware); reset it so
    later tests in the same process see the default language."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
