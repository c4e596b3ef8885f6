"""Verdicts: drafting, submitting for review, the editor's decision, publishing and corrections.

Concurrency: every write that changes a verdict's content names the ``version`` it was based
on. The write first bumps the version with ``UPDATE ... WHERE id = %s AND version = %s``; if no
row matched, someone else saved in between and the caller gets a ConflictError instead of
silently overwriting their work. The real save then follows (so simple-history records it).
"""

from __future__ import annotations

import re

import markdown
import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.dispatch import enqueue_on_commit
from claims.exceptions import ConflictError, InvalidInputError, PermissionDeniedError
from claims.models import Claim, RatingLabel, Verdict, VerdictCorrection
from claims.selectors.workspace import rating_labels_for, rating_scale_for
from claims.services.claims import (
    REVIEW_VERDICT,
    WORK_CLAIM,
    Actor,
    require_permission,
)
from claims.services.desk_notifications import (
    notify_corrected,
    notify_published,
    notify_review_waiting,
    notify_sent_back,
)
from claims.services.public_cache import published_verdicts_changed
from claims.services.verdict_checks import check_complete, check_publishable, may_approve
from claims.tasks import claim_embed_task, webhooks_emit_task

SUMMARY_MAX_LENGTH = 500
EXPLANATION_MAX_LENGTH = 50_000
EDITABLE = (Verdict.Status.DRAFT, Verdict.Status.CHANGES_REQUESTED)

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def explanation_html(text: str) -> str:
    """Markdown to HTML that is safe to mark safe: nh3 keeps only an allowlist of tags.

    Headings are shifted down (``#`` becomes h3) so an explanation cannot outrank the page's own
    headings; links get rel="noopener noreferrer nofollow" and only http(s)/mailto schemes.
    """
    html = markdown.markdown(
        text or "",
        extensions=["extra", "sane_lists"],
        output_format="html",
    )
    html = re.sub(r"<(/?)h([12])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", html)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _search_vector(claim_text: str, summary: str) -> SearchVector:
    # Same text and configuration as the backfill in migration 0004.
    return SearchVector(Value(claim_text or ""), Value(summary or ""), config="simple")


def _refresh_search_vector(verdict: Verdict) -> None:
    """Set the stored search vector from the claim text and the summary, written by the next
    ``save()``. PostgreSQL only: SQLite has no tsvector and searches with LIKE."""
    if connection.vendor == "postgresql":
        verdict.search_vector = _search_vector(verdict.claim.claim_text, verdict.summary)


def verdict_search_vector_update(*, verdict_id: int) -> None:
    """Rewrite one verdict's stored search vector from the texts in the database.

    For writers that change a claim's text or a summary outside the services below (data
    fixes, rows created directly); the services keep the vector current themselves.
    """
    if connection.vendor != "postgresql":
        return
    row = (
        Verdict.objects.filter(pk=verdict_id)
        .values_list("claim__standalone", "claim__text", "summary")
        .first()
    )
    if row is not None:
        standalone, text, summary = row
        Verdict.objects.filter(pk=verdict_id).update(
            search_vector=_search_vector(standalone or text, summary)
        )


def _verdict_for_update(verdict_id: int, version: int | None) -> Verdict:
    """Claim the next version of a verdict or raise ConflictError (see module docstring)."""
    if version is None:
        raise InvalidInputError(_("The form is missing its version; reload the page."))
    bumped = Verdict.objects.filter(pk=verdict_id, version=version).update(version=F("version") + 1)
    if not bumped:
        if not Verdict.objects.filter(pk=verdict_id).exists():
            raise InvalidInputError(_("This verdict does not exist."))
        raise ConflictError(
            _(
                "Someone else changed this verdict while you were editing it. Nothing was "
                "saved: reload the page to see their version, then apply your changes again."
            )
        )
    return Verdict.objects.select_related("claim", "rating_label__scale").get(pk=verdict_id)


