"""``Authorization: Api-Key <key>`` (or ``Bearer <key>``) authentication for API consumers."""

from __future__ import annotations

from dataclasses import dataclass, field

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from claims.models import ApiKey
from claims.services.api_keys import api_key_authenticate

SCHEMES = ("api-key", "bearer")


@dataclass
class ApiKeyPrincipal:
    """``request.user`` for a request made with an API key (keys are not Django users)."""

    api_key: ApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    groups: list = field(default_factory=list)

    @property
    def pk(self) -> None:  # nothing to attribute writes to in the user table
        return None

    id = pk

    @property
    def username(self) -> str:
        return f"api-key:{self.api_key.prefix}"

    def has_perm(self, perm: str, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return self.username


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() not in SCHEMES:
            return None  # e.g. Basic: not ours
        raw = raw.strip()
        if not raw:
            raise exceptions.AuthenticationFailed("The Authorization header has no key.")
        key = api_key_authenticate(raw_key=raw)
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return ApiKeyPrincipal(api_key=key), key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Api-Key <key>` (or `Bearer <key>`). Keys are "
            "created by the desk's admins, with scopes `claims:read` and/or `articles:submit`.",
        }
