"""Known fact-checks and their matches to our claims, read with the `claims:read` scope.

`GET /api/v1/known-factchecks/` (cursor-paginated, newest stored first; filters: language,
publisher, claim), `GET /api/v1/known-factchecks/{id}/`, and
`GET /api/v1/claims/{id}/known-factchecks/` (the claim's matches a reviewer has not rejected,
best first). Our own ClaimReview feed stays the public output; these are desk data.
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from claims.api.filters import BoundedCharFilter
from claims.api.pagination import ClaimCursorPagination
from claims.api.permissions import HasClaimsRead
from claims.api.views import (
    _CREATED_ORDERING_PARAM,
    _PAGE_SIZE_PARAM,
    ApiGenericView,
    ApiView,
    _errors,
)
from claims.models import Claim, KnownFactCheck, KnownFactCheckMatch
from claims.selectors.factchecks import claim_factcheck_matches, known_factchecks


class KnownFactCheckSerializer(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher_name")
    rating = serializers.CharField(source="rating_label")
    source = serializers.CharField(source="source.name", allow_null=True, default=None)

    class Meta:
        model = KnownFactCheck
        fields = [
            "id",
            "url",
            "publisher",
            "publisher_url",
            "claim_reviewed",
            "claimant",
            "rating",
            "rating_value",
            "best_rating",
            "worst_rating",
            "date_published",
            "date_modified",
            "language",
            "snippet",
            "source",
            "created_at",
            "updated_at",
        ]


class KnownFactCheckMatchSerializer(serializers.ModelSerializer):
    factcheck = KnownFactCheckSerializer()

    class Meta:
        model = KnownFactCheckMatch
        fields = ["id", "claim", "score", "level", "reason", "decision", "decided_at", "factcheck"]


class KnownFactCheckFilter(django_filters.FilterSet):
    language = BoundedCharFilter(lookup_expr="iexact", max_length=16)
    publisher = BoundedCharFilter(field_name="publisher_name", lookup_expr="iexact", max_length=300)

    class Meta:
        model = KnownFactCheck
        fields = ["language", "publisher"]


@extend_schema_view(
    get=extend_schema(
        operation_id="known_factchecks_list",
        summary="Known fact-checks (other fact-checkers' ClaimReviews)",
        description="Newest stored first, cursor-paginated. Needs the `claims:read` scope.",
        parameters=[_CREATED_ORDERING_PARAM, _PAGE_SIZE_PARAM],
        responses={200: KnownFactCheckSerializer(many=True), **_errors(400, 401, 403, 429)},
        tags=["known fact-checks"],
    )
)
class KnownFactCheckListView(ApiGenericView, generics.ListAPIView):
    permission_classes = [HasClaimsRead]
    serializer_class = KnownFactCheckSerializer
    pagination_class = ClaimCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = KnownFactCheckFilter

    def get_queryset(self):
        return known_factchecks()


@extend_schema_view(
    get=extend_schema(
        operation_id="known_factchecks_retrieve",
        summary="One known fact-check",
        responses={200: KnownFactCheckSerializer, **_errors(401, 403, 404, 429)},
        tags=["known fact-checks"],
    )
)
class KnownFactCheckDetailView(ApiGenericView, generics.RetrieveAPIView):
    permission_classes = [HasClaimsRead]
    serializer_class = KnownFactCheckSerializer

    def get_queryset(self):
        return known_factchecks()


class ClaimKnownFactChecksView(ApiView):
    permission_classes = [HasClaimsRead]

    @extend_schema(
        operation_id="claims_known_factchecks",
        summary="A claim's matches to known fact-checks",
        description="Best first; matches a reviewer rejected are left out. `level` is "
        "`confirmed` or `suggested` as in our own matching; `decision` is the reviewer's.",
        responses={200: KnownFactCheckMatchSerializer(many=True), **_errors(401, 403, 404, 429)},
        tags=["known fact-checks"],
    )
    def get(self, request, pk: int) -> Response:
        if not Claim.objects.filter(pk=pk, candidate=True).exists():
            raise NotFound("No such claim.")
        matches = claim_factcheck_matches(pk)
        return Response(KnownFactCheckMatchSerializer(matches, many=True).data)
