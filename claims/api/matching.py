"""`GET /api/v1/groups/{id}/`: a claim group's appearances, repeat counts and published verdict.

Who sees what: desk members with ``claims.view_claimgroup`` (session) and API keys with the
``claims:read`` scope see every group with claim ids, texts and statuses; anyone else sees a
group only once it carries a published verdict, and then only what the public verdict page
shows already (where and when the claim appeared), never unpublished claim texts.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from claims.api.permissions import request_api_key
from claims.api.views import ApiView
from claims.models import ClaimGroup
from claims.selectors.groups import (
    claim_group_by_id,
    claim_group_summary,
    group_appearances,
    group_repeat_counts,
    group_verdict,
)
from claims.site_urls import site_url

VIEW_GROUP = "claims.view_claimgroup"
MAX_APPEARANCES = 500


class GroupAppearanceSerializer(serializers.Serializer):
    claim = serializers.IntegerField(required=False, help_text="Claim id (desk only).")
    text = serializers.CharField(required=False, help_text="The sentence (desk only).")
    status = serializers.CharField(required=False, help_text="Claim status (desk only).")
    url = serializers.CharField(allow_blank=True)
    outlet = serializers.CharField(allow_null=True)
    language = serializers.CharField()
    date = serializers.DateTimeField(help_text="Article publication time, else when stored.")


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class OutletCountSerializer(serializers.Serializer):
    outlet = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()


class RepeatCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    per_day = DayCountSerializer(many=True)
    per_outlet = OutletCountSerializer(many=True)


class GroupVerdictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.CharField(allow_null=True)
    summary = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="The public verdict page.")


class ClaimGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    appearance_count = serializers.IntegerField()
    outlet_count = serializers.IntegerField()
    first_seen = serializers.DateTimeField(allow_null=True)
    last_seen = serializers.DateTimeField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    verdict = GroupVerdictSerializer(allow_null=True)
    appearances = GroupAppearanceSerializer(many=True)
    repeat_counts = RepeatCountsSerializer()


def _can_see_desk_data(request) -> bool:
    key = request_api_key(request)
    if key is not None:
        return "claims:read" in (key.scopes or [])
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm(VIEW_GROUP))


def group_payload(group: ClaimGroup, *, desk: bool, request) -> dict:
    """The group as the API shows it; `desk` adds claim ids, texts and statuses."""
    summary = claim_group_summary([group.pk]).get(group.pk)
    counts = group_repeat_counts(group)
    verdict = group_verdict(group)
    appearances = []
    for claim in group_appearances(group, limit=MAX_APPEARANCES):
        item = {
            "url": claim.article.url,
            "outlet": claim.article.outlet.name if claim.article.outlet_id else None,
            "language": claim.language,
            "date": claim.seen,
        }
        if desk:
            item.update(claim=claim.pk, text=claim.text, status=claim.status)
        appearances.append(item)
    return {
        "id": group.pk,
        "appearance_count": summary.appearances if summary else 0,
        "outlet_count": summary.outlets if summary else 0,
        "first_seen": summary.first_seen if summary else None,
        "last_seen": summary.last_seen if summary else None,
        "languages": list(summary.languages) if summary else [],
        "verdict": None
        if verdict is None
        else {
            "id": verdict.pk,
            "rating": verdict.rating_label.name if verdict.rating_label_id else None,
            "summary": verdict.summary,
            "published_at": verdict.published_at,
            "url": site_url(reverse("public:verdict_detail", args=[verdict.slug]), request),
        },
        "appearances": appearances,
        "repeat_counts": {
            "total": counts.total,
            "per_day": [{"date": day, "count": n} for day, n in counts.per_day],
            "per_outlet": [{"outlet": o or None, "count": n} for o, n in counts.per_outlet],
        },
    }


class ClaimGroupDetailView(ApiView):
    @extend_schema(
        operation_id="groups_retrieve",
        summary="One claim group: appearances, repeat counts, verdict",
        description="Where and when a claim appeared (one row per article), how often per day "
        "and per outlet, and the published verdict that applies to all its appearances. "
        "Public for groups with a published verdict; otherwise desk members "
        "(`claims.view_claimgroup`) or keys with `claims:read`.",
        responses={
            200: ClaimGroupSerializer,
            404: OpenApiResponse(description="No such group (or not public)."),
            429: OpenApiResponse(
                description="Too many requests; `details.retry_after` says when to retry."
            ),
        },
        tags=["groups"],
    )
    def get(self, request, pk: int) -> Response:
        group = claim_group_by_id(group_id=pk)
        if group is None:
            raise NotFound("No such group.")
        desk = _can_see_desk_data(request)
        if not desk and group_verdict(group) is None:
            # Unpublished groups are not acknowledged to exist.
            raise NotFound("No such group.")
        return Response(ClaimGroupSerializer(group_payload(group, desk=desk, request=request)).data)
