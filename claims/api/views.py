"""API views. Reads go through selectors, writes through services; errors use one JSON shape."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api import examples
from claims.api.authentication import ApiKeyAuthentication
from claims.api.caching import ConditionalGetMixin, PublicResponseCacheMixin
from claims.api.errors import ErrorSerializer, api_exception_handler
from claims.api.filters import ClaimFilter, VerdictFilter
from claims.api.pagination import ClaimCursorPagination, VerdictCursorPagination
from claims.api.permissions import (
    HasArticlesRead,
    HasArticlesSubmit,
    HasClaimsRead,
    request_api_key,
)
from claims.api.renderers import FastJSONRenderer, JSONLDRenderer
from claims.api.serializers import (
    CLAIMREVIEW_SCHEMA,
    ArticleSerializer,
    ArticleSubmitSerializer,
    ClaimSerializer,
    VerdictDetailSerializer,
    VerdictListSerializer,
)
from claims.api.throttling import THROTTLES
from claims.claimreview import claim_review
from claims.models import Article
from claims.selectors.api import (
    api_article,
    api_articles,
    api_claims,
)
from claims.selectors.public import (
    published_verdict_by_id,
    published_verdict_rows,
    verdict_last_modified,
)
from claims.services.ingestion import article_submit


class _FixedRenderer(BaseContentNegotiation):
    """ClaimReview is always JSON-LD, whatever Accept says (crawlers send odd ones)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    text = {
        400: "Invalid parameters (the message names them).",
        401: "Missing, invalid or revoked API key.",
        403: "The key lacks the scope this endpoint needs.",
        404: "Not found (or not published).",
        405: "Method not allowed.",
        413: "The request body is too large.",
        415: "Unsupported content type; send JSON.",
        429: "Too many requests; `details.retry_after` says when to retry.",
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=text[code], examples=examples.ERRORS)
        for code in codes
    }


_NOT_MODIFIED = {304: OpenApiResponse(description="Not modified (ETag / Last-Modified match).")}
_CONDITIONAL_PARAMS = [
    OpenApiParameter(
        "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
        description="An ETag from an earlier answer: 304 when unchanged.",
    ),
]  # fmt: skip


class ApiView(APIView):
    """Base for every endpoint: key or session auth, JSON only, throttled, one error shape."""

    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    # JSON bodies only: a form cannot say "123" from 123 nor "" from absent, so it could not
    # keep the schema's contract; anything else is a 415 (documented on every body).
    parser_classes = [JSONParser]
    renderer_classes = [FastJSONRenderer]
    throttle_classes = THROTTLES
    permission_classes = [AllowAny]

    def get_exception_handler(self):
        return api_exception_handler

    def perform_authentication(self, request):
        super().perform_authentication(request)
        if request_api_key(request) is not None:
            # Keys are not users: Django-level code that records "who" (simple-history on the
            # claims an eager pipeline creates in this request) must see nobody, not a key.
            request._request.user = AnonymousUser()


class ApiGenericView(ApiView, generics.GenericAPIView):
    pass


# --- verdicts (public) ---------------------------------------------------------------------


_ORDERING_PARAM = OpenApiParameter(
    "ordering", OpenApiTypes.STR, enum=["-published_at", "published_at", "-updated_at",
                                        "updated_at"],
    description="Sort order; default `-published_at` (newest first).",
)  # fmt: skip
# The lists of stored rows (claims, known fact-checks, speakers) sort by creation time only.
_CREATED_ORDERING_PARAM = OpenApiParameter(
    "ordering",
    OpenApiTypes.STR,
    enum=["-created_at", "created_at"],
    description="Sort order; default newest first.",
)
_PAGE_SIZE_PARAM = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1, "maximum": 200},
    description="Rows per page, 1 to 200 (default 50).",
)


@extend_schema_view(
    get=extend_schema(
        operation_id="verdicts_list",
        summary="List published verdicts",
        description="Published verdicts, newest first, with filters and full-text search. "
        "Cursor-paginated: follow `next` until it is null; every page costs the same.",
        parameters=[_ORDERING_PARAM, _PAGE_SIZE_PARAM, *_CONDITIONAL_PARAMS],
        responses={
            200: VerdictListSerializer(many=True),
            **_NOT_MODIFIED,
            **_errors(400, 401, 429),
        },
        examples=[examples.VERDICT_LIST],
        tags=["verdicts"],
    )
)
class VerdictListView(
    PublicResponseCacheMixin, ConditionalGetMixin, ApiGenericView, generics.ListAPIView
):
    serializer_class = VerdictListSerializer
    pagination_class = VerdictCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = VerdictFilter

    def get_queryset(self):
        return published_verdict_rows()

    def filter_queryset(self, queryset):
        # Without a filter parameter the filter set changes nothing: skip building it.
        params = self.request.query_params
        if not any(name in params for name in VerdictFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)


