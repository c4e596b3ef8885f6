"""Other fact-checkers' published verdicts (schema.org ClaimReview), where they come from, and
how our claims match them (docs/known-factchecks.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .claims import Claim


class FactCheckSource(TimeStampedModel):
    """Where known fact-checks come from: a fact-checker's sitemap or feed (polled), a dump
    file (the DataCommons feed format) or the Google Fact Check Tools API."""

    class Kind(models.TextChoices):
        SITEMAP = "sitemap", _("sitemap")
        FEED = "feed", _("feed")
        DUMP = "dump", _("dump file")
        API = "api", _("Fact Check Tools API")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    url = models.URLField(_("URL"), max_length=2048, blank=True)
    path = models.CharField(_("file path"), max_length=1000, blank=True)
    # API sources: the query sent to the Fact Check Tools API (e.g. a publisher site).
    query = models.CharField(_("query"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)
    poll_interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=360)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Sitemap/feed pages seen, {page URL: lastmod or ""}: a poll fetches new and changed ones only.
    seen_pages = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fact-check source")
        verbose_name_plural = _("fact-check sources")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(path=""),
                name="factcheck_source_url_or_path",
            )
        ]

    def __str__(self) -> str:
        return self.name


class KnownFactCheck(TimeStampedModel):
    """One ClaimReview published by another fact-checker; deduplicated by its URL."""

    source = models.ForeignKey(
        FactCheckSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="factchecks",
        verbose_name=_("source"),
    )
    url = models.URLField(_("URL"), max_length=2048)
    url_hash = models.CharField(max_length=64, unique=True, editable=False)
    publisher_name = models.CharField(_("publisher"), max_length=300, blank=True)
    publisher_url = models.URLField(_("publisher URL"), max_length=2048, blank=True)
    claim_reviewed = models.TextField(_("claim reviewed"))
    claimant = models.CharField(_("claimant"), max_length=300, blank=True)
    rating_label = models.CharField(_("rating"), max_length=300, blank=True)
    rating_value = models.FloatField(_("rating value"), null=True, blank=True)
    best_rating = models.FloatField(_("best rating"), null=True, blank=True)
    worst_rating = models.FloatField(_("worst rating"), null=True, blank=True)
    date_published = models.DateField(_("published"), null=True, blank=True, db_index=True)
    date_modified = models.DateField(_("modified"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, db_index=True)
    snippet = models.TextField(_("text snippet"), blank=True)
    raw = models.JSONField(_("ClaimReview as published"), default=dict, blank=True)
    # sha256 of the stored fields: an import of the same review is "unchanged", a correction
    # "updated".
    content_hash = models.CharField(max_length=64, editable=False)
    # The matching vectors of claim_reviewed, as Claim.embedding / embedding_en.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_en = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date_published", "-pk"]
        verbose_name = _("known fact-check")
        verbose_name_plural = _("known fact-checks")
        indexes = [
            # The worker's index re-reads corrected rows by updated_at (and its MAX) per search.
            models.Index(fields=["updated_at"], name="known_factcheck_updated_idx"),
            # Rows still waiting for their matching vectors, found without a table scan.
            models.Index(
                fields=["id"],
                name="known_factcheck_unembedded",
                condition=models.Q(embedding__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.claim_reviewed[:60]}"


class RejectedFactCheck(TimeStampedModel):
    """ClaimReview markup that could not be stored, with the reason (never a crash)."""

    source = models.ForeignKey(
        FactCheckSource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rejected",
        verbose_name=_("source"),
    )
    url = models.CharField(_("URL"), max_length=2048, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rejected fact-check")
        verbose_name_plural = _("rejected fact-checks")

    def __str__(self) -> str:
        return f"{self.url or '?'}: {self.reason}"


class KnownFactCheckMatch(TimeStampedModel):
    """A claim found to repeat a known fact-check: confirmed or suggested, decided by a reviewer."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="factcheck_matches")
    factcheck = models.ForeignKey(KnownFactCheck, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    signals = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    level = models.CharField(
        max_length=16, choices=[("confirmed", _("confirmed")), ("suggested", _("suggested"))]
    )
    decision = models.CharField(
        max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("known fact-check match")
        verbose_name_plural = _("known fact-check matches")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "factcheck"], name="known_factcheck_match_unique"
            ),
        ]
