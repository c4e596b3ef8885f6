"""Known fact-checks: other fact-checkers' ClaimReviews, stored, polled and matched.

Modules: `store` (writes: dedupe by URL, corrections, rejected items), `sources` (files, pages,
sitemaps, feeds, dumps; polling), `google_api` (optional Fact Check Tools API), `matching`
(claims against known fact-checks, with the matching core), `review` (reviewers' decisions,
citing as evidence). See docs/known-factchecks.md.
"""
