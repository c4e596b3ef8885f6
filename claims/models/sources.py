"""Where articles come from: monitored outlets, their feeds, and the articles themselves."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class Outlet(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    homepage = models.URLField(_("homepage"), max_length=2048, blank=True)
    domain = models.CharField(
        _("domain"),
        max_length=253,
        blank=True,
        db_index=True,
        help_text=_(
            "Host name of the outlet's articles, e.g. www.zeit.de; used to attribute URLs."
        ),
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO 3166-1")
    language = models.CharField(_("language"), max_length=8, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The desk's rating scale for this outlet's claims; empty means the default scale.
    rating_scale = models.ForeignKey(
        "claims.RatingScale",
        verbose_name=_("rating scale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outlets",
        help_text=_("Verdicts on this outlet's claims use this scale; empty: the default scale."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name


class Feed(TimeStampedModel):
    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(_("URL"), max_length=2048, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RSS)
    poll_interval = models.DurationField(_("poll interval"), default=timedelta(minutes=30))
    etag = models.CharField(max_length=512, blank=True, editable=False)
    last_modified = models.CharField(max_length=128, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["outlet__name", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_interval__gte=timedelta(minutes=1)),
                name="feed_poll_interval_at_least_a_minute",
            )
        ]

    def __str__(self) -> str:
        return self.url


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        FETCHING = "fetching", _("fetching")
        EXTRACTING = "extracting", _("extracting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Source(models.TextChoices):
        URL = "url", _("URL")
        FILE = "file", _("file")
        TEXT = "text", _("pasted text")
        FEED = "feed", _("feed")
        API = "api", _("API")

    url = models.URLField(_("canonical URL"), max_length=2048, blank=True)
    # sha256 of the canonical URL: the dedupe key (NULL for text without an address).
    url_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    submitted_url = models.URLField(_("submitted URL"), max_length=2048, blank=True)
    # sha256 of the submitted URL, canonicalized: a resubmission finds its article after the
    # page's own canonical address replaced `url` (empty for text without an address).
    submitted_url_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    text = models.TextField(_("main text"), blank=True)
    # The page as fetched (zlib-compressed), kept for provenance.
    raw_page = models.BinaryField(null=True, blank=True, editable=False)
    raw_content_type = models.CharField(max_length=200, blank=True, editable=False)
    raw_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    error_reason = models.CharField(_("error code"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(default=0, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When its claims were matched: NULL on a done article = matching still pending (the
    # stale-work sweep sends it again).
    matched_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_articles",
    )
    # The partner keys that submitted this article (a known URL submitted again adds its key):
    # a key with only the articles:submit scope reads just these.
    submitted_by_keys = models.ManyToManyField(
        "claims.ApiKey", blank=True, related_name="submitted_articles", editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"
