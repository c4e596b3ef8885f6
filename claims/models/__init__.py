from .api import ApiKey, WebhookDelivery, WebhookSubscription
from .claims import Claim, ClaimGroup, ClaimMatch, ClaimNote, SavedFilter
from .factchecks import FactCheckSource, KnownFactCheck, KnownFactCheckMatch, RejectedFactCheck
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
    "FactCheckSource",
    "Feed",
    "KnownFactCheck",
    "KnownFactCheckMatch",
    "KnownSourceDomain",
    "Outlet",
    "RatingLabel",
    "RatingScale",
    "RejectedFactCheck",
    "SavedFilter",
    "Speaker",
    "SpeakerAlias",
    "Verdict",
    "VerdictCorrection",
    "WebhookDelivery",
    "WebhookSubscription",
]
