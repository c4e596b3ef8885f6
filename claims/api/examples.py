"""Examples shown in the OpenAPI schema and /api/docs/."""

from drf_spectacular.utils import OpenApiExample

_VERDICT = {
    "id": 42,
    "slug": "nordkorea-atomtests-42",
    "public_url": "https://factcheck.example/verdicts/nordkorea-atomtests-42/",
    "api_url": "https://factcheck.example/api/v1/verdicts/42/",
    "claim": {
        "text": "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet.",
        "claimant": "Donald Trump",
        "type": "quantity",
        "language": "de",
        "speaker": {"id": 7, "name": "Donald Trump", "role": "US-Präsident"},
    },
    "rating": {
        "label": "Falsch",
        "alternate_name": "Falsch",
        "value": 1,
        "normalised": 0.0,
        "colour": "#c0392b",
        "scale": {"name": "Correctiv", "best_rating": 5, "worst_rating": 1},
    },
    "summary": "Falsch: Nordkorea testete im Mai 2019 Kurzstreckenraketen.",
    "outlet": "Zeit Online",
    "published_at": "2026-03-01T10:00:00Z",
    "updated_at": "2026-03-02T08:30:00Z",
}

VERDICT_LIST = OpenApiExample(
    "A page of verdicts",
    value={
        "next": "https://factcheck.example/api/v1/verdicts/?cursor=cD0yMDI2LTAz",
        "previous": None,
        "results": [_VERDICT],
    },
    response_only=True,
)

VERDICT_DETAIL = OpenApiExample(
    "A verdict",
    value={
        **_VERDICT,
        "explanation": "Die Behauptung ist **falsch** ...",
        "explanation_html": "<p>Die Behauptung ist <strong>falsch</strong> ...</p>",
        "appearances": [
            {
                "url": "https://www.zeit.de/politik/2019-05/nordkorea",
                "title": "Trump: Nordkorea hat keine Atomwaffen getestet",
                "outlet": "Zeit Online",
                "published_at": "2019-05-05T09:00:00Z",
                "language": "de",
            }
        ],
        "first_appearance": {
            "url": "https://www.zeit.de/politik/2019-05/nordkorea",
            "title": "Trump: Nordkorea hat keine Atomwaffen getestet",
            "outlet": "Zeit Online",
            "published_at": "2019-05-05T09:00:00Z",
            "language": "de",
        },
        "evidence": [
            {
                "url": "https://www.reuters.com/example",
                "title": "North Korea fires short-range missiles",
                "publisher": "Reuters",
                "quote": "North Korea fired two short-range missiles on Thursday.",
                "stance": "refutes",
                "accessed_at": "2026-02-28T12:00:00Z",
                "archived_copy_url": "https://factcheck.example/verdicts/nordkorea-atomtests-42/evidence/7/archive/",
            }
        ],
        "corrections": [{"date": "2026-03-02T08:30:00Z", "note": "Datum der Tests korrigiert."}],
        "author": {"name": "ClaimTracker Desk", "url": "https://factcheck.example/"},
        "claimreview_url": "https://factcheck.example/api/v1/verdicts/42/claimreview",
        "date_modified": "2026-03-02T08:30:00Z",
    },
    response_only=True,
)

CLAIMREVIEW = OpenApiExample(
    "ClaimReview",
    value={
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example/verdicts/nordkorea-atomtests-42/",
        "claimReviewed": "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet.",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Falsch",
            "name": "Falsch",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "ratingExplanation": "Nordkorea testete im Mai 2019 Kurzstreckenraketen.",
        },
        "author": {"@type": "Organization", "name": "ClaimTracker Desk"},
        "datePublished": "2026-03-01T10:00:00+00:00",
        "dateModified": "2026-03-02T08:30:00+00:00",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Donald Trump"},
            "datePublished": "2019-05-05T09:00:00+00:00",
            "appearance": [{"@type": "NewsArticle", "url": "https://www.zeit.de/..."}],
            "firstAppearance": {"@type": "NewsArticle", "url": "https://www.zeit.de/..."},
        },
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": "Datum der Tests korrigiert.",
                "datePublished": "2026-03-02T08:30:00+00:00",
            }
        ],
    },
    response_only=True,
)

ARTICLE_SUBMIT = OpenApiExample(
    "Submit a URL",
    value={"url": "https://www.zeit.de/politik/2019-05/nordkorea"},
    request_only=True,
)

ARTICLE_ACCEPTED = OpenApiExample(
    "Accepted",
    value={
        "id": 1234,
        "status_url": "https://factcheck.example/api/v1/articles/1234/",
        "status": "queued",
        "error_reason": "",
        "error": "",
        "url": "https://www.zeit.de/politik/2019-05/nordkorea",
        "title": "",
        "language": "",
        "outlet": "Zeit Online",
        "published_at": None,
        "source": "api",
        "created_at": "2026-03-01T10:00:00Z",
        "processed_at": None,
        "claims": [],
    },
    response_only=True,
    status_codes=["202"],
)

WEBHOOK_CREATE = OpenApiExample(
    "Subscribe",
    value={
        "url": "https://partner.example/hooks/claimtracker",
        "events": ["verdict.published", "verdict.corrected"],
    },
    request_only=True,
)

ERRORS = [
    OpenApiExample(
        "Invalid parameter",
        value={
            "error": {
                "code": "invalid",
                "message": "Invalid request: published_since: Use a date (YYYY-MM-DD) or an "
                "ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ).",
                "details": {"published_since": ["Use a date (YYYY-MM-DD) or ..."]},
            }
        },
        status_codes=["400"],
    ),
    OpenApiExample(
        "Throttled",
        value={
            "error": {
                "code": "throttled",
                "message": "Request was throttled. Expected available in 12 seconds.",
                "details": {"retry_after": 12},
            }
        },
        status_codes=["429"],
    ),
]
