"""Admin for the notification channel: alert chat webhooks, watch rules, notifications."""

from django import forms
from django.contrib import admin

from claims.exceptions import InvalidInputError
from claims.models import AlertThresholds, AlertWebhook, Notification, WatchRule

ALERT_KINDS = [(k, label) for k, label in Notification.Kind.choices if k.startswith("alert_")]


class AlertWebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=2048, assume_scheme="https")
    kinds = forms.MultipleChoiceField(
        choices=ALERT_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked = repeats and trends (personal watchlist alerts only if ticked).",
    )

    class Meta:
        model = AlertWebhook
        fields = ["name", "url", "kinds", "active"]

    def clean_url(self):
        from claims.services.webhooks import webhook_url_validate

        url = self.cleaned_data["url"]
        try:
            return webhook_url_validate(url)
        except InvalidInputError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(AlertWebhook)
class AlertWebhookAdmin(admin.ModelAdmin):
    form = AlertWebhookForm
    list_display = ("name", "url", "kinds", "active", "created_at")
    list_filter = ("active",)
    readonly_fields = ("secret", "created_at")
    fields = ("name", "url", "kinds", "active", "secret", "created_at")


@admin.register(AlertThresholds)
class AlertThresholdsAdmin(admin.ModelAdmin):
    """One row (id 1): adding is offered only while it does not exist; deleting it returns
    the desk to the CLAIMTRACKER_ALERTS settings."""

    fields = ("trend_appearances", "trend_hours", "trend_min_outlets", "updated_at")
    readonly_fields = ("updated_at",)
    list_display = ("__str__", "trend_appearances", "trend_hours", "trend_min_outlets")

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not AlertThresholds.objects.exists()

    def save_model(self, request, obj, form, change) -> None:
        obj.pk = 1  # the single row
        super().save_model(request, obj, form, change)


@admin.register(WatchRule)
class WatchRuleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "speaker", "outlet", "group", "topic", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "topic", "speaker__name", "outlet__name")
    raw_id_fields = ("user", "speaker", "outlet", "group")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "email_status", "read_at", "created_at")
    list_filter = ("kind", "email_status")
    search_fields = ("recipient__username", "title", "dedupe_key")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # notices come from the services, once per recipient
