"""The article page shows its progress until the claims appear (issue #14): a small polled
partial while the workers process the article, a whole-page reload once it is done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "step", "label"),
    [("queued", 1, "Waiting for a worker"), ("fetching", 2, "Reading the article"),
     ("extracting", 3, "Finding the claims")],
)  # fmt: skip
def test_an_article_in_flight_polls_its_progress_partial(client, reviewer, status, step, label):
    article = ArticleFactory(status=status)
    client.force_login(reviewer)
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    progress_url = reverse("articles:progress", args=[article.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 2s"' in page

    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert label in body and f'value="{step}"' in body
    assert "<html" not in body  # a partial, not the page
    assert f'hx-get="{progress_url}"' in body  # keeps polling


@pytest.mark.parametrize("status", [Article.Status.DONE, Article.Status.FAILED])
def test_a_finished_article_reloads_the_page_and_stops_polling(client, reviewer, status):
    article = ArticleFactory(status=status)
    client.force_login(reviewer)
    progress_url = reverse("articles:progress", args=[article.pk])
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "hx-get" not in page.split('id="article-status"')[1].split("</section>")[0]


def test_the_progress_partial_reads_only_what_it_shows(
    client, reviewer, django_assert_max_num_queries
):
    article = ArticleFactory(status=Article.Status.FETCHING, text="x" * 100_000)
    client.force_login(reviewer)
    # session, user, user and group permissions, the article's status (not its text)
    with django_assert_max_num_queries(5):
        client.get(reverse("articles:progress", args=[article.pk]), HTTP_HX_REQUEST="true")
    assert client.get(reverse("articles:progress", args=[999_999])).status_code == 404


def test_the_progress_partial_needs_the_right_to_see_articles(client, nobody):
    article = ArticleFactory(status=Article.Status.FETCHING)
    client.force_login(nobody)
    assert client.get(reverse("articles:progress", args=[article.pk])).status_code == 403
