"""Output shapes of the API (read-only serializers) and input for its writes, by audience."""

from claims.api.serializers.desk import (
    ArticleClaimSerializer,
    ArticleSerializer,
    ArticleSubmitSerializer,
    ClaimSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)
from claims.api.serializers.speakers import SpeakerDetailSerializer, SpeakerSerializer
from claims.api.serializers.verdicts import (
    CLAIMREVIEW_SCHEMA,
    VerdictDetailSerializer,
    VerdictListSerializer,
)

__all__ = [
    "CLAIMREVIEW_SCHEMA",
    "ArticleClaimSerializer",
    "ArticleSerializer",
    "ArticleSubmitSerializer",
    "ClaimSerializer",
    "SpeakerDetailSerializer",
    "SpeakerSerializer",
    "VerdictDetailSerializer",
    "VerdictListSerializer",
    "WebhookDeliverySerializer",
    "WebhookSubscriptionCreatedSerializer",
    "WebhookSubscriptionSerializer",
]
