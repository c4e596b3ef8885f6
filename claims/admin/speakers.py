"""Speakers in the admin: search, aliases inline, history; merging through the same service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from claims.exceptions import ClaimTrackerError
from claims.models import Speaker, SpeakerAlias
from claims.services.speaker_review import speaker_confirm, speaker_merge


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0
    fields = ("alias", "valid_from", "valid_until")


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "role", "organisation", "wikidata_qid", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "aliases__alias", "role", "organisation", "wikidata_qid")
    readonly_fields = ("created_at", "updated_at")
    inlines = [SpeakerAliasInline]
    actions = ["confirm", "merge_into_oldest"]

    @admin.action(description=_("Confirm selected speakers"))
    def confirm(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            speaker_confirm(actor=request.user, speaker_id=pk)
        self.message_user(request, _("Confirmed."), messages.SUCCESS)

    @admin.action(description=_("Merge selected speakers into the oldest of them"))
    def merge_into_oldest(self, request, queryset):
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, _("Choose at least two speakers."), messages.WARNING)
            return
        try:
            for pk in ids[1:]:
                speaker_merge(actor=request.user, speaker_id=pk, into_id=ids[0])
        except ClaimTrackerError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        n = len(ids) - 1
        self.message_user(
            request,
            ngettext("%(n)d speaker merged.", "%(n)d speakers merged.", n) % {"n": n},
            messages.SUCCESS,
        )


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    list_display = ("alias", "speaker", "valid_from", "valid_until")
    search_fields = ("alias", "speaker__name")
    raw_id_fields = ("speaker",)
