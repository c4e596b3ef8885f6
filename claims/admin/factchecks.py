from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.dispatch import enqueue_on_commit
from claims.models import FactCheckSource, KnownFactCheck, KnownFactCheckMatch, RejectedFactCheck


@admin.register(FactCheckSource)
class FactCheckSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "path", "active", "last_polled_at", "failing")
    list_filter = ("active", "kind")
    search_fields = ("name", "url", "path")
    readonly_fields = ("last_polled_at", "last_error")
    fields = (
        "name",
        "kind",
        "url",
        "path",
        "query",
        "active",
        "poll_interval_minutes",
        "last_polled_at",
        "last_error",
    )
    actions = ["poll_now"]

    @admin.display(boolean=True, description=_("failing"))
    def failing(self, obj: FactCheckSource) -> bool:
        return bool(obj.last_error)

    @admin.action(description=_("Read now"))
    def poll_now(self, request, queryset):
        from claims.tasks import factcheck_source_poll_task

        ids = list(queryset.values_list("pk", flat=True))
        for pk in ids:
            enqueue_on_commit(factcheck_source_poll_task, pk)
        self.message_user(
            request,
            ngettext("%(n)d source queued.", "%(n)d sources queued.", len(ids)) % {"n": len(ids)},
            messages.SUCCESS,
        )


@admin.register(KnownFactCheck)
class KnownFactCheckAdmin(admin.ModelAdmin):
    list_display = (
        "claim_reviewed",
        "publisher_name",
        "rating_label",
        "date_published",
        "language",
    )
    list_filter = ("language", "publisher_name", "source")
    search_fields = ("claim_reviewed", "url", "publisher_name", "claimant")
    readonly_fields = ("url_hash", "content_hash", "raw", "created_at", "updated_at")
    date_hierarchy = "date_published"


@admin.register(RejectedFactCheck)
class RejectedFactCheckAdmin(admin.ModelAdmin):
    list_display = ("url", "reason", "source", "created_at")
    list_filter = ("source",)
    search_fields = ("url", "reason")
    readonly_fields = ("url", "reason", "raw", "source", "created_at")


@admin.register(KnownFactCheckMatch)
class KnownFactCheckMatchAdmin(admin.ModelAdmin):
    list_display = ("claim", "factcheck", "score", "level", "decision", "decided_by")
    list_filter = ("level", "decision")
    raw_id_fields = ("claim", "factcheck", "decided_by")
