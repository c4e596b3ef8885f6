"""Trend thresholds edited by an admin (AlertThresholds) decide whether a trend alert fires."""

import pytest
from django.urls import reverse

from claims.models import AlertThresholds, Notification
from claims.selectors.alerts import trend_thresholds
from claims.services.alerts import article_alerts_evaluate
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, OutletFactory

pytestmark = pytest.mark.django_db


def _appearances(group, outlets):
    claims = [
        ClaimFactory(article=ArticleFactory(status="done", outlet=outlet), group=group)
        for outlet in outlets
    ]
    return claims[-1]


def test_defaults_come_from_the_settings(settings):
    settings.CLAIMTRACKER_ALERTS = {
        **settings.CLAIMTRACKER_ALERTS,
        "TREND_APPEARANCES": 7,
        "TREND_HOURS": 12,
        "TREND_MIN_OUTLETS": 3,
    }
    assert (trend_thresholds().appearances, trend_thresholds().hours) == (7, 12)
    row = AlertThresholds.objects.create(pk=1)
    assert (row.trend_appearances, row.trend_hours, row.trend_min_outlets) == (7, 12, 3)


def test_a_changed_threshold_changes_whether_a_trend_fires(settings, editor):
    settings.CLAIMTRACKER_ALERTS = {
        **settings.CLAIMTRACKER_ALERTS,
        "TREND_APPEARANCES": 5,
        "TREND_MIN_OUTLETS": 2,
    }
    group = ClaimGroupFactory()
    last = _appearances(group, [OutletFactory(), OutletFactory(), OutletFactory()])
    article_alerts_evaluate(article_id=last.article_id)
    assert not Notification.objects.filter(kind="alert_trend").exists()  # 3 < 5
    AlertThresholds.objects.create(pk=1, trend_appearances=3, trend_min_outlets=3)
    article_alerts_evaluate(article_id=last.article_id)
    (trend,) = Notification.objects.filter(recipient=editor, kind="alert_trend")
    assert "3 appearances" in trend.title and "3 outlets" in trend.title


def test_a_stricter_outlet_threshold_stops_a_trend(settings, editor):
    AlertThresholds.objects.create(pk=1, trend_appearances=2, trend_min_outlets=3)
    group = ClaimGroupFactory()
    spiegel = OutletFactory()
    last = _appearances(group, [spiegel, spiegel, OutletFactory()])
    article_alerts_evaluate(article_id=last.article_id)
    assert not Notification.objects.filter(kind="alert_trend").exists()  # 2 outlets < 3


def test_admin_edits_the_single_row(admin_client):
    url = reverse("admin:claims_alertthresholds_add")
    response = admin_client.post(
        url, {"trend_appearances": "4", "trend_hours": "6", "trend_min_outlets": "2"}
    )
    assert response.status_code == 302
    row = AlertThresholds.objects.get()
    assert row.pk == 1 and trend_thresholds().hours == 6
    assert admin_client.get(url).status_code == 403  # no second row
    change = reverse("admin:claims_alertthresholds_change", args=[1])
    admin_client.post(
        change, {"trend_appearances": "9", "trend_hours": "6", "trend_min_outlets": "2"}
    )
    assert trend_thresholds().appearances == 9
    assert admin_client.get(reverse("admin:claims_alertthresholds_changelist")).status_code == 200
