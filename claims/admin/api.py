"""Admin for API consumers: keys (the raw key is shown once, on creation), webhooks, deliveries."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from claims.models import ApiKey, WebhookDelivery, WebhookSubscription
from claims.services.api_keys import SCOPES, api_key_create, api_key_revoke


class ApiKeyCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(s, s) for s in SCOPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="claims:read = the claim queue and unpublished claims; "
        "articles:submit = submit articles. Published verdicts need no key.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes"]


class WebhookInline(admin.TabularInline):
    model = WebhookSubscription
    extra = 0
    fields = ("url", "events", "active", "created_at")
    readonly_fields = ("url", "events", "created_at")
    can_delete = False
    show_change_link = True


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "scopes", "state", "last_used_at", "created_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_keys"]
    inlines = [WebhookInline]

    @admin.display(description="state")
    def state(self, obj: ApiKey) -> str:
        return "revoked" if obj.revoked_at else "active"

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes"]
        return ["name", "prefix", "scopes", "created_by", "created_at", "last_used_at",
                "revoked_at"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "scopes")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Created through the service: the raw key exists only in this one message.
        created = api_key_create(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
        )
        obj.pk = created.api_key.pk
        obj.__dict__.update(created.api_key.__dict__)
        messages.warning(
            request,
            format_html(
                "The key for {} is <code>{}</code>. Copy it now: it is stored only as a hash "
                "and cannot be shown again.",
                created.api_key.name,
                created.raw_key,
            ),
        )

    @admin.action(description="Revoke selected API keys (their webhooks stop too)")
    def revoke_keys(self, request, queryset):
        for key in queryset:
            api_key_revoke(api_key=key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "api_key", "events", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "api_key__name")
    readonly_fields = ("api_key", "url", "events", "created_at")
    fields = ("api_key", "url", "events", "active", "created_at")

    def has_add_permission(self, request) -> bool:
        return False  # consumers subscribe through the API, which validates the URL


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_id", "event", "subscription", "alert_webhook", "status", "attempts",
                    "response_status", "created_at", "delivered_at")  # fmt: skip
    list_filter = ("status", "event")
    search_fields = ("event_id", "subscription__url")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
