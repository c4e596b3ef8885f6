"""Public, server-rendered pages: the verdict page (with its ClaimReview), the crawler feed,
archived evidence copies. Readable without JavaScript; only published verdicts are reachable."""

from __future__ import annotations

import json
import zlib
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims.claimreview import claim_review, site_url, verdict_public_url
from claims.models import EvidenceSource, RatingLabel, Verdict
from claims.selectors.public import (
    published_verdict_by_slug,
    published_verdicts_with_details,
    verdict_appearances,
    verdict_last_modified,
)
from claims.selectors.speakers import (
    public_speaker,
    ratings_by_month,
    speaker_published_verdicts,
)
from claims.services.verdicts import explanation_html

FEED_PAGE_SIZE = 50
PUBLIC_MAX_AGE = 300
UPDATE_GRACE = timedelta(minutes=1)
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` that cannot be broken out of (``</script>``)."""
    body = json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{body}</script>')  # noqa: S308


def _verdict_or_404(slug: str) -> Verdict:
    verdict = published_verdict_by_slug(slug)
    if verdict is None:
        raise Http404("No published verdict here.")
    return verdict


def _verdict_last_modified(request: HttpRequest, slug: str):
    verdict = (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED, slug=slug)
        .only("updated_at", "published_at")
        .first()
    )
    if verdict is None:
        return None
    latest = verdict.corrections.order_by("-created_at").values_list("created_at", flat=True)
    candidates = [verdict.updated_at, verdict.published_at, *latest[:1]]
    return max(c for c in candidates if c is not None)


def rating_position(label: RatingLabel | None) -> dict[str, Any] | None:
    """Where an ordinal label sits on its scale, in words a reader follows ("1 of 5 on our scale
    from “Falsch” to “Richtig”") instead of bare numbers and the scale's internal name."""
    if label is None or label.value is None:
        return None
    scale = label.scale
    if scale.best_rating is None or scale.worst_rating is None:
        return None
    low, high = sorted((scale.worst_rating, scale.best_rating))
    ends = dict(
        scale.labels.filter(value__in=(scale.worst_rating, scale.best_rating)).values_list(
            "value", "name"
        )
    )
    ascending = scale.best_rating >= scale.worst_rating
    return {
        "step": (label.value - low + 1) if ascending else (high - label.value + 1),
        "steps": high - low + 1,
        "lowest": ends.get(scale.worst_rating, str(scale.worst_rating)),
        "highest": ends.get(scale.best_rating, str(scale.best_rating)),
    }


def public_verdict_context(verdict: Verdict, request: HttpRequest) -> dict[str, Any]:
    """What the public verdict page shows, for a verdict loaded with its details' selector.

    The editor's preview renders the same template with this same context (for a verdict
    with its would-be slug and publication time), so the preview is the page, not a copy.
    """
    articles = verdict_appearances(verdict)
    date_modified = verdict_last_modified(verdict)
    return {
        "verdict": verdict,
        "claim": verdict.claim,
        "label": verdict.rating_label,
        "rating_position": rating_position(verdict.rating_label),
        "normalised": verdict.rating_label.normalised if verdict.rating_label else None,
        "appearances": articles,
        "first_appearance": articles[0] if articles else None,
        "evidence": list(verdict.evidence.all()),
        "corrections": list(verdict.corrections.all()),
        "explanation_html": mark_safe(explanation_html(verdict.explanation)),  # noqa: S308
        "date_modified": date_modified,
        # Publishing's own save stamps updated_at a moment after published_at: not an update.
        "show_updated": date_modified - verdict.published_at > UPDATE_GRACE,
        "claimreview_script": json_ld_script(claim_review(verdict)),
        "public_url": verdict_public_url(verdict),
        "organization_name": settings.CLAIMTRACKER_ORGANIZATION["name"],
        "api_url": site_url(reverse("api:verdict-detail", kwargs={"pk": verdict.pk}), request),
        "claimreview_api_url": site_url(
            reverse("api:verdict-claimreview", kwargs={"pk": verdict.pk}), request
        ),
    }


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
@condition(last_modified_func=_verdict_last_modified)
def verdict_detail(request: HttpRequest, slug: str) -> HttpResponse:
    verdict = _verdict_or_404(slug)
    return render(request, "public/verdict_detail.html", public_verdict_context(verdict, request))


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def speaker_detail(request: HttpRequest, speaker_id: int) -> HttpResponse:
    """A speaker's published verdicts, ratings by month; unknown without a published verdict."""
    speaker = public_speaker(speaker_id=speaker_id)
    if speaker is None:
        raise Http404("No published verdict on this speaker.")
    verdicts = list(speaker_published_verdicts(speaker_id=speaker_id))
    for verdict in verdicts:
        verdict.claim.verdict = verdict  # ratings_by_month reads claim.verdict; no extra query
    labels, months = ratings_by_month([v.claim for v in verdicts])
    context = {
        "speaker": speaker,
        "verdicts": verdicts,
        "labels": labels,
        "months": months,
        "peak": max((m.total for m in months), default=0),
        "organization_name": settings.CLAIMTRACKER_ORGANIZATION["name"],
        "api_url": site_url(reverse("api:speaker-detail", kwargs={"pk": speaker.pk}), request),
    }
    return render(request, "public/speaker_detail.html", context)


@require_safe
@cache_control(public=True, max_age=86400)
def evidence_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Our archived copy of an evidence page, sandboxed: it is someone else's HTML."""
    evidence = (
        EvidenceSource.objects.filter(
            pk=pk,
            verdict__slug=slug,
            verdict__status=Verdict.Status.PUBLISHED,
            archived_copy__isnull=False,
        )
        .only("archived_copy", "archived_content_type", "archived_at")
        .first()
    )
    if evidence is None:
        raise Http404("No archived copy here.")
    try:
        content = zlib.decompress(bytes(evidence.archived_copy))
    except zlib.error:
        content = bytes(evidence.archived_copy)
    content_type = evidence.archived_content_type or "text/plain"
    if not content_type.startswith(("text/html", "text/plain", "application/xhtml")):
        content_type = "text/plain"
    response = HttpResponse(content, content_type=content_type)
    # A unique opaque origin, no scripts, no network: the copy can show but not act.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    if evidence.archived_at:
        response["Last-Modified"] = http_date(evidence.archived_at.timestamp())
    return response


@require_safe
@cache_control(public=True, max_age=86400)
def public_css(request: HttpRequest) -> HttpResponse:
    """The public pages' stylesheet, from our origin (the CSP forbids inline styles)."""
    return HttpResponse(render_to_string("public/public.css"), content_type="text/css")


# --- ClaimReview feed for crawlers ---------------------------------------------------------


def _encode_cursor(verdict: Verdict) -> str:
    raw = f"{verdict.published_at.isoformat()}|{verdict.pk}".encode()
    return urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(value: str) -> tuple[Any, int] | None:
    try:
        raw = urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        stamp, _, pk = raw.partition("|")
        when = parse_datetime(stamp)
        if when is None:
            return None
        return when, int(pk)
    except (ValueError, UnicodeError):
        return None


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def claimreview_feed(request: HttpRequest) -> HttpResponse:
    """All ClaimReviews as a schema.org DataFeed, newest first, keyset-paginated (``?cursor=``)."""
    from django.db.models import Q

    queryset = published_verdicts_with_details().order_by("-published_at", "-pk")
    cursor = request.GET.get("cursor")
    if cursor:
        position = _decode_cursor(cursor)
        if position is None:
            return JsonResponse(
                {"error": {"code": "invalid", "message": "Invalid cursor.", "details": None}},
                status=400,
            )
        when, pk = position
        queryset = queryset.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    page = list(queryset[: FEED_PAGE_SIZE + 1])
    has_more = len(page) > FEED_PAGE_SIZE
    page = page[:FEED_PAGE_SIZE]
    next_url = None
    if has_more:
        next_url = (
            site_url(reverse("public:claimreview_feed"), request)
            + "?cursor="
            + _encode_cursor(page[-1])
        )
    data = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "ClaimReview feed",
        "url": site_url(request.get_full_path(), request),
        "dataFeedElement": [claim_review(v) for v in page],
        "next": next_url,
    }
    response = JsonResponse(
        data, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response
