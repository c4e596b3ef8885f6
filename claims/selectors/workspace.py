"""Reads for the claim page and the editor's review list, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import (
    Claim,
    ClaimNote,
    EvidenceSource,
    KnownSourceDomain,
    RatingLabel,
    RatingScale,
    Verdict,
    VerdictCorrection,
)

HISTORY_LIMIT = 100


def claim_detail(*, claim_id: int) -> Claim | None:
    """The claim with its article, verdict, notes, evidence and corrections (4 queries)."""
    return (
        Claim.objects.select_related(
            "article__outlet__rating_scale",
            "assignee",
            "group",
            "speaker",
            "verdict__rating_label__scale",
            "verdict__author",
            "verdict__editor",
        )
        .defer("embedding", "embedding_en", "article__raw_page")
        .prefetch_related(
            Prefetch("notes", queryset=ClaimNote.objects.select_related("author")),
            Prefetch(
                "verdict__evidence",
                queryset=EvidenceSource.objects.defer("archived_copy").select_related("added_by"),
            ),
            Prefetch(
                "verdict__corrections",
                queryset=VerdictCorrection.objects.select_related("author"),
            ),
        )
        .filter(pk=claim_id)
        .first()
    )


def claim_appearances(*, claim: Claim, limit: int = 20) -> list[Claim]:
    """Other claims in the same group (repeats elsewhere), newest first."""
    if claim.group_id is None:
        return []
    return list(
        Claim.objects.filter(group_id=claim.group_id)
        .exclude(pk=claim.pk)
        .select_related("article__outlet")
        .only(
            "id",
            "text",
            "status",
            "language",
            "created_at",
            "article__url",
            "article__title",
            "article__published_at",
            "article__outlet__name",
        )
        .order_by("-created_at")[:limit]
    )


def _outlet_scale_id(claim: Claim) -> int | None:
    article = claim.article
    return article.outlet.rating_scale_id if article.outlet_id else None


def rating_scale_for(claim: Claim) -> RatingScale | None:
    """The scale the claim's verdict is rated on: its outlet's desk scale, else the default
    scale; None only when neither is configured (then any label may be used)."""
    scale_id = _outlet_scale_id(claim)
    if scale_id is not None:
        return RatingScale.objects.filter(pk=scale_id).first()
    return RatingScale.objects.filter(is_default=True).first()


def rating_labels_for(claim: Claim, keep_label_id: int | None = None) -> list[RatingLabel]:
    """The labels a verdict on ``claim`` may use, in scale order (one query): the outlet's
    scale, else the default scale, else (nothing configured) every label. ``keep_label_id``
    keeps a verdict's current label offered when it is from another scale (a verdict written
    before the outlet changed scales), so editing it does not silently change its rating."""
    scale_id = _outlet_scale_id(claim)
    allowed = Q(scale_id=scale_id) if scale_id is not None else Q(scale__is_default=True)
    if keep_label_id:
        allowed |= Q(pk=keep_label_id)
    labels = list(_labels().filter(allowed))
    if scale_id is None and not any(label.scale.is_default for label in labels):
        # No default scale configured (or it has no labels yet): every label, rather than none.
        labels = list(_labels())
    return labels


def _labels() -> QuerySet[RatingLabel]:
    return RatingLabel.objects.select_related("scale").order_by(
        "-scale__is_default", "scale__name", "order", "pk"
    )


def domain_candidates(domain: str) -> list[str]:
    """ "news.bbc.co.uk" -> ["news.bbc.co.uk", "bbc.co.uk", "co.uk"]: a note on a parent applies."""
    parts = domain.lower().removeprefix("www.").split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def known_domains_for(domains: list[str]) -> dict[str, KnownSourceDomain]:
    """Map each domain to the most specific known source domain (one query)."""
    candidates = {c for d in domains for c in domain_candidates(d)}
    if not candidates:
        return {}
    lookup = candidates | {f"www.{c}" for c in candidates}
    known = {
        k.domain.lower().removeprefix("www."): k
        for k in KnownSourceDomain.objects.filter(domain__in=lookup)
    }
    found: dict[str, KnownSourceDomain] = {}
    for d in domains:
        for c in domain_candidates(d):
            if c in known:
                found[d] = known[c]
                break
    return found


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    what: str  # "claim", "verdict", "evidence"
    action: str  # "+", "~", "-"
    changes: tuple[tuple[str, str, str], ...] = field(default=())  # (field label, old, new)


def _fields(model, exclude: set[str]) -> list:
    return [
        f
        for f in model._meta.fields
        if f.name not in exclude and not f.name.startswith("history_") and f.name != "id"
    ]


def _display(record, f, names: dict) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return "–"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _names(records: list, fields: list) -> dict:
    """Readable names for the people and rating labels the records point to (≤ 2 queries)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    wanted: dict = {user_model: set(), RatingLabel: set()}
    for f in fields:
        if f.is_relation and f.related_model in wanted:
            wanted[f.related_model] |= {getattr(r, f.attname) for r in records} - {None}
    names: dict = {}
    if wanted[user_model]:
        for pk, username in user_model.objects.filter(pk__in=wanted[user_model]).values_list(
            "pk", user_model.USERNAME_FIELD
        ):
            names[(user_model, pk)] = username
    if wanted[RatingLabel]:
        for pk, name in RatingLabel.objects.filter(pk__in=wanted[RatingLabel]).values_list(
            "pk", "name"
        ):
            names[(RatingLabel, pk)] = name
    return names


