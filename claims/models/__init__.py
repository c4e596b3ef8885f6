from .api import ApiKey, WebhookDelivery, WebhookSubscription
from .claims import Claim, ClaimGroup, ClaimMatch, ClaimNote, SavedFilter
from .factchecks import FactCheckSource, KnownFactCheck, KnownFactCheckMatch, RejectedFactCheck
from .notifications import (
    AlertThresholds,
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
    "AlertThresholds",
    "AlertWebhook",
    "ApiKey",
    "Article",
    "ArticleAlertRun",
    "Claim",
    "ClaimGroup",
    "ClaimMatch",
    "ClaimNote",
    "EvidenceSource",
    "FactCheckSource",
    "Feed",
    "KnownFactCheck",
    "KnownFactCheckMatch",
    "KnownSourceDomain",
    "Notification",
    "NotificationPreference",
    "Outlet",
    "RatingLabel",
    "RatingScale",
    "RejectedFactCheck",
    "SavedFilter",
    "Speaker",
    "SpeakerAlias",
    "Verdict",
    "VerdictCorrection",
    "WatchRule",
    "WebhookDelivery",
    "WebhookSubscription",
]
