"""Rating scales, verdicts, their evidence and their public corrections."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TimeStampedModel
from .claims import Claim, ClaimGroup

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #c0392b."))


class RatingScale(TimeStampedModel):
    """A newsroom's rating scale; its labels map onto ClaimReview's numeric rating."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    best_rating = models.IntegerField(_("best rating"), null=True, blank=True)
    worst_rating = models.IntegerField(_("worst rating"), null=True, blank=True)
    is_default = models.BooleanField(_("default scale"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="rating_scale_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RatingLabel(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=100)
    alternate_name = models.CharField(
        _("ClaimReview alternateName"),
        max_length=200,
        blank=True,
        help_text=_("The verdict text consumers see; defaults to the name."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Ordinal value on the scale (ClaimReview ratingValue); empty for non-ordinal labels such as
    # "Fehlender Kontext".
    value = models.IntegerField(_("rating value"), null=True, blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#6b7280", validators=[colour_validator]
    )

    class Meta:
        ordering = ["scale", "order"]
        verbose_name = _("rating label")
        verbose_name_plural = _("rating labels")
        constraints = [
            models.UniqueConstraint(fields=["scale", "name"], name="rating_label_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def normalised(self) -> float | None:
        """(value - worst) / (best - worst), the 0..1 rating consumers compare across scales."""
        scale = self.scale
        if self.value is None or scale.best_rating is None or scale.worst_rating is None:
            return None
        span = scale.best_rating - scale.worst_rating
        return None if span == 0 else (self.value - scale.worst_rating) / span


class Verdict(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        PUBLISHED = "published", _("published")

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="verdict")
    group = models.ForeignKey(
        ClaimGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="verdicts"
    )
    rating_label = models.ForeignKey(
        RatingLabel, null=True, blank=True, on_delete=models.PROTECT, related_name="verdicts"
    )
    summary = models.TextField(_("short verdict"), blank=True)
    explanation = models.TextField(_("explanation (Markdown)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_verdicts",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_verdicts",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("editor's comment"), blank=True)
    slug = models.SlugField(max_length=120, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # Optimistic locking: every save bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # The claim's text and the short verdict as one tsvector ("simple" configuration) for the
    # API's full-text search: the texts live in two tables, so only a stored vector can carry a
    # GIN index (PostgreSQL only, migration 0004). Written by the verdict services; NULL on
    # SQLite, which searches with LIKE.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        permissions = [("review_verdict", "Can approve, send back, publish and correct verdicts")]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="verdict_public_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="verdict_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"Verdict on {self.claim_id}"


class VerdictCorrection(TimeStampedModel):
    """A visible correction of a published verdict."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("correction note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")


class KnownSourceDomain(TimeStampedModel):
    class Reliability(models.TextChoices):
        HIGH = "high", _("high")
        MIXED = "mixed", _("mixed")
        LOW = "low", _("low")
        UNKNOWN = "unknown", _("unknown")

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    reliability = models.CharField(
        _("reliability"), max_length=8, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    note = models.TextField(_("reliability note"), blank=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("known source domain")
        verbose_name_plural = _("known source domains")

    def __str__(self) -> str:
        return self.domain


class EvidenceSource(TimeStampedModel):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        REFUTES = "refutes", _("refutes")
        CONTEXT = "context", _("context")

    class FetchStatus(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(_("URL"), max_length=2048)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    accessed_at = models.DateTimeField(_("accessed"), null=True, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    # The page as fetched when the source was added (zlib-compressed): our archived copy.
    archived_copy = models.BinaryField(null=True, blank=True, editable=False)
    archived_content_type = models.CharField(max_length=200, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A refetch after the verdict left the draft: the new version waits here, unseen, until an
    # editor's correction adopts it; published evidence never changes silently.
    pending_copy = models.BinaryField(null=True, blank=True, editable=False)
    pending_content_type = models.CharField(max_length=200, blank=True, editable=False)
    pending_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    fetch_status = models.CharField(
        max_length=8, choices=FetchStatus.choices, default=FetchStatus.PENDING
    )
    fetch_error = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["archived_copy", "pending_copy"])

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence source")
        verbose_name_plural = _("evidence sources")

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def domain(self) -> str:
        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")
