"""The desk's own settings (``CLAIMTRACKER_*``): alerts, fetching, known fact-checks, matching
and its vector index, the organisation, shared material and the public address. Imported by
base.py."""

from .environment import BASE_DIR, env

# --- Alerts (docs/alerts.md) ------------------------------------------------------------------
CLAIMTRACKER_ALERTS = {
    # Trend: a claim group with at least this many appearances within this many hours, from at
    # least this many outlets (articles without an outlet count as one each).
    "TREND_APPEARANCES": env.int("CLAIMTRACKER_TREND_APPEARANCES", default=5),
    "TREND_HOURS": env.int("CLAIMTRACKER_TREND_HOURS", default=24),
    "TREND_MIN_OUTLETS": env.int("CLAIMTRACKER_TREND_MIN_OUTLETS", default=2),
    # Repeat: a published verdict counts as "false or misleading" when its label's normalised
    # rating is at most this, or its name says so (claims/services/alerts_repeats.py, FALSE_WORDS).
    "REPEAT_MAX_NORMALISED": env.float("CLAIMTRACKER_REPEAT_MAX_NORMALISED", default=0.25),
    # Repeat of a published false verdict's own claim, by any unit of a new article (check-worthy
    # or not): the matching core's score from which it alerts (claims/services/alerts_repeats.py;
    # chosen on the dev pairs, docs/alerts.md).
    "REPEAT_MATCH_MIN": env.float("CLAIMTRACKER_REPEAT_MATCH_MIN", default=0.05),
    # The digest's length per section.
    "DIGEST_TOP": env.int("CLAIMTRACKER_DIGEST_TOP", default=10),
}

# --- ClaimTracker ---------------------------------------------------------------------------
# Articles one feed poll queues at most; the rest follow in later polls a minute apart.
CLAIMTRACKER_FEED_MAX_NEW_PER_POLL = env.int("CLAIMTRACKER_FEED_MAX_NEW_PER_POLL", default=100)
CLAIMTRACKER_FETCH = {
    "MAX_BYTES": env.int("CLAIMTRACKER_FETCH_MAX_BYTES", default=10 * 1024 * 1024),
    "TIMEOUT": env.float("CLAIMTRACKER_FETCH_TIMEOUT", default=20.0),
    "MAX_REDIRECTS": env.int("CLAIMTRACKER_FETCH_MAX_REDIRECTS", default=5),
    # Test-only escape hatch for serving pages from 127.0.0.1; never set in production.
    "ALLOWED_PRIVATE_NETWORKS": (),
}
# Known fact-checks (docs/known-factchecks.md): pages one sitemap/feed poll reads at most, and
# the optional Google Fact Check Tools API key.
CLAIMTRACKER_FACTCHECK_MAX_PAGES_PER_POLL = env.int(
    "CLAIMTRACKER_FACTCHECK_MAX_PAGES_PER_POLL", default=200
)
CLAIMTRACKER_FACTCHECK_API_KEY = env.str("CLAIMTRACKER_FACTCHECK_API_KEY", default="")
CLAIMTRACKER_FACTCHECK_API_URL = env.str("CLAIMTRACKER_FACTCHECK_API_URL", default="")
# Match new claims against earlier ones (claim groups, "already checked") after extraction.
CLAIMTRACKER_MATCHING_ENABLED = env.bool("CLAIMTRACKER_MATCHING_ENABLED", default=True)
# Score thresholds for "confirmed" (joins the group) and "suggested" (a reviewer decides);
# unset = the values chosen on dev data (docs/model-card-matching.md).
CLAIMTRACKER_MATCHING = {
    "CONFIRMED": env.float("CLAIMTRACKER_MATCH_CONFIRMED", default=None),
    "SUGGESTED": env.float("CLAIMTRACKER_MATCH_SUGGESTED", default=None),
    # English claims matched with the English-only encoder too (unset = on; docs/matching.md).
    "ENGLISH_SIGNAL": env.bool("CLAIMTRACKER_MATCH_ENGLISH_SIGNAL", default=None),
}
# The shared vector index of matching: files one writer updates and every worker process on the
# machine memory-maps (docs/deployment.md). Each machine keeps its own copy; the database holds
# the vectors, so the directory can be deleted and rebuilt (`manage.py matching_index`).
CLAIMTRACKER_VECTOR_INDEX_DIR = env.path(
    "CLAIMTRACKER_VECTOR_INDEX_DIR", default=BASE_DIR / "var" / "vector-index"
)
CLAIMTRACKER_VECTOR_INDEX = {
    # Claims newer than the index are scanned exactly; past this many a search updates it first.
    "SCAN_LIMIT": env.int("CLAIMTRACKER_VECTOR_INDEX_SCAN_LIMIT", default=5000),
    "DTYPE": env("CLAIMTRACKER_VECTOR_INDEX_DTYPE", default="i8"),  # i8 | f16 | f32
    # Claims the writer reads and inserts per batch: its memory beside the index it writes.
    "BATCH": env.int("CLAIMTRACKER_VECTOR_INDEX_BATCH", default=10_000),
}
CLAIMTRACKER_FETCH_MAX_RETRIES = env.int("CLAIMTRACKER_FETCH_MAX_RETRIES", default=3)
CLAIMTRACKER_ORGANIZATION = {
    "name": env("CLAIMTRACKER_ORG_NAME", default="ClaimTracker Desk"),
    # Unset: the desk's home page at the site's address (claims/site_urls.py).
    "url": env("CLAIMTRACKER_ORG_URL", default=""),
}
# Shared material (seed article, datasets) sits beside the checkout and is never committed.
CLAIMTRACKER_SEED_DIR = env.path(
    "CLAIMTRACKER_SEED_DIR", default=BASE_DIR.parent / "shared" / "seeds"
)
CLAIMTRACKER_DATASETS_DIR = env.path(
    "CLAIMTRACKER_DATASETS", default=BASE_DIR.parent / "shared" / "datasets"
)
# The public address for absolute links (API, feeds, exports, sitemap, ClaimReview, webhooks).
# Unset: each link follows the request it answers, and work outside a request (webhooks sent by a
# worker) uses http://CLAIMTRACKER_ADDR, where bin/start serves. Production requires it.
CLAIMTRACKER_SITE_URL = env("CLAIMTRACKER_SITE_URL", default="")
CLAIMTRACKER_ADDR = env("CLAIMTRACKER_ADDR", default="127.0.0.1:8000")
