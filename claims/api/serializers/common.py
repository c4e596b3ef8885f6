"""Small helpers the API's serializers share."""

from __future__ import annotations

from claims.claimreview import absolute_url


def iso_datetime(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def api_detail_url(name: str, pk: int) -> str:
    return absolute_url(name, pk=pk)
