from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Claim, ClaimGroup, ClaimMatch, ClaimNote, SavedFilter


class ClaimNoteInline(admin.TabularInline):
    model = ClaimNote
    extra = 0


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "claimant",
        "speaker",
        "claim_type",
        "score",
        "checkworthy",
        "language",
        "status",
        "assignee",
    )
    list_filter = ("status", "claim_type", "checkworthy", "reported", "language")
    search_fields = ("text", "standalone", "claimant", "article__title")
    list_select_related = ("article", "assignee", "speaker")
    raw_id_fields = ("article", "group", "assignee", "speaker")
    readonly_fields = ("created_at", "updated_at")
    inlines = [ClaimNoteInline]


@admin.register(ClaimGroup)
class ClaimGroupAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "representative", "created_at")
    raw_id_fields = ("representative",)


@admin.register(ClaimMatch)
class ClaimMatchAdmin(admin.ModelAdmin):
    list_display = ("claim", "group", "score", "level", "decision", "reason")
    list_filter = ("level", "decision")
    raw_id_fields = ("claim", "group", "decided_by")


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query")
