"""Admin for rating scales, verdicts and known source domains.

Verdicts change status only through the workspace's services (review, publishing, corrections
with a note, webhooks); here their workflow fields are read-only and nothing is added by hand.
A published verdict is read-only altogether, evidence included: a silent edit here would skip
the public correction note, the search vector, the API's cache and the webhooks.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.models import (
    EvidenceSource,
    KnownSourceDomain,
    RatingLabel,
    RatingScale,
    Verdict,
    VerdictCorrection,
)


class ColourInput(forms.TextInput):
    """The browser's colour picker (``<input type="color">``): a swatch that is also the editor,
    instead of a hex text field and a separate preview."""

    input_type = "color"


class RatingLabelForm(forms.ModelForm):
    """Compact widgets, so a scale's labels fit a laptop window (1,280 px) side by side."""

    class Meta:
        model = RatingLabel
        fields = ("order", "name", "alternate_name", "value", "colour", "description")
        widgets = {
            "order": forms.NumberInput(attrs={"class": "rl-number", "min": 0}),
            "name": forms.TextInput(attrs={"class": "rl-name"}),
            "alternate_name": forms.TextInput(attrs={"class": "rl-alt"}),
            "value": forms.NumberInput(attrs={"class": "rl-number"}),
            "colour": ColourInput(attrs={"class": "rl-colour"}),
            "description": forms.Textarea(attrs={"class": "rl-description", "rows": 2}),
        }


class RatingLabelInline(admin.TabularInline):
    model = RatingLabel
    form = RatingLabelForm
    extra = 1
    ordering = ("order",)
    fields = (
        "order",
        "name",
        "alternate_name",
        "value",
        "normalised_value",
        "colour",
        "description",
    )
    readonly_fields = ("normalised_value",)

    class Media:
        css = {"all": ("css/admin-rating-labels.css",)}

    @admin.display(description=_("normalised (0–1)"))
    def normalised_value(self, obj: RatingLabel) -> str:
        if obj.pk is None:
            return "–"
        value = obj.normalised
        return "–" if value is None else f"{value:.2f}"


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "worst_rating", "best_rating", "label_count")
    fieldsets = (
        (None, {"fields": ("name", "description", "is_default", "desks")}),
        (
            _("ClaimReview mapping"),
            {
                "fields": ("worst_rating", "best_rating"),
                "description": _(
                    "worstRating and bestRating of every label's reviewRating. A label's rating "
                    "value is its ratingValue; labels without a value (e.g. “Fehlender Kontext”) "
                    "are published with their alternateName only."
                ),
            },
        ),
    )
    inlines = [RatingLabelInline]
    readonly_fields = ("desks",)

    @admin.display(description=_("labels"))
    def label_count(self, obj: RatingScale) -> int:
        return obj.labels.count()

    @admin.display(description=_("outlets on this scale"))
    def desks(self, obj: RatingScale) -> str:
        names = [o.name for o in obj.outlets.order_by("name")] if obj.pk else []
        return ", ".join(names) or _("none (set an outlet's scale on the outlet's page)")


def _is_published(verdict: Verdict | None) -> bool:
    return verdict is not None and verdict.status == Verdict.Status.PUBLISHED


class EvidenceInline(admin.StackedInline):
    model = EvidenceSource
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        "url",
        "title",
        "publisher",
        "stance",
        "quote",
        "fetch_status",
        "fetch_error",
        "archived_at",
        "added_by",
    )
    readonly_fields = ("fetch_status", "fetch_error", "archived_at", "added_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return not _is_published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)


class CorrectionInline(admin.TabularInline):
    model = VerdictCorrection
    extra = 0
    fields = ("created_at", "note", "author")
    readonly_fields = ("created_at", "note", "author")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # corrections go through the workspace, which publishes them with a note


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("claim", "rating_label", "status", "author", "editor", "published_at")
    list_filter = ("status", "rating_label__scale")
    search_fields = ("claim__text", "summary", "slug")
    raw_id_fields = ("claim", "group")
    readonly_fields = (
        "status",
        "slug",
        "author",
        "editor",
        "submitted_at",
        "published_at",
        "review_comment",
        "version",
    )
    inlines = [EvidenceInline, CorrectionInline]

    def has_add_permission(self, request) -> bool:
        return False  # verdicts start on the claim page

    def has_change_permission(self, request, obj=None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)


class KnownSourceDomainForm(forms.ModelForm):
    class Meta:
        model = KnownSourceDomain
        fields = ("domain", "name", "reliability", "note")

    def clean_domain(self) -> str:
        # Stored bare and lower-case so "https://www.Destatis.de/" matches presse.destatis.de.
        value = self.cleaned_data["domain"].strip().lower()
        for prefix in ("https://", "http://"):
            value = value.removeprefix(prefix)
        return value.split("/", 1)[0].removeprefix("www.")


@admin.register(KnownSourceDomain)
class KnownSourceDomainAdmin(admin.ModelAdmin):
    form = KnownSourceDomainForm
    list_display = ("domain", "name", "reliability", "short_note")
    list_editable = ("reliability",)
    list_filter = ("reliability",)
    search_fields = ("domain", "name", "note")

    @admin.display(description=_("reliability note"))
    def short_note(self, obj: KnownSourceDomain) -> str:
        return obj.note if len(obj.note) <= 80 else obj.note[:77] + "…"
