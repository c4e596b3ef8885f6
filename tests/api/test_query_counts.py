"""Every API endpoint makes a fixed number of queries whatever the page size (reads go through
claims/selectors/api.py; one place for the joins). The counts are pinned: a change that adds a
query per row, or one more per request, shows here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Speaker, WebhookDelivery, WebhookSubscription
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    EvidenceSourceFactory,
    PublishedVerdictFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    # Count what the endpoint reads, not what the public answer cache saves.
    settings.CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 0


@pytest.fixture
def warm_key_client(key_client):
    """A key that has been used: its first request also stamps `last_used_at` (one write)."""

    def make(*scopes):
        client = key_client(*scopes)
        assert client.get(reverse("api:webhook-list")).status_code == 200
        return client

    return make


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _pinned(client, url, expected, django_assert_num_queries):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_claim_list_is_fixed_whatever_the_page_size(warm_key_client, django_assert_num_queries):
    client = warm_key_client("claims:read")
    url = reverse("api:claim-list") + "?page_size=200"
    ClaimFactory.create_batch(2)
    small = _queries(client, url)
    ClaimFactory.create_batch(20)
    ClaimFactory.create_batch(5, candidate=False)  # context sentences: not API claims
    assert _queries(client, url) == small
    _pinned(client, url, QUERIES["claims_list"], django_assert_num_queries)
    assert len(client.get(url).json()["results"]) == 22


def test_claim_detail_queries_are_pinned(warm_key_client, django_assert_num_queries):
    client = warm_key_client("claims:read")
    claim = ClaimFactory()
    _pinned(
        client,
        reverse("api:claim-detail", args=[claim.pk]),
        QUERIES["claims_retrieve"],
        django_assert_num_queries,
    )


def test_article_detail_is_fixed_whatever_its_claim_count(
    warm_key_client, django_assert_num_queries
):
    client = warm_key_client("claims:read")
    few, many = ArticleFactory(), ArticleFactory()
    ClaimFactory.create_batch(2, article=few)
    ClaimFactory.create_batch(25, article=many)
    ClaimFactory.create_batch(5, article=many, candidate=False)
    few_url = reverse("api:article-detail", args=[few.pk])
    many_url = reverse("api:article-detail", args=[many.pk])
    assert _queries(client, few_url) == _queries(client, many_url)
    _pinned(client, many_url, QUERIES["articles_retrieve"], django_assert_num_queries)
    assert len(client.get(many_url).json()["claims"]) == 25


def test_submit_key_article_detail_is_pinned(warm_key_client, django_assert_num_queries):
    client = warm_key_client("articles:submit")
    article = ArticleFactory()
    article.submitted_by_keys.add(client.api_key)
    ClaimFactory.create_batch(10, article=article)
    _pinned(
        client,
        reverse("api:article-detail", args=[article.pk]),
        QUERIES["articles_retrieve_submit_key"],
        django_assert_num_queries,
    )


def test_verdict_endpoints_are_fixed_whatever_the_page_size(
    api_client, labels, django_assert_num_queries
):
    url = reverse("api:verdict-list") + "?page_size=200"

    def publish(n):
        for _ in range(n):
            verdict = PublishedVerdictFactory(rating_label=labels["false"])
            EvidenceSourceFactory.create_batch(2, verdict=verdict)
        return verdict

    verdict = publish(2)
    small = _queries(api_client, url)
    publish(15)
    assert _queries(api_client, url) == small
    _pinned(api_client, url, QUERIES["verdicts_list"], django_assert_num_queries)
    EvidenceSourceFactory.create_batch(10, verdict=verdict)
    for name in ("verdict-detail", "verdict-claimreview"):
        _pinned(
            api_client,
            reverse(f"api:{name}", args=[verdict.pk]),
            QUERIES[name],
            django_assert_num_queries,
        )


def test_speaker_endpoints_are_fixed_whatever_the_record(
    api_client, labels, django_assert_num_queries
):
    speaker = Speaker.objects.create(name="Olaf Scholz")
    list_url = reverse("api:speaker-list") + "?page_size=200"
    detail_url = reverse("api:speaker-detail", args=[speaker.pk])

    def publish(n):
        for i in range(n):
            other = Speaker.objects.create(name=f"Person {i}")
            PublishedVerdictFactory(claim=ClaimFactory(speaker=other))
            PublishedVerdictFactory(claim=ClaimFactory(speaker=speaker))

    publish(1)
    small = (_queries(api_client, list_url), _queries(api_client, detail_url))
    publish(12)
    speaker.aliases.create(alias="Scholz")
    assert (_queries(api_client, list_url), _queries(api_client, detail_url)) == small
    _pinned(api_client, list_url, QUERIES["speakers_list"], django_assert_num_queries)
    _pinned(api_client, detail_url, QUERIES["speakers_retrieve"], django_assert_num_queries)


def test_group_endpoint_is_fixed_whatever_the_group_size(
    warm_key_client, django_assert_num_queries
):
    client = warm_key_client("claims:read")
    small, large = ClaimGroupFactory(), ClaimGroupFactory()
    ClaimFactory.create_batch(2, group=small)
    ClaimFactory.create_batch(20, group=large)
    small_url = reverse("api:group-detail", args=[small.pk])
    large_url = reverse("api:group-detail", args=[large.pk])
    assert _queries(client, small_url) == _queries(client, large_url)
    _pinned(client, large_url, QUERIES["groups_retrieve"], django_assert_num_queries)


def test_webhook_endpoints_are_fixed_whatever_the_row_count(
    warm_key_client, django_assert_num_queries
):
    client = warm_key_client("claims:read")
    key = client.api_key

    def subscribe(n):
        subs = [
            WebhookSubscription.objects.create(
                api_key=key, url=f"https://hooks.example/{i}", events=["verdict.published"]
            )
            for i in range(n)
        ]
        for sub in subs:
            for _ in range(n):
                WebhookDelivery.objects.create(
                    subscription=sub, event="verdict.published", payload={}
                )
        return subs[0]

    first = subscribe(1)
    list_url = reverse("api:webhook-list")
    log_url = reverse("api:webhook-deliveries", args=[first.pk])
    small = (_queries(client, list_url), _queries(client, log_url))
    for _ in range(8):
        WebhookDelivery.objects.create(subscription=first, event="verdict.published", payload={})
    subscribe(6)
    assert (_queries(client, list_url), _queries(client, log_url)) == small
    _pinned(client, list_url, QUERIES["webhooks_list"], django_assert_num_queries)
    _pinned(client, log_url, QUERIES["webhooks_deliveries"], django_assert_num_queries)
    _pinned(
        client,
        reverse("api:webhook-detail", args=[first.pk]),
        QUERIES["webhooks_retrieve"],
        django_assert_num_queries,
    )


# The key lookup is one query on every keyed request; the rest is the endpoint's own reads.
QUERIES = {
    "claims_list": 2,  # key, the page (claims joined with article, outlet and speaker)
    "claims_retrieve": 2,  # key, the claim with article, outlet and speaker
    "articles_retrieve": 3,  # key, the article with its outlet, its candidate claims
    "articles_retrieve_submit_key": 3,  # the same, limited to what the key submitted
    "verdicts_list": 1,  # public: the page with everything the list shows
    "verdict-detail": 3,  # the verdict with its joins, evidence, corrections
    "verdict-claimreview": 3,  # the same verdict read
    "groups_retrieve": 8,  # key, the group, then its summary, counts, verdict, appearances (6)
    "webhooks_list": 2,  # key, the subscriptions
    "webhooks_deliveries": 3,  # key, the subscription, its latest deliveries
    "webhooks_retrieve": 2,  # key, the subscription
    "speakers_list": 1,  # public: speakers with their published verdict counts
    "speakers_retrieve": 3,  # public: the speaker with counts, aliases, published verdicts
}
