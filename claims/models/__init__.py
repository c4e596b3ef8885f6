from .api import ApiKey, WebhookDelivery, WebhookSubscription
from .claims import Claim, ClaimGroup, ClaimMatch, ClaimNote, SavedFilter
from .notifications import (
    AlertWebhook,
    ArticleAlertRun,
    Notification,
    NotificationPreference,
    WatchRule,
)
from .sources import Article, Feed, Outlet
from .speakers import Speaker, SpeakerAlias
from .verdicts import (
    EvidenceSource,
    KnownSourceDomain,
    RatingLabel,
    RatingScale,
    Verdict,
    VerdictCorrection,
)

__all__ = [
    "AlertWebhook",
    "ApiKey",
    "Article",
    "ArticleAlertRun",
    "Claim",
    "ClaimGroup",
    "ClaimMatch",
    "ClaimNote",
    "EvidenceSource",
    "Feed",
    "KnownSourceDomain",
    "Notification",
    "NotificationPreference",
    "Outlet",
    "RatingLabel",
    "RatingScale",
    "SavedFilter",
    "Speaker",
    "SpeakerAlias",
    "Verdict",
    "VerdictCorrection",
    "WatchRule",
    "WebhookDelivery",
    "WebhookSubscription",
]
