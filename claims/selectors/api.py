"""Reads of the partner API: one place for its joins, so every endpoint makes a fixed number of
queries whatever the page size. Sentences kept only as context (``candidate`` false) are not
claims of the API: they never appear in its lists, details or article answers."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import ApiKey, Article, Claim, WebhookDelivery, WebhookSubscription
from claims.selectors.articles import articles_visible_to_key

DELIVERIES_SHOWN = 100


def api_claims() -> QuerySet[Claim]:
    """Claims as the API lists and shows them: candidates only, with article, outlet and
    speaker (joined: the query count stays the same whatever the page size)."""
    return Claim.objects.filter(candidate=True).select_related("article__outlet", "speaker")


def api_articles(*, api_key: ApiKey | None) -> QuerySet[Article]:
    """Articles this key may read, with the outlet and the candidate claims in article order
    (2 queries for one article or many)."""
    articles = Article.objects.select_related("outlet").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.filter(candidate=True).order_by("index"))
    )
    return articles_visible_to_key(articles, api_key=api_key)


def api_article(*, article_id: int) -> Article:
    """One article as the submit endpoint answers it (the submitter sees what it submitted)."""
    return api_articles(api_key=None).get(pk=article_id)


def webhook_subscriptions(*, api_key: ApiKey) -> QuerySet[WebhookSubscription]:
    """The key's active subscriptions, oldest first."""
    return WebhookSubscription.objects.filter(api_key=api_key, active=True).order_by("pk")


def webhook_subscription(*, api_key: ApiKey, subscription_id: int) -> WebhookSubscription | None:
    """One of the key's active subscriptions; None for another key's or a deleted one."""
    return webhook_subscriptions(api_key=api_key).filter(pk=subscription_id).first()


def webhook_deliveries(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """The latest deliveries of a subscription, newest first."""
    return subscription.deliveries.order_by("-created_at", "-pk")[:DELIVERIES_SHOWN]
