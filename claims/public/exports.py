"""Streamed exports of every published verdict: CSV and JSON Lines.

Rows are read in chunks with a server-side cursor (``iterator``), so memory stays flat however
many verdicts there are, and the first bytes go out before the last row is read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from claims.claimreview import verdict_public_url
from claims.models import Verdict
from claims.selectors.public import published_verdicts
from claims.site_urls import site_base

CHUNK = 2000
COLUMNS = [
    "id", "slug", "public_url", "claim", "claimant", "claim_type", "language", "rating",
    "rating_value", "rating_normalised", "rating_scale", "summary", "outlet", "article_url",
    "published_at", "updated_at",
]  # fmt: skip


def _row(v: Verdict, base: str) -> dict[str, Any]:
    label = v.rating_label
    article = v.claim.article
    return {
        "id": v.pk,
        "slug": v.slug,
        "public_url": verdict_public_url(v, base=base),
        "claim": v.claim.claim_text,
        "claimant": v.claim.claimant,
        "claim_type": v.claim.claim_type,
        "language": v.claim.language,
        "rating": label.name if label else None,
        "rating_value": label.value if label else None,
        "rating_normalised": label.normalised if label else None,
        "rating_scale": label.scale.name if label else None,
        "summary": v.summary,
        "outlet": article.outlet.name if article.outlet_id else None,
        "article_url": article.url or None,
        "published_at": v.published_at.isoformat(),
        "updated_at": v.updated_at.isoformat(),
    }


def _rows(base: str) -> Iterator[dict[str, Any]]:
    # ``base`` is taken in the view: the rows are produced after the view (and the middleware
    # that knows the request) returned.
    queryset = published_verdicts().order_by("published_at", "pk")
    for verdict in queryset.iterator(chunk_size=CHUNK):
        yield _row(verdict, base)


class _Echo:
    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula to spreadsheet programs; claims, summaries and
# outlet names come from third parties (e.g. "=HYPERLINK(...)" in an article's text).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(value: Any) -> Any:
    """OWASP's CSV injection defence: prefix a formula-like text cell with a single quote, so a
    spreadsheet shows it as text. Numbers (a negative rating value) stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_lines(base: str) -> Iterator[str]:
    writer = csv.DictWriter(_Echo(), fieldnames=COLUMNS)
    yield writer.writeheader()
    for row in _rows(base):
        yield writer.writerow({name: _neutralised(value) for name, value in row.items()})


def _jsonl_lines(base: str) -> Iterator[str]:
    for row in _rows(base):
        yield json.dumps(row, ensure_ascii=False) + "\n"


@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(site_base(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="verdicts.csv"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def export_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _jsonl_lines(site_base(request)), content_type="application/x-ndjson"
    )
    response["Content-Disposition"] = 'attachment; filename="verdicts.jsonl"'
    response["Cache-Control"] = "public, max-age=300"
    return response
