from .api import ApiKey, WebhookDelivery, WebhookSubscription
from .claims import Claim, ClaimGroup, ClaimMatch, ClaimNote, SavedFilter
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
    "ApiKey",
    "Article",
    "Claim",
    "ClaimGroup",
    "ClaimMatch",
    "ClaimNote",
    "EvidenceSource",
    "Feed",
    "KnownSourceDomain",
    "Outlet",
    "RatingLabel",
    "RatingScale",
    "SavedFilter",
    "Speaker",
    "SpeakerAlias",
    "Verdict",
    "VerdictCorrection",
    "WebhookDelivery",
    "WebhookSubscription",
]
