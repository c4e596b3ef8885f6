"""Small helpers the API's serializers share."""

from __future__ import annotations

from rest_framework import serializers

from claims.claimreview import absolute_url
from claims.models import Speaker

# A form posted with a session carries its CSRF token as a field: not an unknown field.
_FORM_FIELDS = frozenset({"csrfmiddlewaretoken"})


class StrictFieldsMixin:
    """A request body field the serializer does not declare is a 400, as the schema says
    (claims.api.schema: `additionalProperties: false`), not silently ignored."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields) - _FORM_FIELDS)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


def iso_datetime(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def api_detail_url(name: str, pk: int) -> str:
    return absolute_url(name, pk=pk)


class SpeakerRefSerializer(serializers.Serializer):
    """The claim's speaker as `ingest --json` prints it; the full record is /api/v1/speakers/."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(
        allow_null=True, help_text="The speaker's role; null when unknown."
    )


def speaker_ref(speaker_id: int | None, name: str | None, role: str | None) -> dict | None:
    """`{id, name, role}` or None: a claim's speaker as `ingest --json` prints it."""
    if speaker_id is None:
        return None
    return {"id": speaker_id, "name": name, "role": role or None}


def public_speaker_ref(
    speaker_id: int | None, name: str | None, role: str | None, status: str | None
) -> dict | None:
    """The public API's speaker: only a confirmed one (a proposal is null, the claimant stays)."""
    if status != Speaker.Status.CONFIRMED:
        return None
    return speaker_ref(speaker_id, name, role)
