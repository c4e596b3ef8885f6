from datetime import UTC

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from claims.models import VerdictCorrection
from claims.services.api_keys import api_key_create
from claims.services.evidence import evidence_add
from claims.services.verdicts import (
    verdict_draft_get_or_create,
    verdict_publish,
    verdict_save,
    verdict_submit,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    EvidenceSourceFactory,
    OutletFactory,
    PublishedVerdictFactory,
    RatingLabelFactory,
    RatingScaleFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Throttle counters and cached public answers live in the cache: each test starts with a
    # clean quota and an empty cache. The test settings keep no public answers (the cache
    # outlives a test's database); the API tests run with the cache on, as in production.
    settings.CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish(reviewer, editor, rating_scale, django_capture_on_commit_callbacks):
    """publish(text, summary) -> a verdict taken through the real services."""
    label = rating_scale.labels.get(name="False")

    def make(text: str, summary: str):
        claim = ClaimFactory(text=text)
        verdict = verdict_draft_get_or_create(actor=reviewer, claim_id=claim.pk)
        verdict = verdict_save(
            actor=reviewer,
            verdict_id=verdict.pk,
            version=verdict.version,
            rating_label_id=label.pk,
            summary=summary,
            explanation="Siehe Quellen.",
        )
        evidence_add(actor=reviewer, claim_id=claim.pk, url="https://evidence.example/x",
                     stance="refutes", quote="…", fetch=False)  # fmt: skip
        verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
        with django_capture_on_commit_callbacks(execute=True):
            return verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)

    return make


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_key(db):
    def make(*scopes: str, name: str = "Partner desk"):
        return api_key_create(name=name, scopes=list(scopes))

    return make


@pytest.fixture
def key_client(make_key):
    """key_client("claims:read") -> an APIClient sending that key."""

    def make(*scopes: str, scheme: str = "Api-Key"):
        created = make_key(*scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {created.raw_key}")
        client.api_key = created.api_key
        return client

    return make


@pytest.fixture
def scale(db):
    scale = RatingScaleFactory(name="Correctiv", best_rating=5, worst_rating=1)
    return scale


@pytest.fixture
def labels(scale):
    return {
        "false": RatingLabelFactory(scale=scale, name="Falsch", value=1, order=1),
        "mostly_true": RatingLabelFactory(scale=scale, name="Größtenteils richtig", value=4,
                                          order=4),
        "true": RatingLabelFactory(scale=scale, name="Richtig", value=5, order=5),
        "context": RatingLabelFactory(scale=scale, name="Fehlender Kontext", value=None, order=9),
    }  # fmt: skip


@pytest.fixture
def full_verdict(labels):
    """A published verdict with a group of three appearances, evidence and a correction."""
    from datetime import datetime

    zeit = OutletFactory(name="Zeit Online", homepage="https://www.zeit.de/")
    spiegel = OutletFactory(name="Der Spiegel", homepage="https://www.spiegel.de/")
    group = ClaimGroupFactory()
    first = ArticleFactory(
        outlet=zeit,
        url="https://www.zeit.de/politik/nordkorea",
        title="Trump: Nordkorea testet nicht mehr",
        published_at=datetime(2019, 5, 1, 8, tzinfo=UTC),
    )
    later = ArticleFactory(
        outlet=spiegel,
        url="https://www.spiegel.de/politik/nordkorea-trump",
        title="Trump lobt Kim",
        published_at=datetime(2019, 5, 3, 8, tzinfo=UTC),
    )
    claim = ClaimFactory(
        article=later,
        group=group,
        claimant="Donald Trump",
        claimant_role="US-Präsident",
        language="de",
        standalone="Laut Donald Trump hat Nordkorea seit Anfang 2018 keine Atomwaffen getestet.",
    )
    ClaimFactory(article=first, group=group)
    ClaimFactory(article=later, group=group)  # a second sentence in the same article
    verdict = PublishedVerdictFactory(
        claim=claim,
        group=group,
        rating_label=labels["false"],
        slug="nordkorea-atomtests",
        summary="Falsch: Nordkorea testete im Mai 2019 Raketen.",
        explanation="Die Behauptung ist **falsch**. <script>alert(1)</script>",
    )
    EvidenceSourceFactory(verdict=verdict, url="https://www.reuters.com/nk", publisher="Reuters")
    VerdictCorrection.objects.create(verdict=verdict, note="Datum der Tests korrigiert.")
    return verdict