def _clean_content(
    *, rating_label_id: int | None, summary: str, explanation: str
) -> tuple[RatingLabel | None, str, str]:
    label = None
    if rating_label_id:
        label = RatingLabel.objects.select_related("scale").filter(pk=rating_label_id).first()
        if label is None:
            raise InvalidInputError(_("Choose a rating from the list."))
    summary = (summary or "").strip()
    explanation = (explanation or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise InvalidInputError(_("The short verdict can be at most 500 characters long."))
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        raise InvalidInputError(_("The explanation is too long."))
    return label, summary, explanation


def _check_label_scale(label: RatingLabel | None, verdict: Verdict) -> None:
    """A verdict is rated on its desk's scale (the outlet's, else the default): a label from
    another scale is refused, except the label the verdict already has (see
    ``rating_labels_for``), so an old verdict keeps its rating when edited."""
    if label is None or label.pk == verdict.rating_label_id:
        return
    allowed = rating_labels_for(verdict.claim, keep_label_id=verdict.rating_label_id)
    if label.pk not in {a.pk for a in allowed}:
        scale = rating_scale_for(verdict.claim)
        raise InvalidInputError(
            _("“%(label)s” is on the scale %(other)s; this desk rates on %(scale)s.")
            % {
                "label": label.name,
                "other": label.scale.name,
                "scale": scale.name if scale else "–",
            }
        )


@transaction.atomic
def verdict_draft_get_or_create(*, actor: Actor, claim_id: int) -> Verdict:
    """The claim's verdict, creating an empty draft (and selecting a new claim) when needed."""
    require_permission(actor, WORK_CLAIM)
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise InvalidInputError(_("This claim does not exist."))
    existing = Verdict.objects.filter(claim=claim).first()
    if existing is not None:
        return existing
    if claim.status == Claim.Status.DISMISSED:
        raise InvalidInputError(_("Select the claim for checking before writing a verdict."))
    if claim.status == Claim.Status.NEW:
        claim.status = Claim.Status.SELECTED
        claim.save(update_fields=["status", "updated_at"])
    return Verdict.objects.create(claim=claim, group=claim.group, author=actor)


@transaction.atomic
def verdict_save(
    *,
    actor: Actor,
    verdict_id: int,
    version: int | None,
    rating_label_id: int | None,
    summary: str,
    explanation: str,
) -> Verdict:
    """Save a draft (or one sent back for changes). Raises ConflictError on a stale version."""
    require_permission(actor, WORK_CLAIM)
    label, summary, explanation = _clean_content(
        rating_label_id=rating_label_id, summary=summary, explanation=explanation
    )
    verdict = _verdict_for_update(verdict_id, version)
    if verdict.status not in EDITABLE:
        raise InvalidInputError(
            _("This verdict is %(status)s and cannot be edited here.")
            % {"status": verdict.get_status_display()}
        )
    _check_label_scale(label, verdict)
    verdict.rating_label = label
    verdict.summary = summary
    verdict.explanation = explanation
    _refresh_search_vector(verdict)
    verdict.save()
    return verdict


@transaction.atomic
def verdict_submit(*, actor: Actor, verdict_id: int, version: int | None) -> Verdict:
    """Send a complete draft to the editors. The claim moves to "in review"."""
    require_permission(actor, WORK_CLAIM)
    verdict = _verdict_for_update(verdict_id, version)
    if verdict.status not in EDITABLE:
        raise InvalidInputError(_("Only drafts can be submitted for review."))
    check_complete(verdict)
    verdict.status = Verdict.Status.IN_REVIEW
    verdict.submitted_at = timezone.now()
    verdict.author = actor
    verdict.save()
    claim = verdict.claim
    claim.status = Claim.Status.IN_REVIEW
    claim.save(update_fields=["status", "updated_at"])
    notify_review_waiting(actor=actor, verdict=verdict)
    return verdict


def _require_in_review(verdict: Verdict) -> None:
    if verdict.status != Verdict.Status.IN_REVIEW:
        raise InvalidInputError(_("This verdict is not awaiting review."))


@transaction.atomic
def verdict_send_back(
    *, actor: Actor, verdict_id: int, version: int | None, comment: str
) -> Verdict:
    """An editor returns a verdict to its author with a comment; the claim goes back to selected."""
    require_permission(actor, REVIEW_VERDICT)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInputError(_("Tell the author what to change."))
    verdict = _verdict_for_update(verdict_id, version)
    _require_in_review(verdict)
    verdict.status = Verdict.Status.CHANGES_REQUESTED
    verdict.review_comment = comment
    verdict.editor = actor
    verdict.save()
    claim = verdict.claim
    claim.status = Claim.Status.SELECTED
    claim.save(update_fields=["status", "updated_at"])
    notify_sent_back(actor=actor, verdict=verdict)
    return verdict


def slug_for(verdict: Verdict) -> str:
    """The public page's slug: the verdict's own once published, else the one publishing would
    give it now (the claim's text, transliterated, cut at a word boundary; unique)."""
    if verdict.slug:
        return verdict.slug
    text = verdict.claim.text
    for src, dst in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(src, dst)
    base = slugify(text)[:80].rstrip("-")
    if "-" in base and len(slugify(text)) > 80:
        base = base.rsplit("-", 1)[0]  # cut at a word boundary
    base = base or "verdict"
    slug = base
    if Verdict.objects.filter(slug=slug).exclude(pk=verdict.pk).exists():
        slug = f"{base}-{verdict.pk}"
    return slug


def _emit(verdict_id: int, event: str) -> None:
    # The fan-out to subscribers runs in a worker, queued after commit, so neither a subscriber
    # that is down nor a rollback affects publishing, and the editor's request does not wait.
    enqueue_on_commit(webhooks_emit_task, verdict_id, event)


@transaction.atomic
def verdict_publish(*, actor: Actor, verdict_id: int, version: int | None) -> Verdict:
    """Approve and publish: the verdict gets its slug (its public page) and publication time."""
    require_permission(actor, REVIEW_VERDICT)
    verdict = _verdict_for_update(verdict_id, version)
    _require_in_review(verdict)
    if not may_approve(actor, verdict):
        raise PermissionDeniedError(
            _("A second person must approve a verdict: you wrote this one.")
        )
    check_publishable(verdict)
    verdict.status = Verdict.Status.PUBLISHED
    verdict.editor = actor
    verdict.review_comment = ""
    verdict.published_at = timezone.now()
    verdict.slug = slug_for(verdict)
    _refresh_search_vector(verdict)
    verdict.save()
    claim = verdict.claim
    claim.status = Claim.Status.PUBLISHED
    claim.save(update_fields=["status", "updated_at"])
    if claim.embedding is None and settings.CLAIMTRACKER_MATCHING_ENABLED:
        # Matching embeds check-worthy claims only; a checked claim must be found again (#16).
        enqueue_on_commit(claim_embed_task, claim.pk)
    _emit(verdict.pk, "verdict.published")
    published_verdicts_changed()
    notify_published(actor=actor, verdict=verdict)
    return verdict


@transaction.atomic
def verdict_correct(
    *,
    actor: Actor,
    verdict_id: int,
    version: int | None,
    note: str,
    rating_label_id: int | None,
    summary: str,
    explanation: str,
) -> VerdictCorrection:
    """Correct a published verdict. The note is public; what changed is recorded with it."""
    require_permission(actor, REVIEW_VERDICT)
    note = (note or "").strip()
    if not note:
        raise InvalidInputError(_("A correction needs a note that explains what was corrected."))
    label, summary, explanation = _clean_content(
        rating_label_id=rating_label_id, summary=summary, explanation=explanation
    )
    if label is None:
        raise InvalidInputError(_("Choose a rating from the list."))
    if not summary:
        raise InvalidInputError(_("The short verdict cannot be empty."))
    verdict = _verdict_for_update(verdict_id, version)
    if verdict.status != Verdict.Status.PUBLISHED:
        raise InvalidInputError(_("Only published verdicts are corrected; edit the draft instead."))
    _check_label_scale(label, verdict)
    changes: dict[str, list] = {}
    if verdict.rating_label_id != label.pk:
        changes["rating"] = [str(verdict.rating_label or ""), label.name]
    if verdict.summary != summary:
        changes["summary"] = [verdict.summary, summary]
    if verdict.explanation != explanation:
        changes["explanation"] = [verdict.explanation, explanation]
    from claims.services.evidence import evidence_versions_adopt  # evidence imports this module

    changes.update(evidence_versions_adopt(verdict=verdict))
    verdict.rating_label = label
    verdict.summary = summary
    verdict.explanation = explanation
    check_publishable(verdict, correcting=True)  # a correction publishes too
    _refresh_search_vector(verdict)
    verdict.save()
    correction = VerdictCorrection(verdict=verdict, note=note, author=actor, changes=changes)
    correction.full_clean()
    correction.save()
    _emit(verdict.pk, "verdict.corrected")
    published_verdicts_changed()
    notify_corrected(actor=actor, correction=correction)
    return correction
