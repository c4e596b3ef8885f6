from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import (
    EvidenceSource,
    KnownSourceDomain,
    RatingLabel,
    RatingScale,
    Verdict,
    VerdictCorrection,
)


class RatingLabelInline(admin.TabularInline):
    model = RatingLabel
    extra = 1
    fields = ("order", "name", "alternate_name", "value", "colour", "description")


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "worst_rating", "best_rating")
    inlines = [RatingLabelInline]


class EvidenceInline(admin.StackedInline):
    model = EvidenceSource
    extra = 0
    readonly_fields = ("fetch_status", "fetch_error", "archived_at")


class CorrectionInline(admin.TabularInline):
    model = VerdictCorrection
    extra = 0


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("claim", "rating_label", "status", "author", "editor", "published_at")
    list_filter = ("status", "rating_label__scale")
    raw_id_fields = ("claim", "group")
    readonly_fields = ("version",)
    inlines = [EvidenceInline, CorrectionInline]


@admin.register(KnownSourceDomain)
class KnownSourceDomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "name", "reliability")
    list_filter = ("reliability",)
    search_fields = ("domain", "name", "note")
