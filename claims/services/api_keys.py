"""API keys: created by admins per consumer, stored only as a SHA-256 hash, scoped, revocable.

A key looks like ``ctk_<10 chars>_<43 chars>``: the first part (``prefix``) is stored in clear to
tell keys apart in the admin; the whole key is stored only as its SHA-256. Keys carry 256 bits of
randomness, so a fast hash is enough (a slow password hash protects guessable secrets, and these
are not guessable); it also keeps authentication to one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from claims.exceptions import InvalidInputError
from claims.models import ApiKey

KEY_PREFIX = "ctk_"
SCOPES = tuple(ApiKey.Scope.values)
# Recording every use would write on every request; a minute's precision is enough to audit.
LAST_USED_PRECISION = timedelta(seconds=60)


@dataclass(frozen=True)
class CreatedKey:
    api_key: ApiKey
    raw_key: str  # shown once, never stored


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def _new_raw_key() -> tuple[str, str]:
    prefix = KEY_PREFIX + secrets.token_hex(4)[:8]  # 12 characters, the model's limit
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_key_create(*, name: str, scopes: list[str], created_by=None) -> CreatedKey:
    """Create a key; the raw key is in the result and nowhere else."""
    scopes = list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidInputError(f"Unknown scope(s): {', '.join(unknown)}.", code="invalid_scope")
    if not name.strip():
        raise InvalidInputError("Name the consumer the key is for.")
    for _attempt in range(5):
        prefix, raw = _new_raw_key()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = ApiKey(
        name=name.strip(),
        prefix=prefix,
        key_hash=api_key_hash(raw),
        scopes=scopes,
        created_by=created_by,
    )
    key.full_clean()
    key.save()
    return CreatedKey(api_key=key, raw_key=raw)


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    """The active key for ``raw_key``, or None; records its last use (at most once a minute)."""
    raw_key = raw_key.strip()
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 200:
        return None
    key = ApiKey.objects.filter(key_hash=api_key_hash(raw_key), revoked_at__isnull=True).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once; its webhook subscriptions stop receiving deliveries too."""
    key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
        key.webhooks.update(active=False, updated_at=timezone.now())
    return key
