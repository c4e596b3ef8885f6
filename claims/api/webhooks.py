"""The webhook subscriptions of an API key: subscribe, list, unsubscribe, read the delivery log
(docs/api.md, "Webhooks"; deliveries are made by claims.services.webhooks)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from claims.api import examples
from claims.api.permissions import IsApiKey
from claims.api.serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)
from claims.api.views import ApiView, _errors
from claims.models import WebhookSubscription
from claims.selectors.api import webhook_deliveries, webhook_subscription, webhook_subscriptions
from claims.services.webhooks import webhook_subscribe, webhook_unsubscribe


@extend_schema_view(
    get=extend_schema(
        operation_id="webhooks_list",
        summary="Your key's webhook subscriptions",
        responses={200: WebhookSubscriptionSerializer(many=True), **_errors(401, 403, 429)},
        tags=["webhooks"],
    ),
    post=extend_schema(
        operation_id="webhooks_create",
        summary="Subscribe a URL to verdict events",
        description="Events: `verdict.published`, `verdict.corrected`. The answer contains the "
        "signing `secret` once; see docs/api.md for verifying signatures.",
        request=WebhookSubscriptionSerializer,
        responses={
            201: WebhookSubscriptionCreatedSerializer,
            **_errors(400, 401, 403, 413, 415, 429),
        },
        examples=[examples.WEBHOOK_CREATE],
        tags=["webhooks"],
    ),
)
class WebhookListView(ApiView):
    permission_classes = [IsApiKey]

    def get(self, request):
        subs = webhook_subscriptions(api_key=request.auth)
        return Response(WebhookSubscriptionSerializer(subs, many=True).data)

    def post(self, request):
        serializer = WebhookSubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sub = webhook_subscribe(
            api_key=request.auth,
            url=serializer.validated_data["url"],
            events=serializer.validated_data["events"],
        )
        return Response(WebhookSubscriptionCreatedSerializer(sub).data, status=201)


class _OwnSubscriptionMixin:
    def get_subscription(self, request, pk: int) -> WebhookSubscription:
        sub = webhook_subscription(api_key=request.auth, subscription_id=pk)
        if sub is None:
            raise NotFound("No active subscription with this id for your key.")
        return sub


@extend_schema_view(
    get=extend_schema(
        operation_id="webhooks_retrieve",
        summary="One subscription",
        responses={200: WebhookSubscriptionSerializer, **_errors(401, 403, 404, 429)},
        tags=["webhooks"],
    ),
    delete=extend_schema(
        operation_id="webhooks_delete",
        summary="Unsubscribe",
        responses={204: None, **_errors(401, 403, 404, 429)},
        tags=["webhooks"],
    ),
)
class WebhookDetailView(_OwnSubscriptionMixin, ApiView):
    permission_classes = [IsApiKey]

    def get(self, request, pk: int):
        return Response(WebhookSubscriptionSerializer(self.get_subscription(request, pk)).data)

    def delete(self, request, pk: int):
        webhook_unsubscribe(subscription=self.get_subscription(request, pk))
        return Response(status=204)


@extend_schema_view(
    get=extend_schema(
        operation_id="webhooks_deliveries",
        summary="The delivery log of a subscription (latest 100)",
        responses={200: WebhookDeliverySerializer(many=True), **_errors(401, 403, 404, 429)},
        tags=["webhooks"],
    )
)
class WebhookDeliveryListView(_OwnSubscriptionMixin, ApiView):
    permission_classes = [IsApiKey]

    def get(self, request, pk: int):
        sub = self.get_subscription(request, pk)
        deliveries = webhook_deliveries(subscription=sub)
        return Response(WebhookDeliverySerializer(deliveries, many=True).data)
