"""Speakers: the people and organisations claims are attributed to, as entities with aliases."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TimeStampedModel


class Speaker(TimeStampedModel):
    """A person or organisation that makes claims; claims link to it instead of a free-text name."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    class Status(models.TextChoices):
        # Created by linking from an article's claimant; a reviewer confirms (or merges) it.
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("party or organisation"), max_length=200, blank=True)
    # Typed in by hand (no lookups at run time): e.g. "Q22686" for Donald Trump.
    wikidata_qid = models.CharField(
        _("Wikidata QID"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata QID looks like Q567."), code="qid")
        ],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        """Shown to the public (pages, the public API, ClaimReview) only once a reviewer
        confirmed it: a proposal is the extraction's guess; until then the claimant's own
        words stand for the speaker."""
        return self.status == self.Status.CONFIRMED

    @property
    def wikidata_url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.wikidata_qid}" if self.wikidata_qid else ""


class SpeakerAlias(TimeStampedModel):
    """Another name for the speaker ("Trump", "der Bundeskanzler"), optionally for a time span."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=200, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker alias")
        verbose_name_plural = _("speaker aliases")
        constraints = [
            models.UniqueConstraint(fields=["speaker", "alias"], name="speaker_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.alias
