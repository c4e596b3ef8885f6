"""Claims found in articles, how they group into repeats, and the reviewers' work on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TimeStampedModel
from .sources import Article


class ClaimGroup(TimeStampedModel):
    """Claims that say the same thing, across articles, outlets and languages."""

    representative = models.ForeignKey(
        "Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hash of the sentence whose confirmed repeat created the group automatically (empty for
    # groups made otherwise): a worker about to create a group for the same sentence joins this
    # one instead (see claims.services.matching.groups, `_sentence_lock`).
    sentence_key = models.CharField(max_length=16, blank=True, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim group")
        verbose_name_plural = _("claim groups")

    def __str__(self) -> str:
        return f"Group {self.pk}"


class Claim(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        SELECTED = "selected", _("selected for checking")
        DISMISSED = "dismissed", _("dismissed")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")

    class Type(models.TextChoices):
        QUANTITY = "quantity", _("quantity")
        COMPARISON = "comparison", _("comparison/trend")
        CAUSATION = "causation", _("causation")
        PREDICTION = "prediction", _("prediction")
        LAW = "law", _("law/rule")
        PERSONAL = "personal", _("personal experience")
        OTHER = "other", _("other claim")
        NOT_CLAIM = "not_claim", _("not a claim")

    class DismissReason(models.TextChoices):
        OPINION = "opinion", _("opinion")
        NOT_CHECKABLE = "not_checkable", _("not checkable")
        DUPLICATE = "duplicate", _("duplicate")
        OUT_OF_SCOPE = "out_of_scope", _("out of scope")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    index = models.PositiveIntegerField(_("sentence index"))
    text = models.TextField(_("text"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    context_before = models.TextField(_("context before"), blank=True)
    context_after = models.TextField(_("context after"), blank=True)
    score = models.FloatField(_("check-worthiness"), db_index=True)
    checkworthy = models.BooleanField(_("check-worthy"), default=False, db_index=True)
    claim_type = models.CharField(_("type"), max_length=16, choices=Type.choices, db_index=True)
    reported = models.BooleanField(_("reported speech"), default=False)
    claimant = models.CharField(_("claimant"), max_length=200, blank=True, db_index=True)
    claimant_role = models.CharField(_("claimant's role"), max_length=200, blank=True)
    # Where in the article's text the claimant was read (offsets like start/end), when it was.
    claimant_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    claimant_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The entity the claimant was linked to; `claimant` stays the name as read in the article.
    speaker = models.ForeignKey(
        "Speaker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        verbose_name=_("speaker"),
    )
    # The claim as a fact-checker can check it without the article (references resolved, the
    # speaker attached, relative time anchored). What the queue shows first, what matching
    # compares and ClaimReview's claimReviewed; `text` and the offsets stay the evidence.
    standalone = models.TextField(_("standalone claim"), blank=True)
    # Whether the standalone text still needs the article to be understood, and the words that
    # point into it ("it", "Die 32-Jährige", "dort", "the report"; claims.nlp.references): the
    # desk's "Needs context" badge and filter. NULL: not assessed yet (claims stored before the
    # flag existed, until `manage.py backfill_needs_context` has run).
    standalone_needs_context = models.BooleanField(
        _("needs the article's context"), null=True, blank=True
    )
    standalone_unresolved = models.JSONField(_("unresolved references"), default=list, blank=True)
    # A unit the extraction keeps as context only (byline, credit, teaser...) is not a candidate:
    # it is never a queue item, an API claim or matched.
    candidate = models.BooleanField(_("claim candidate"), default=True)
    segment = models.CharField(_("place in the article"), max_length=16, blank=True)
    entities = models.JSONField(_("entities"), default=list, blank=True)
    numbers = models.JSONField(_("numbers"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    dismiss_reason = models.CharField(
        _("dismiss reason"), max_length=16, choices=DismissReason.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    group = models.ForeignKey(
        ClaimGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    # float32 sentence embedding (512 dims), kept so the match index rebuilds without re-embedding
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    # English claims only: the English encoder's float32 vector (384 dims), so the index holds the
    # English signal without re-encoding; NULL for other languages (docs/matching.md)
    embedding_en = models.BinaryField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["embedding", "embedding_en", "updated_at"])

    class Meta:
        ordering = ["-score", "-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        permissions = [("work_claim", "Can triage, assign, research and draft verdicts on claims")]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="claim_unique_sentence"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                name="claim_score_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="claim_offsets_ordered"
            ),
            # The flag and its words cannot disagree: only a claim that needs context lists any.
            models.CheckConstraint(
                condition=models.Q(standalone_needs_context=True)
                | models.Q(standalone_unresolved=[]),
                name="claim_unresolved_only_when_needs_context",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-score"],
                name="claim_queue_candidates_idx",
                condition=models.Q(candidate=True),
            )
        ]

    def __str__(self) -> str:
        return self.claim_text[:80]

    @property
    def claim_text(self) -> str:
        """The standalone statement, or the sentence itself for claims stored without one."""
        return self.standalone or self.text


class ClaimMatch(TimeStampedModel):
    """A claim found to repeat a group: confirmed automatically or suggested to a reviewer."""

    class Level(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        SUGGESTED = "suggested", _("suggested")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    group = models.ForeignKey(ClaimGroup, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    signals = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    decision = models.CharField(
        max_length=16, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claim match")
        verbose_name_plural = _("claim matches")
        constraints = [
            models.UniqueConstraint(fields=["claim", "group"], name="claim_match_unique"),
        ]


class ClaimNote(TimeStampedModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")


class SavedFilter(TimeStampedModel):
    """A reviewer's bookmarked queue filter (the query string of the queue URL)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query string"), max_length=2000, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
