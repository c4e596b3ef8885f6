"""The work claim extraction may spend on one article is bounded before its text reaches spaCy
(issue #17, security 1): texts that stall the tokenizer or parser fail for good, quickly."""

from __future__ import annotations

import random
import string
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.ingest.budget import MAX_CHARS, TextBudgetError, check_text_budget
from claims.models import Article
from claims.services.claim_extraction import article_extract_claims
from claims.services.pipeline import articles_requeue_stale
from tests.factories import ArticleFactory

NEWS = (
    "Die Arbeitslosigkeit ist im vergangenen Jahr um 3,2 Prozent gesunken, sagte die Ministerin "
    "am Dienstag in Berlin. Kritiker halten die Zahl für geschönt: https://example.org/statistik/"
    "arbeitsmarkt/2024/bericht-der-bundesagentur-fuer-arbeit-zum-jahresende.pdf zeigt mehr.\n"
)


def _random_text(size: int) -> str:
    rnd = random.Random(17)
    return "".join(rnd.choice(string.printable) for _ in range(size))


# The inputs the probe found: 10 KB of quotes took 20-34 s, 50 KB of emoji over 120 s, 1 MB of
# random text over 7 GB; and a long passage of tokens without a sentence break.
STALLING = {
    "quotes": ('"' * 10_000, "text_unsplittable"),
    "emoji": ("\U0001f600" * 12_500, "text_unsplittable"),
    "spaced quotes": ('" ' * 10_000, "text_unsplittable"),
    "random": (_random_text(1_000_000), "text_too_long"),
}


@pytest.mark.parametrize("name", STALLING)
def test_texts_that_stall_spacy_are_refused(name):
    # The check itself is linear (bench/results/extraction-budget.md measures it).
    text, reason = STALLING[name]
    with pytest.raises(TextBudgetError) as exc:
        check_text_budget(text)
    assert exc.value.reason == reason


def test_ordinary_news_is_within_the_budget():
    check_text_budget(NEWS * (MAX_CHARS // len(NEWS)))


@pytest.mark.django_db
def test_an_article_over_budget_fails_with_a_reason_and_is_not_requeued(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the sweep counts, it does not run
    article = ArticleFactory(status=Article.Status.EXTRACTING, text='"' * 10_000, language="en")

    article_extract_claims(article_id=article.pk)  # refused before spaCy (which took 20-34 s)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error_reason == "text_unsplittable"
    assert "without a space" in article.error
    assert not article.claims.exists()
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert articles_requeue_stale() == 0
