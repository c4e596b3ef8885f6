from datetime import timedelta

import pytest
from django.utils import timezone

from claims.exceptions import InvalidInputError
from claims.models import ApiKey
from claims.services.api_keys import api_key_authenticate, api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def test_create_returns_the_raw_key_once_and_stores_only_its_hash():
    created = api_key_create(name="Correctiv", scopes=["claims:read", "claims:read"])
    key = ApiKey.objects.get(pk=created.api_key.pk)
    assert key.scopes == ["claims:read"]
    assert created.raw_key.startswith(key.prefix + "_")
    assert created.raw_key not in {key.key_hash, key.name}
    assert api_key_authenticate(raw_key=created.raw_key) == key


def test_unknown_scopes_and_empty_names_are_refused():
    with pytest.raises(InvalidInputError, match="Unknown scope"):
        api_key_create(name="X", scopes=["admin"])
    with pytest.raises(InvalidInputError):
        api_key_create(name="  ", scopes=[])


def test_authenticate_refuses_wrong_and_revoked_keys_and_records_use_sparingly():
    created = api_key_create(name="Partner", scopes=[])
    assert api_key_authenticate(raw_key=created.raw_key + "x") is None
    assert api_key_authenticate(raw_key="Bearer nonsense") is None
    first = api_key_authenticate(raw_key=created.raw_key).last_used_at
    assert api_key_authenticate(raw_key=created.raw_key).last_used_at == first  # within a minute
    ApiKey.objects.filter(pk=created.api_key.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=5)
    )
    assert api_key_authenticate(raw_key=created.raw_key).last_used_at > first
    api_key_revoke(api_key=created.api_key)
    assert api_key_authenticate(raw_key=created.raw_key) is None
