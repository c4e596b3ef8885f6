from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.models import Article, Feed, Outlet
from claims.services.feeds import feed_poll_enqueue
from claims.services.ingestion import article_reprocess


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "poll_interval", "active", "last_polled_at", "last_error")
    readonly_fields = ("last_polled_at", "last_error")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "country", "language", "rating_scale", "active")
    list_filter = ("active", "country", "language", "rating_scale")
    list_select_related = ("rating_scale",)
    search_fields = ("name", "domain", "homepage")
    fields = (
        "name",
        "homepage",
        "domain",
        "country",
        "language",
        "rating_scale",
        "notes",
        "active",
    )
    inlines = [FeedInline]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "outlet", "kind", "poll_interval", "active", "last_polled_at", "failing")
    list_filter = ("active", "kind", "outlet")
    search_fields = ("url", "outlet__name")
    readonly_fields = ("last_polled_at", "next_poll_at", "last_error", "consecutive_failures")
    actions = ["poll_now"]

    @admin.display(boolean=True, description=_("failing"))
    def failing(self, obj: Feed) -> bool:
        return bool(obj.last_error)

    @admin.action(description=_("Poll now"))
    def poll_now(self, request, queryset):
        count = feed_poll_enqueue(feed_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d feed queued for polling.", "%(n)d feeds queued for polling.", count)
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "outlet",
        "language",
        "status",
        "error_reason",
        "published_at",
        "created_at",
    )
    list_filter = ("status", "language", "source", "outlet")
    search_fields = ("title", "url", "error")
    date_hierarchy = "created_at"
    list_select_related = ("outlet",)
    readonly_fields = (
        "url",
        "url_hash",
        "submitted_url",
        "source",
        "status",
        "error_reason",
        "error",
        "attempts",
        "content_hash",
        "duplicate_of",
        "raw_content_type",
        "raw_size",
        "fetched_at",
        "processed_at",
        "submitted_by",
        "created_at",
        "updated_at",
    )
    fields = (
        "title",
        "url",
        "submitted_url",
        "outlet",
        "feed",
        "source",
        "status",
        "error_reason",
        "error",
        "language",
        "published_at",
        "authors",
        "text",
        "content_hash",
        "duplicate_of",
        "raw_content_type",
        "raw_size",
        "fetched_at",
        "processed_at",
        "attempts",
        "submitted_by",
        "created_at",
        "updated_at",
    )
    actions = ["reprocess"]

    @admin.action(description=_("Re-process (fetch and extract again)"))
    def reprocess(self, request, queryset):
        count = 0
        for article in queryset:
            article_reprocess(article=article)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d article queued.", "%(n)d articles queued.", count) % {"n": count},
            messages.SUCCESS,
        )
