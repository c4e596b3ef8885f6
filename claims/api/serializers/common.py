"""Small helpers the API's serializers share."""

from __future__ import annotations

from rest_framework import serializers

from claims.claimreview import absolute_url

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