class _VerdictMixin:
    def get_verdict(self, pk: int):
        verdict = published_verdict_by_id(pk)
        if verdict is None:
            raise NotFound("No published verdict with this id.")
        self.last_modified = verdict_last_modified(verdict)
        return verdict


@extend_schema_view(
    get=extend_schema(
        operation_id="verdicts_retrieve",
        summary="One published verdict",
        description="Everything about a published verdict: claim, rating, evidence, appearances, "
        "corrections. Supports conditional requests (ETag, Last-Modified).",
        parameters=[*_CONDITIONAL_PARAMS],
        responses={200: VerdictDetailSerializer, **_NOT_MODIFIED, **_errors(401, 404, 429)},
        examples=[examples.VERDICT_DETAIL],
        tags=["verdicts"],
    )
)
class VerdictDetailView(PublicResponseCacheMixin, ConditionalGetMixin, _VerdictMixin, ApiView):
    serializer_class = VerdictDetailSerializer

    def get(self, request, pk: int):
        return Response(VerdictDetailSerializer(self.get_verdict(pk)).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="verdicts_claimreview",
        summary="The verdict as schema.org ClaimReview (JSON-LD)",
        description="The same object the public verdict page embeds, as `application/ld+json`.",
        parameters=[*_CONDITIONAL_PARAMS],
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                CLAIMREVIEW_SCHEMA, examples=[examples.CLAIMREVIEW]
            ),
            **_NOT_MODIFIED,
            # Errors are plain JSON when the path does not even reach this view (e.g. a bad id).
            **{(code, "application/ld+json"): r for code, r in _errors(401, 404, 429).items()},
            **{(code, "application/json"): r for code, r in _errors(401, 404, 405, 429).items()},
        },
        tags=["verdicts"],
    )
)
class VerdictClaimReviewView(PublicResponseCacheMixin, ConditionalGetMixin, _VerdictMixin, ApiView):
    renderer_classes = [JSONLDRenderer]
    content_negotiation_class = _FixedRenderer

    def get(self, request, pk: int):
        return Response(claim_review(self.get_verdict(pk)))


# --- claims (claims:read) ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="claims_list",
        summary="The claim queue (partner desks)",
        description="All claims, including unpublished ones. Needs the `claims:read` scope.",
        parameters=[_CREATED_ORDERING_PARAM, _PAGE_SIZE_PARAM],
        responses={200: ClaimSerializer(many=True), **_errors(400, 401, 403, 429)},
        tags=["claims"],
    )
)
class ClaimListView(ApiGenericView, generics.ListAPIView):
    permission_classes = [HasClaimsRead]
    serializer_class = ClaimSerializer
    pagination_class = ClaimCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter

    def get_queryset(self):
        return api_claims()


@extend_schema_view(
    get=extend_schema(
        operation_id="claims_retrieve",
        summary="One claim (any status)",
        responses={200: ClaimSerializer, **_errors(401, 403, 404, 429)},
        tags=["claims"],
    )
)
class ClaimDetailView(ApiGenericView, generics.RetrieveAPIView):
    permission_classes = [HasClaimsRead]
    serializer_class = ClaimSerializer

    def get_queryset(self):
        return api_claims()


# --- articles ------------------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(
        operation_id="articles_submit",
        summary="Submit an article by URL or text",
        description="Queues the article for fetching and claim extraction and answers at once with "
        "`202 Accepted`; poll `status_url` until `status` is `done` or `failed`. A URL that is "
        "already known returns its existing article. Needs the `articles:submit` scope.",
        request=ArticleSubmitSerializer,
        responses={202: ArticleSerializer, **_errors(400, 401, 403, 413, 415, 429)},
        examples=[examples.ARTICLE_SUBMIT, examples.ARTICLE_ACCEPTED],
        tags=["articles"],
    )
)
class ArticleSubmitView(ApiView):
    permission_classes = [HasArticlesSubmit]

    def post(self, request):
        serializer = ArticleSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user if request_api_key(request) is None else None
        article = article_submit(
            source=Article.Source.API,
            url=data.get("url") or None,
            text=data.get("text") or None,
            title=data.get("title", ""),
            submitted_by=user,
            api_key=request_api_key(request),
        )
        article = api_article(article_id=article.pk)
        body = ArticleSerializer(article).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]}
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="articles_retrieve",
        summary="An article's processing status and extracted claims",
        responses={200: ArticleSerializer, **_errors(401, 403, 404, 429)},
        tags=["articles"],
    )
)
class ArticleDetailView(ApiGenericView, generics.RetrieveAPIView):
    permission_classes = [HasArticlesRead]
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return api_articles(api_key=request_api_key(self.request))
