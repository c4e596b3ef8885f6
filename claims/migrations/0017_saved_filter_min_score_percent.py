"""Saved queue filters keep meaning the same claims: the workspace's minimum score moved from a
fraction (0–1) to a percentage (0–100), so a stored ``min_score=0.5`` becomes ``min_score=50``.

Every filter saved before this migration used the fraction, so the conversion is exact; the
reverse divides again.
"""

from urllib.parse import parse_qsl, urlencode

from django.db import migrations


def _number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _rescale(query: str, factor: float) -> str:
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "min_score" and value:
            try:
                value = _number(float(value) * factor)
            except ValueError:
                pass  # the queue form refuses it as it always did
        pairs.append((key, value))
    return urlencode(pairs)


def _convert(apps, factor: float) -> None:
    SavedFilter = apps.get_model("claims", "SavedFilter")
    for saved in SavedFilter.objects.filter(query__contains="min_score="):
        query = _rescale(saved.query, factor)
        if query != saved.query:
            SavedFilter.objects.filter(pk=saved.pk).update(query=query)


def to_percent(apps, schema_editor):
    _convert(apps, 100.0)


def to_fraction(apps, schema_editor):
    _convert(apps, 0.01)


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_notification_language_thresholds")]

    operations = [migrations.RunPython(to_percent, to_fraction)]
