"""Scope checks: an API key must carry the scope; a logged-in desk member with the role passes."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from claims.models import ApiKey


def request_api_key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class _ScopePermission(BasePermission):
    scope: str = ""
    # A session user with this Django permission passes too (reviewers using the API by hand).
    staff_perm: str = "claims.work_claim"
    message = "This API key lacks the required scope."

    def has_permission(self, request, view) -> bool:
        key = request_api_key(request)
        if key is not None:
            return self.scope in (key.scopes or [])
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.staff_perm))


class HasClaimsRead(_ScopePermission):
    scope = "claims:read"
    message = "This needs an API key with the claims:read scope."


class HasArticlesSubmit(_ScopePermission):
    scope = "articles:submit"
    message = "This needs an API key with the articles:submit scope."


class HasArticlesRead(BasePermission):
    """Article status: keys that may submit articles or read claims."""

    message = "This needs an API key with the articles:submit or claims:read scope."

    def has_permission(self, request, view) -> bool:
        return HasArticlesSubmit().has_permission(request, view) or HasClaimsRead().has_permission(
            request, view
        )


class IsApiKey(BasePermission):
    message = "Webhook subscriptions belong to an API key; authenticate with one."

    def has_permission(self, request, view) -> bool:
        return request_api_key(request) is not None
