"""What API-key holders read and write: claims (claims:read), articles (articles:submit) and
webhook subscriptions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.schema import (
    HTTP_URL_PATTERN,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_URL_LENGTH,
    NON_BLANK_TEXT_PATTERN,
    TEXT_PATTERN,
)
from claims.api.serializers.common import (
    SpeakerRefSerializer,
    StrictFieldsMixin,
    api_detail_url,
    speaker_ref,
)
from claims.models import Article, Claim, WebhookDelivery, WebhookSubscription

# --- claims (claims:read) ------------------------------------------------------------------


class _ClaimTextFields(serializers.ModelSerializer):
    """The standalone statement and the claimant's name, role and span, shared by claim shapes."""

    standalone = serializers.CharField(
        source="claim_text",
        read_only=True,
        help_text="The claim as it can be checked without the article (references resolved, the "
        "speaker attached, relative time anchored); `text` is the sentence it comes from.",
    )
    claimant = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text="Full name of who makes the claim; null when the article itself asserts it; "
        '"unattributed" for anonymous sources.',
    )
    claimant_role = serializers.SerializerMethodField()
    standalone_needs_context = serializers.BooleanField(
        allow_null=True,
        read_only=True,
        help_text="Whether `standalone` still needs the article to be understood: it holds a "
        "pronoun or reference the rules could not resolve (listed in `standalone_unresolved`). "
        "Null for claims stored before this was assessed.",
    )
    standalone_unresolved = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text='The words of `standalone` that point into the article ("it", "the report", '
        '"Die 32-Jährige", "dort"); empty when it reads alone.',
    )

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["claimant"] = instance.claimant or None
        return data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_claimant_role(self, claim: Claim) -> str | None:
        return claim.claimant_role or None


class ClaimSerializer(_ClaimTextFields):
    article = serializers.SerializerMethodField()
    outlet = serializers.SerializerMethodField()
    group = serializers.IntegerField(source="group_id", allow_null=True)
    api_url = serializers.SerializerMethodField()
    claimant_span = serializers.SerializerMethodField()
    speaker = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id", "api_url", "text", "standalone", "standalone_needs_context",
            "standalone_unresolved", "claimant", "claimant_role", "claimant_span",
            "claim_type", "reported", "language", "score", "checkworthy", "status", "entities",
            "numbers", "start", "end", "context_before", "context_after", "article", "outlet",
            "group", "speaker", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(), allow_null=True, max_length=2)
    )
    def get_claimant_span(self, claim: Claim) -> list[int] | None:
        """Offsets in the article's text of the words naming the claimant."""
        if claim.claimant_start is None or claim.claimant_end is None:
            return None
        return [claim.claimant_start, claim.claimant_end]

    @extend_schema_field(SpeakerRefSerializer(allow_null=True))
    def get_speaker(self, claim: Claim) -> dict[str, Any] | None:
        """The speaker the claimant is linked to; null while unlinked (api_claims joins it)."""
        speaker = claim.speaker if claim.speaker_id else None
        if speaker is None:
            return None
        return speaker_ref(speaker.pk, speaker.name, speaker.role)

    @extend_schema_field(serializers.IntegerField())
    def get_article(self, claim: Claim) -> int:
        return claim.article_id

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outlet(self, claim: Claim) -> str | None:
        outlet = claim.article.outlet
        return outlet.name if outlet else None

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, claim: Claim) -> str:
        return api_detail_url("api:claim-detail", claim.pk)


class ArticleClaimSerializer(_ClaimTextFields):
    class Meta:
        model = Claim
        fields = [
            "id", "text", "standalone", "standalone_needs_context", "standalone_unresolved",
            "claimant", "claimant_role", "claim_type", "score", "checkworthy", "status",
        ]  # fmt: skip


class ArticleSerializer(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()
    outlet = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id", "status_url", "status", "error_reason", "error", "url", "title", "language",
            "outlet", "published_at", "source", "created_at", "processed_at", "claims",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField())
    def get_status_url(self, article: Article) -> str:
        return api_detail_url("api:article-detail", article.pk)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outlet(self, article: Article) -> str | None:
        return article.outlet.name if article.outlet_id else None

    @extend_schema_field(ArticleClaimSerializer(many=True))
    def get_claims(self, article: Article) -> list[dict[str, Any]]:
        # The prefetch (candidates only, ordered by sentence) is in the view's queryset.
        return ArticleClaimSerializer(article.claims.all(), many=True).data


def _valid_unicode(value: str) -> str:
    # JSON can carry lone surrogates ("\\ud800") that no database can store.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError("The text is not valid Unicode.") from None
    return value


class _StringField(serializers.CharField):
    """A JSON string only: DRF's CharField reads 123 as "123", which the schema does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "maxLength": MAX_URL_LENGTH, "pattern": HTTP_URL_PATTERN})
class _HttpUrlField(serializers.URLField):
    pass


@extend_schema_field(
    {"type": "string", "maxLength": MAX_TEXT_LENGTH, "pattern": NON_BLANK_TEXT_PATTERN}
)
class _TextField(_StringField):
    pass


@extend_schema_field({"type": "string", "maxLength": MAX_TITLE_LENGTH, "pattern": TEXT_PATTERN})
class _TitleField(_StringField):
    pass


class ArticleSubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    url = _HttpUrlField(
        required=False, max_length=MAX_URL_LENGTH, help_text="An http(s) address to fetch."
    )
    text = _TextField(
        required=False, max_length=MAX_TEXT_LENGTH, trim_whitespace=False,
        help_text="The article's text, when you have it (then `url` only records its source).",
    )  # fmt: skip
    title = _TitleField(required=False, allow_blank=True, max_length=MAX_TITLE_LENGTH, default="")

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("The text is empty.")
        return _valid_unicode(value)

    def validate_title(self, value: str) -> str:
        return _valid_unicode(value)

    def validate(self, attrs):
        if not attrs.get("url") and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError("Give a `url`, a `text`, or both.")
        return attrs


class WebhookSubscriptionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookSubscription.Event.choices),
        min_length=1,
        max_length=len(WebhookSubscription.Event.choices),
    )
    url = serializers.URLField(max_length=2048)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret. Shown only in this response: store it."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "event_id", "event", "status", "attempts", "response_status", "last_error",
            "created_at", "delivered_at",
        ]  # fmt: skip
