"""Link the claims stored before speaker linking existed (or left unlinked) to speakers.

    python manage.py link_speakers

Runs the same service as extraction, one article per transaction, oldest article first (so a
speaker is proposed from the earliest article that introduces them). Only claims with a
claimant and no speaker are touched; idempotent, safe to interrupt and run again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims.models import Article, Claim
from claims.nlp.speaker_keys import UNATTRIBUTED
from claims.services.speakers import article_speakers_link


class Command(BaseCommand):
    help = "Link stored claims without a speaker to speakers (the linking extraction runs)."

    def handle(self, *args, **options) -> None:
        pending = (
            Claim.objects.filter(speaker__isnull=True)
            .exclude(claimant="")
            .exclude(claimant=UNATTRIBUTED)
            .values("article_id")
        )
        articles = (
            Article.objects.filter(pk__in=pending)
            .order_by("published_at", "created_at", "pk")
            .values_list("pk", flat=True)
        )
        linked = done = 0
        for article_id in articles.iterator():
            linked += article_speakers_link(article_id=article_id)
            done += 1
        self.stdout.write(f"linked {linked} claims in {done} articles")
