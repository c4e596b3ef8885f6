"""schema.org ClaimReview for a published verdict: one dict for the API and the public page.

Field mapping (see docs/api.md):

* ``claimReviewed``: the claim's sentence; ``url``: the public verdict page.
* ``reviewRating``: ``alternateName`` (the verdict text; label's ClaimReview alternateName or its
  name), ``name`` (the label), ``ratingValue``/``bestRating``/``worstRating`` when the label is
  ordinal on a scale with bounds, ``ratingExplanation`` (the short verdict).
* ``author``: our organisation (settings.CLAIMTRACKER_ORGANIZATION).
* ``itemReviewed``: a ``Claim`` with its speaker as ``author`` (``Person`` with ``name``,
  ``jobTitle`` (role), ``affiliation`` (party) and ``sameAs`` (Wikidata URL from the QID), or
  ``Organization``; the free-text claimant's name for claims without a confirmed speaker),
  ``appearance`` (every article it appeared in: the group's claims' articles when the claim
  is grouped, else its own article),
  ``firstAppearance`` (the earliest of those) and ``datePublished`` (that article's date).
* ``datePublished``/``dateModified`` (the latest of the verdict's change and its corrections) and
  ``correction`` (one ``CorrectionComment`` per public correction).
Fields without data are left out rather than filled with empty strings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from claims.models import Article, Claim, Speaker, Verdict
from claims.selectors.public import verdict_appearances, verdict_last_modified
from claims.site_urls import absolute_url, site_url

__all__ = ["absolute_url", "claim_review", "organization", "site_url", "verdict_public_url"]

SCHEMA_CONTEXT = "https://schema.org"


def verdict_public_url(verdict: Verdict, *, base: str | None = None) -> str:
    return absolute_url("public:verdict_detail", slug=verdict.slug, base=base)


def organization() -> dict[str, Any]:
    org = settings.CLAIMTRACKER_ORGANIZATION
    data: dict[str, Any] = {"@type": "Organization", "name": org["name"]}
    # Unset: the desk's own home page, wherever it is served (claims/site_urls.py).
    data["url"] = org.get("url") or site_url("/")
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _appearance(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle" if article.url else "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if article.title:
        work["headline"] = article.title[:110]
    if article.published_at:
        work["datePublished"] = _iso(article.published_at)
    if article.language:
        work["inLanguage"] = article.language
    if article.outlet_id:
        publisher: dict[str, Any] = {"@type": "Organization", "name": article.outlet.name}
        if article.outlet.homepage:
            publisher["url"] = article.outlet.homepage
        work["publisher"] = publisher
    if article.authors:
        work["author"] = [{"@type": "Person", "name": str(a)} for a in article.authors if a]
    return work


def review_rating(verdict: Verdict) -> dict[str, Any]:
    label = verdict.rating_label
    rating: dict[str, Any] = {"@type": "Rating"}
    if label is None:
        rating["alternateName"] = verdict.summary[:200] or "Unrated"
    else:
        rating["alternateName"] = label.alternate_name or label.name
        rating["name"] = label.name
        scale = label.scale
        if (
            label.value is not None
            and scale.best_rating is not None
            and scale.worst_rating is not None
        ):
            rating["ratingValue"] = label.value
            rating["bestRating"] = scale.best_rating
            rating["worstRating"] = scale.worst_rating
    if verdict.summary:
        rating["ratingExplanation"] = verdict.summary
    return rating


def claim_author(claim: Claim) -> dict[str, Any] | None:
    """The claim's speaker (name, role as jobTitle, Wikidata as sameAs), else the claimant's
    name as the article wrote it; None for the article's own voice and anonymous sources."""
    speaker = claim.speaker if claim.speaker_id else None
    if speaker is None or not speaker.is_public:  # a proposal: the claimant's words, as before
        if not claim.claimant or claim.claimant == "unattributed":
            return None
        return {"@type": "Person", "name": claim.claimant}
    person = speaker.kind == Speaker.Kind.PERSON
    author: dict[str, Any] = {"@type": "Person" if person else "Organization", "name": speaker.name}
    if speaker.role and person:
        author["jobTitle"] = speaker.role
    if speaker.organisation and person:
        author["affiliation"] = {"@type": "Organization", "name": speaker.organisation}
    if speaker.wikidata_qid:
        author["sameAs"] = speaker.wikidata_url
    return author


def claim_review(verdict: Verdict) -> dict[str, Any]:
    """The ClaimReview object for a published verdict (loaded with its details' selector)."""
    claim = verdict.claim
    articles = verdict_appearances(verdict)
    appearances = [_appearance(a) for a in articles]
    item: dict[str, Any] = {"@type": "Claim"}
    author = claim_author(claim)
    if author:
        item["author"] = author
    first = articles[0] if articles else None
    if first is not None and first.published_at:
        item["datePublished"] = _iso(first.published_at)
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
    if claim.language:
        item["inLanguage"] = claim.language

    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": verdict_public_url(verdict),
        "claimReviewed": claim.claim_text,
        "reviewRating": review_rating(verdict),
        "author": organization(),
        "publisher": organization(),
        "datePublished": _iso(verdict.published_at),
        "dateModified": _iso(verdict_last_modified(verdict)),
        "itemReviewed": item,
    }
    if claim.language:
        data["inLanguage"] = claim.language
    corrections = list(verdict.corrections.all())
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": _iso(c.created_at)}
            for c in corrections
        ]
    return data
