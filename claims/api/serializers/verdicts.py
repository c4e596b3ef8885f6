"""Public verdicts: list rows, detail, ratings, evidence, corrections, and the ClaimReview schema.

List rows are built by hand in ``to_representation`` (same fields as declared, which is what the
OpenAPI schema shows): DRF's generic field machinery costs more than the query on a fast page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from claims.api.serializers.common import (
    SpeakerRefSerializer,
    api_detail_url,
    iso_datetime,
    public_speaker_ref,
)
from claims.claimreview import absolute_url, organization, site_url, verdict_public_url
from claims.ingest.urls import as_uri
from claims.models import Claim, EvidenceSource, RatingLabel, Verdict
from claims.selectors.public import verdict_appearances, verdict_last_modified
from claims.services.verdicts import explanation_html


def rating_data(label: RatingLabel | None) -> dict[str, Any] | None:
    if label is None:
        return None
    scale = label.scale
    return {
        "label": label.name,
        "alternate_name": label.alternate_name or label.name,
        "value": label.value,
        "normalised": label.normalised,
        "colour": label.colour,
        "scale": {
            "name": scale.name,
            "best_rating": scale.best_rating,
            "worst_rating": scale.worst_rating,
        },
    }


class RatingScaleSerializer(serializers.Serializer):
    name = serializers.CharField()
    best_rating = serializers.IntegerField(allow_null=True)
    worst_rating = serializers.IntegerField(allow_null=True)


class RatingSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The label on the desk's rating scale.")
    alternate_name = serializers.CharField(help_text="The verdict text (ClaimReview).")
    value = serializers.IntegerField(
        allow_null=True, help_text="Ordinal value on the scale; null for non-ordinal labels."
    )
    normalised = serializers.FloatField(
        allow_null=True, help_text="(value - worst) / (best - worst): 0 worst, 1 best."
    )
    colour = serializers.CharField()
    scale = RatingScaleSerializer()


class ClaimSummarySerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The sentence of the article the claim was found in.")
    standalone = serializers.CharField(
        help_text="The claim as it can be checked without the article (ClaimReview's "
        "claimReviewed)."
    )
    claimant = serializers.CharField(allow_null=True)
    claimant_role = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField(choices=Claim.Type.choices)
    language = serializers.CharField()
    speaker = SpeakerRefSerializer(
        allow_null=True,
        help_text="The speaker the claimant is linked to (see /api/v1/speakers/); null when none.",
    )


_SLUG_SENTINEL = "row-slug-sentinel-7f3a"
_PK_SENTINEL = 987654321987654321


class _RowUrls:
    """The two absolute URLs of a list row, from templates built once per page.

    ``absolute_url`` looks up the script prefix and URL conf (thread-locals) on every call:
    a tenth of an uncached 50-row page, spent producing the same two strings with another id.
    """

    def __init__(self) -> None:
        self.public = absolute_url("public:verdict_detail", slug=_SLUG_SENTINEL)
        self.api = api_detail_url("api:verdict-detail", _PK_SENTINEL)

    def public_url(self, slug: str) -> str:
        return self.public.replace(_SLUG_SENTINEL, slug)

    def api_url(self, pk: int) -> str:
        return self.api.replace(str(_PK_SENTINEL), str(pk))


class VerdictListRowsSerializer(serializers.ListSerializer):
    def to_representation(self, data) -> list[dict[str, Any]]:
        urls = _RowUrls()
        return [
            _row_from_values(row, urls)
            if isinstance(row, dict)
            else self.child.to_representation(row)
            for row in data
        ]


class VerdictListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    public_url = serializers.URLField(help_text="The public verdict page (HTML + ClaimReview).")
    api_url = serializers.URLField()
    claim = ClaimSummarySerializer()
    rating = RatingSerializer(allow_null=True)
    summary = serializers.CharField(help_text="The short verdict.")
    outlet = serializers.CharField(allow_null=True, help_text="Where the claim was found.")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        list_serializer_class = VerdictListRowsSerializer

    def to_representation(self, verdict: Verdict | dict[str, Any]) -> dict[str, Any]:
        if isinstance(verdict, dict):
            return _row_from_values(verdict)
        claim = verdict.claim
        outlet = claim.article.outlet
        return {
            "id": verdict.pk,
            "slug": verdict.slug,
            "public_url": verdict_public_url(verdict),
            "api_url": api_detail_url("api:verdict-detail", verdict.pk),
            "claim": {
                "text": claim.text,
                "standalone": claim.claim_text,
                "claimant": claim.claimant or None,
                "claimant_role": claim.claimant_role or None,
                "type": claim.claim_type,
                "language": claim.language,
                "speaker": public_speaker_ref(
                    claim.speaker_id,
                    claim.speaker.name if claim.speaker_id else None,
                    claim.speaker.role if claim.speaker_id else None,
                    claim.speaker.status if claim.speaker_id else None,
                ),
            },
            "rating": rating_data(verdict.rating_label),
            "summary": verdict.summary,
            "outlet": outlet.name if outlet else None,
            "published_at": iso_datetime(verdict.published_at),
            "updated_at": iso_datetime(verdict.updated_at),
        }


def _normalised(value: int | None, best: int | None, worst: int | None) -> float | None:
    if value is None or best is None or worst is None or best == worst:
        return None
    return (value - worst) / (best - worst)


def _row_from_values(row: dict[str, Any], urls: _RowUrls | None = None) -> dict[str, Any]:
    """A list row from ``published_verdict_rows()`` (plain values, no model instances)."""
    urls = urls or _RowUrls()
    rating = None
    if row["rating_label__name"] is not None:
        best = row["rating_label__scale__best_rating"]
        worst = row["rating_label__scale__worst_rating"]
        rating = {
            "label": row["rating_label__name"],
            "alternate_name": row["rating_label__alternate_name"] or row["rating_label__name"],
            "value": row["rating_label__value"],
            "normalised": _normalised(row["rating_label__value"], best, worst),
            "colour": row["rating_label__colour"],
            "scale": {
                "name": row["rating_label__scale__name"],
                "best_rating": best,
                "worst_rating": worst,
            },
        }
    return {
        "id": row["id"],
        "slug": row["slug"],
        "public_url": urls.public_url(row["slug"]),
        "api_url": urls.api_url(row["id"]),
        "claim": {
            "text": row["claim__text"],
            "standalone": row["claim__standalone"] or row["claim__text"],
            "claimant": row["claim__claimant"] or None,
            "claimant_role": row["claim__claimant_role"] or None,
            "type": row["claim__claim_type"],
            "language": row["claim__language"],
            "speaker": public_speaker_ref(
                row["claim__speaker_id"],
                row["claim__speaker__name"],
                row["claim__speaker__role"],
                row["claim__speaker__status"],
            ),
        },
        "rating": rating,
        "summary": row["summary"],
        "outlet": row["claim__article__outlet__name"],
        "published_at": iso_datetime(row["published_at"]),
        "updated_at": iso_datetime(row["updated_at"]),
    }


class AppearanceSerializer(serializers.Serializer):
    url = serializers.URLField(allow_null=True)
    title = serializers.CharField()
    outlet = serializers.CharField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    quote = serializers.CharField()
    stance = serializers.ChoiceField(choices=EvidenceSource.Stance.choices)
    accessed_at = serializers.DateTimeField(allow_null=True)
    archived_copy_url = serializers.URLField(
        allow_null=True, help_text="Our archived copy of the page, when one was kept."
    )


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    note = serializers.CharField()


class OrganizationSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(required=False)


class VerdictDetailSerializer(VerdictListSerializer):
    explanation = serializers.CharField(help_text="The explanation as Markdown.")
    explanation_html = serializers.CharField(help_text="The explanation as sanitised HTML.")
    appearances = AppearanceSerializer(many=True, help_text="Articles the claim appeared in.")
    first_appearance = AppearanceSerializer(allow_null=True)
    evidence = EvidenceSerializer(many=True)
    corrections = CorrectionSerializer(many=True)
    author = OrganizationSerializer(help_text="The organisation that published the verdict.")
    claimreview_url = serializers.URLField()
    date_modified = serializers.DateTimeField(
        help_text="Latest change of the public record (edit or correction)."
    )

    def to_representation(self, verdict: Verdict) -> dict[str, Any]:
        data = super().to_representation(verdict)
        articles = verdict_appearances(verdict)
        appearances = [
            {
                "url": a.url or None,
                "title": a.title,
                "outlet": a.outlet.name if a.outlet_id else None,
                "published_at": iso_datetime(a.published_at),
                "language": a.language,
            }
            for a in articles
        ]
        data.update(
            {
                "explanation": verdict.explanation,
                "explanation_html": explanation_html(verdict.explanation),
                "appearances": appearances,
                "first_appearance": appearances[0] if appearances else None,
                "evidence": [_evidence(verdict, e) for e in verdict.evidence.all()],
                "corrections": [
                    {"date": iso_datetime(c.created_at), "note": c.note}
                    for c in verdict.corrections.all()
                ],
                "author": organization_data(),
                "claimreview_url": site_url(
                    reverse("api:verdict-claimreview", kwargs={"pk": verdict.pk})
                ),
                "date_modified": iso_datetime(verdict_last_modified(verdict)),
            }
        )
        return data


def organization_data() -> dict[str, Any]:
    org = organization()
    return {k: v for k, v in org.items() if not k.startswith("@")}


def _evidence(verdict: Verdict, e: EvidenceSource) -> dict[str, Any]:
    archived = None
    if e.archived_at is not None:
        archived = site_url(
            reverse("public:evidence_archive", kwargs={"slug": verdict.slug, "pk": e.pk})
        )
    return {
        "url": as_uri(e.url),  # sources stored before addresses were kept as URIs
        "title": e.title,
        "publisher": e.publisher,
        "quote": e.quote,
        "stance": e.stance,
        "accessed_at": iso_datetime(e.accessed_at),
        "archived_copy_url": archived,
    }


_OBJ = {"type": "object", "additionalProperties": True}

CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD). Optional fields are left out when the "
    "data does not exist; see docs/api.md for the mapping.",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "author"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string"},
                "alternateName": {"type": "string"},
                "name": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "ratingExplanation": {"type": "string"},
            },
        },
        "author": _OBJ,
        "publisher": _OBJ,
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "inLanguage": {"type": "string"},
        "itemReviewed": _OBJ,
        "correction": {"type": "array", "items": _OBJ},
    },
}
