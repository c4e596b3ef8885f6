"""The queue lists claim candidates by default, everything on request, and the workspace shows
check-worthiness on one scale, 0–100, on the queue, the article page and the claim page."""

import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    return {int(i) for i in re.findall(r'data-claim-id="(\d+)"', response.content.decode())}


def test_queue_shows_candidates_by_default_and_everything_on_request(client, reviewer):
    article = ArticleFactory()
    claim = ClaimFactory(article=article, candidate=True, score=0.8)
    byline = ClaimFactory(article=article, candidate=False, segment="byline", score=0.1)
    client.force_login(reviewer)
    url = reverse("claims:queue")
    assert _ids(client.get(url)) == {claim.pk}
    assert _ids(client.get(url, {"units": "sentences"})) == {claim.pk, byline.pk}


def test_one_score_scale_on_queue_article_and_claim_pages(client, reviewer):
    article = ArticleFactory(status="done")
    claim = ClaimFactory(article=article, candidate=True, score=0.873)
    client.force_login(reviewer)
    score = re.compile(r'<span class="score"[^>]*>\s*(\d+)\s*</span>')
    pages = [
        client.get(reverse("claims:queue")),
        client.get(reverse("articles:detail", args=[article.pk])),
        client.get(reverse("claims:claim", args=[claim.pk])),
    ]
    for page in pages:
        assert score.findall(page.content.decode()) == ["87"], page.request["PATH_INFO"]
        assert "0.87" not in page.content.decode()


def test_minimum_score_filter_uses_the_same_scale(client, reviewer):
    high = ClaimFactory(score=0.9)
    low = ClaimFactory(score=0.5)
    client.force_login(reviewer)
    url = reverse("claims:queue")
    assert _ids(client.get(url, {"min_score": "60"})) == {high.pk}
    assert _ids(client.get(url, {"min_score": "40"})) == {high.pk, low.pk}
    page = client.get(url, {"min_score": "150"})
    assert page.status_code == 200
    assert 'max="100"' in page.content.decode()
