"""The Google Fact Check Tools API (claims:search), for desks with an API key.

Optional: without `CLAIMTRACKER_FACTCHECK_API_KEY` an API source fails with a clear error. The
answer's shape (claims[].claimReview[]) is turned into the same records as page markup; tests
serve recorded answers from the local test server (`CLAIMTRACKER_FACTCHECK_API_URL`).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings

from claims.ingest.factchecks import ParsedReview, RejectedReview, parse_claimreview
from claims.ingest.fetch import FetchError, safe_fetch
from claims.models import FactCheckSource
from claims.services.fetching import fetch_policy

from .sources import FactCheckSourceError

DEFAULT_API_URL = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
MAX_API_PAGES = 10


def _as_claimreview(claim: dict, review: dict) -> dict:
    """One API answer entry in ClaimReview terms (so one parser reads every source)."""
    publisher = review.get("publisher") or {}
    site = publisher.get("site") or ""
    return {
        "@type": "ClaimReview",
        "url": review.get("url"),
        "claimReviewed": claim.get("text") or review.get("title"),
        "itemReviewed": {"@type": "Claim", "author": {"name": claim.get("claimant") or ""}},
        "author": {
            "name": publisher.get("name") or site,
            "url": f"https://{site}/" if site and "://" not in site else site,
        },
        "reviewRating": {"alternateName": review.get("textualRating")},
        "datePublished": review.get("reviewDate") or "",
        "inLanguage": review.get("languageCode") or "",
        "description": review.get("title") or "",
    }


def reviews_from_api_answer(answer: dict) -> list[ParsedReview | RejectedReview]:
    out: list[ParsedReview | RejectedReview] = []
    for claim in answer.get("claims") or []:
        for review in claim.get("claimReview") or []:
            out.append(parse_claimreview(_as_claimreview(claim, review)))
    return out


def factchecks_api_reviews(source: FactCheckSource) -> list[ParsedReview | RejectedReview]:
    key = getattr(settings, "CLAIMTRACKER_FACTCHECK_API_KEY", "")
    if not key:
        raise FactCheckSourceError("No Fact Check Tools API key (CLAIMTRACKER_FACTCHECK_API_KEY).")
    base = getattr(settings, "CLAIMTRACKER_FACTCHECK_API_URL", "") or DEFAULT_API_URL
    reviews: list[ParsedReview | RejectedReview] = []
    token = ""
    for _page in range(MAX_API_PAGES):
        params = {"query": source.query or "", "pageSize": 100, "key": key}
        if source.query.startswith("site:"):
            params = {"reviewPublisherSiteFilter": source.query[5:], "pageSize": 100, "key": key}
        if token:
            params["pageToken"] = token
        try:
            result = safe_fetch(f"{base}?{urlencode(params)}", policy=fetch_policy())
            answer = json.loads(result.content)
        except FetchError as exc:
            raise FactCheckSourceError(f"Fact Check Tools API: {exc.message}") from exc
        except ValueError as exc:
            raise FactCheckSourceError(f"Fact Check Tools API: not JSON ({exc})") from exc
        reviews.extend(reviews_from_api_answer(answer))
        token = answer.get("nextPageToken") or ""
        if not token:
            break
    return reviews
