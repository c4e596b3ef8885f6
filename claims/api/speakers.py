"""`GET /api/v1/speakers/` and `/api/v1/speakers/{id}/`: public, published verdicts only.

A speaker is listed once a verdict on one of their claims is published; the detail carries
those verdicts (newest first), their ratings by month and the speaker's aliases. Nothing about
unpublished claims is shown, whoever asks.
"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from claims.api.caching import ConditionalGetMixin, PublicResponseCacheMixin
from claims.api.pagination import SpeakerCursorPagination
from claims.api.serializers import SpeakerDetailSerializer, SpeakerSerializer
from claims.api.views import (
    _CONDITIONAL_PARAMS,
    _CREATED_ORDERING_PARAM,
    _NOT_MODIFIED,
    _PAGE_SIZE_PARAM,
    ApiGenericView,
    ApiView,
    _errors,
)
from claims.models import Speaker
from claims.selectors.speakers import (
    public_speaker,
    public_speakers,
    ratings_by_month,
    speaker_published_verdicts,
)

_SEARCH_PARAM = OpenApiParameter(
    "q", OpenApiTypes.STR, description="Part of the speaker's name or of one of their aliases."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="speakers_list",
        summary="Speakers with published verdicts",
        description="People and organisations whose claims carry a published verdict. "
        "Cursor-paginated: follow `next` until it is null.",
        parameters=[_SEARCH_PARAM, _CREATED_ORDERING_PARAM, _PAGE_SIZE_PARAM, *_CONDITIONAL_PARAMS],
        responses={200: SpeakerSerializer(many=True), **_NOT_MODIFIED, **_errors(400, 401, 429)},
        tags=["speakers"],
    )
)
class SpeakerListView(
    PublicResponseCacheMixin, ConditionalGetMixin, ApiGenericView, generics.ListAPIView
):
    serializer_class = SpeakerSerializer
    pagination_class = SpeakerCursorPagination

    def get_queryset(self):
        speakers = public_speakers()
        query = self.request.query_params.get("q", "").strip()
        if "\x00" in query:
            # Read here, not by a form field: refuse NUL as every other string parameter does
            # (the schema forbids it; PostgreSQL cannot compare with it).
            raise ValidationError({"q": ["Null characters are not allowed."]})
        if query:
            speakers = speakers.filter(pk__in=_matching(query))
        return speakers


def _matching(query: str):
    return Speaker.objects.filter(
        Q(name__icontains=query) | Q(aliases__alias__icontains=query)
    ).values("pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="speakers_retrieve",
        summary="One speaker and their published verdicts",
        description="The speaker, their aliases, the published verdicts on their claims (newest "
        "first) and those ratings by month. 404 unless a verdict on their claims is published.",
        parameters=[*_CONDITIONAL_PARAMS],
        responses={200: SpeakerDetailSerializer, **_NOT_MODIFIED, **_errors(401, 404, 429)},
        tags=["speakers"],
    )
)
class SpeakerDetailView(PublicResponseCacheMixin, ConditionalGetMixin, ApiView):
    serializer_class = SpeakerDetailSerializer

    def get(self, request, pk: int):
        speaker = public_speaker(speaker_id=pk)
        if speaker is None:
            raise NotFound("No speaker with a published verdict has this id.")
        verdicts = list(speaker_published_verdicts(speaker_id=pk))
        for verdict in verdicts:
            verdict.claim.verdict = verdict  # for ratings_by_month, without a query
        _, months = ratings_by_month([v.claim for v in verdicts])
        context = {"verdicts": verdicts, "months": months}
        return Response(SpeakerDetailSerializer(speaker, context=context).data)