def _entries(records: list, what: str, fields: list, key: str) -> list[AuditEntry]:
    """Diff consecutive historical records of each object in Python (no query per record)."""
    entries = []
    previous: dict = {}
    names = _names(records, fields)
    for rec in sorted(records, key=lambda r: r.history_date):
        before = previous.get(getattr(rec, key))
        changes = []
        if before is not None and rec.history_type == "~":
            for f in fields:
                old, new = _display(before, f, names), _display(rec, f, names)
                if old != new:
                    changes.append((str(f.verbose_name), old, new))
            if not changes:
                previous[getattr(rec, key)] = rec
                continue
        who = rec.history_user.get_username() if rec.history_user_id else "system"
        entries.append(AuditEntry(rec.history_date, who, what, rec.history_type, tuple(changes)))
        previous[getattr(rec, key)] = rec
    return entries


_IGNORED = {
    "created_at",
    "updated_at",
    "embedding",
    "version",
    "archived_copy",
    "archived_content_type",
    "archived_at",
    "accessed_at",
    "submitted_at",
}


def claim_audit(*, claim: Claim) -> list[AuditEntry]:
    """Who changed what and when, on the claim, its verdict and its evidence (3 queries)."""
    claim_records = list(
        Claim.history.filter(id=claim.pk)
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_LIMIT]
    )
    entries = _entries(
        claim_records,
        "claim",
        _fields(Claim.history.model, _IGNORED | {"entities", "numbers"}),
        "id",
    )
    verdict_records = list(
        Verdict.history.filter(claim_id=claim.pk)
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_LIMIT]
    )
    entries += _entries(verdict_records, "verdict", _fields(Verdict.history.model, _IGNORED), "id")
    verdict_ids = {r.id for r in verdict_records}
    if verdict_ids:
        evidence_records = list(
            EvidenceSource.history.filter(verdict_id__in=verdict_ids)
            .select_related("history_user")
            .order_by("-history_date")[:HISTORY_LIMIT]
        )
        entries += _entries(
            evidence_records,
            "evidence",
            _fields(EvidenceSource.history.model, _IGNORED | {"fetch_error"}),
            "id",
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def review_queue() -> QuerySet:
    """Verdicts awaiting an editor, oldest submission first."""
    return (
        Verdict.objects.filter(status=Verdict.Status.IN_REVIEW)
        .select_related("claim__article__outlet", "rating_label", "author")
        .defer("claim__embedding", "claim__article__text", "claim__article__raw_page")
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at", "id")
    )


def recently_published(limit: int = 20) -> QuerySet:
    return (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .select_related("claim", "rating_label", "editor")
        .defer("claim__embedding")
        .order_by("-published_at")[:limit]
    )
