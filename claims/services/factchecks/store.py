"""Writing known fact-checks: deduplicated by URL, corrections update, bad items rejected."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims.ingest.factchecks import ParsedReview, RejectedReview
from claims.ingest.urls import url_hash
from claims.models import FactCheckSource, KnownFactCheck, RejectedFactCheck

_BATCH = 1000

# The fields a correction may change; their hash tells "updated" from "unchanged".
STORED_FIELDS = (
    "url",
    "publisher_name",
    "publisher_url",
    "claim_reviewed",
    "claimant",
    "rating_label",
    "rating_value",
    "best_rating",
    "worst_rating",
    "date_published",
    "date_modified",
    "language",
    "snippet",
)


class Status:
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ImportOutcome:
    """One review's result, as `import_factchecks --json` prints it."""

    url: str
    publisher: str
    claim_reviewed: str
    rating: str
    language: str
    status: str
    error: str | None = None
    factcheck_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "publisher": self.publisher,
            "claim_reviewed": self.claim_reviewed,
            "rating": self.rating,
            "language": self.language,
            "status": self.status,
            "error": self.error,
        }


def _values(review: ParsedReview) -> dict:
    return {name: getattr(review, name) for name in STORED_FIELDS}


def _hash(values: dict) -> str:
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _rejected_outcome(item: RejectedReview) -> ImportOutcome:
    publisher = ""
    raw = item.raw if isinstance(item.raw, dict) else {}
    author = raw.get("author")
    if isinstance(author, dict):
        publisher = str(author.get("name") or "")
    return ImportOutcome(
        url=item.url,
        publisher=publisher,
        claim_reviewed=str(raw.get("claimReviewed") or "")[:5000],
        rating="",
        language="",
        status=Status.REJECTED,
        error=item.reason,
    )


@transaction.atomic
def factchecks_store(
    *,
    reviews: Sequence[ParsedReview | RejectedReview],
    source: FactCheckSource | None = None,
) -> list[ImportOutcome]:
    """Store parsed reviews (new: imported; same URL with other content: updated; same content:
    unchanged) and record the rejected ones with their reason. In batches: a 100,000-record
    dump costs a few hundred queries, not one per record."""
    outcomes: list[ImportOutcome | None] = [None] * len(reviews)
    rejected: list[RejectedFactCheck] = []
    good: list[tuple[int, ParsedReview]] = []
    for position, review in enumerate(reviews):
        if isinstance(review, RejectedReview):
            rejected.append(
                RejectedFactCheck(
                    source=source,
                    url=review.url[:2048],
                    reason=review.reason[:300],
                    raw=_json_safe(review.raw),
                )
            )
            outcomes[position] = _rejected_outcome(review)
        else:
            good.append((position, review))
    RejectedFactCheck.objects.bulk_create(rejected, batch_size=_BATCH)
    for start in range(0, len(good), _BATCH):
        _store_batch(good[start : start + _BATCH], source, outcomes)
    return [o for o in outcomes if o is not None]


def _json_safe(raw: object) -> dict:
    try:
        return json.loads(json.dumps(raw, default=str)) if isinstance(raw, dict) else {}
    except (TypeError, ValueError):
        return {}


def _store_batch(
    batch: list[tuple[int, ParsedReview]],
    source: FactCheckSource | None,
    outcomes: list[ImportOutcome | None],
) -> None:
    # The last of several reviews with one URL in a batch wins (a page listed twice).
    by_hash: dict[str, tuple[int, ParsedReview]] = {}
    for position, review in batch:
        key = url_hash(review.url)
        if key in by_hash:
            outcomes[by_hash[key][0]] = _outcome(by_hash[key][1], Status.UNCHANGED)
        by_hash[key] = (position, review)
    existing = {
        fc.url_hash: fc
        for fc in KnownFactCheck.objects.filter(url_hash__in=list(by_hash)).defer(
            "embedding", "embedding_en"
        )
    }
    new: list[KnownFactCheck] = []
    changed: list[KnownFactCheck] = []
    changed_text: list[KnownFactCheck] = []
    for key, (position, review) in by_hash.items():
        values = _values(review)
        digest = _hash(values)
        current = existing.get(key)
        if current is None:
            fc = KnownFactCheck(
                url_hash=key,
                source=source,
                raw=_json_safe(review.raw),
                content_hash=digest,
                **values,
            )
            new.append(fc)
            outcomes[position] = _outcome(review, Status.IMPORTED)
        elif current.content_hash == digest:
            outcomes[position] = _outcome(review, Status.UNCHANGED, current.pk)
        else:
            if current.claim_reviewed != review.claim_reviewed:
                changed_text.append(current)  # its vectors describe the old text
            for name, value in values.items():
                setattr(current, name, value)
            current.raw = _json_safe(review.raw)
            current.content_hash = digest
            current.updated_at = timezone.now()  # bulk_update does not apply auto_now
            if source is not None:
                current.source = source
            changed.append(current)
            outcomes[position] = _outcome(review, Status.UPDATED, current.pk)
    KnownFactCheck.objects.bulk_create(new, batch_size=_BATCH)
    if changed:
        KnownFactCheck.objects.bulk_update(
            changed, [*STORED_FIELDS, "raw", "content_hash", "source", "updated_at"]
        )
    if changed_text:
        KnownFactCheck.objects.filter(pk__in=[fc.pk for fc in changed_text]).update(
            embedding=None, embedding_en=None
        )
    if new:
        ids = dict(
            KnownFactCheck.objects.filter(url_hash__in=[fc.url_hash for fc in new]).values_list(
                "url_hash", "pk"
            )
        )
        for fc in new:
            position = by_hash[fc.url_hash][0]
            outcome = outcomes[position]
            assert outcome is not None
            outcomes[position] = ImportOutcome(
                **{**outcome.__dict__, "factcheck_id": ids.get(fc.url_hash)}
            )


def _outcome(review: ParsedReview, status: str, pk: int | None = None) -> ImportOutcome:
    return ImportOutcome(
        url=review.url,
        publisher=review.publisher_name,
        claim_reviewed=review.claim_reviewed,
        rating=review.rating_label,
        language=review.language,
        status=status,
        factcheck_id=pk,
    )
