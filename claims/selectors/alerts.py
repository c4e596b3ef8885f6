"""The trend thresholds in force: the admin-edited row, else the CLAIMTRACKER_ALERTS settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from claims.models import AlertThresholds


@dataclass(frozen=True)
class TrendThresholds:
    appearances: int
    hours: int
    min_outlets: int


def trend_thresholds() -> TrendThresholds:
    """Read once per alert evaluation (one small query), so an admin's change applies to the
    next article without restarting a worker."""
    row = AlertThresholds.objects.filter(pk=1).first()
    if row is not None:
        return TrendThresholds(row.trend_appearances, row.trend_hours, row.trend_min_outlets)
    conf = settings.CLAIMTRACKER_ALERTS
    return TrendThresholds(
        int(conf["TREND_APPEARANCES"]), int(conf["TREND_HOURS"]), int(conf["TREND_MIN_OUTLETS"])
    )
