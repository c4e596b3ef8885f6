"""What the desk is told about its own work (issue #14): assigned, sent back, awaiting review,
published, corrected.

Called by the claim and verdict services inside their transactions; the notices (and their
emails, after commit) go through the one channel, claims.services.notifications.
"""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import Claim, Notification, Verdict, VerdictCorrection
from claims.services.notifications import notification_send, users_with_perm

Kind = Notification.Kind


def _claim_url(claim_id: int) -> str:
    return reverse("claims:claim", kwargs={"claim_id": claim_id})


def _assigned_one(who: str) -> str:
    return _("%(who)s assigned a claim to you") % {"who": who}


def _assigned_many(who: str, n: int) -> str:
    return _("%(who)s assigned %(n)s claims to you") % {"who": who, "n": n}


def notify_assigned(*, actor, claims: list[Claim]) -> None:
    """Tell each assignee about the claims just assigned to them (not when they took it)."""
    by_user: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.assignee_id and claim.assignee_id != getattr(actor, "pk", None):
            by_user.setdefault(claim.assignee_id, []).append(claim)
    who = actor.get_username() if actor is not None else ""
    for user_id, mine in by_user.items():
        stamp = max(c.updated_at for c in mine).isoformat()
        # Titles are callables: notification_send renders them in each recipient's language.
        if len(mine) == 1:
            claim = mine[0]
            title = partial(_assigned_one, who)
            body, url = claim.claim_text[:500], _claim_url(claim.pk)
            key = f"assigned:{claim.pk}:{stamp}"
        else:
            title = partial(_assigned_many, who, len(mine))
            body = "\n".join(f"- {c.claim_text[:200]}" for c in mine[:20])
            url = reverse("claims:queue") + "?assignee=me"
            key = f"assigned:{','.join(str(c.pk) for c in mine[:50])}:{stamp}"
        notification_send(
            recipients=[user_id],
            kind=Kind.ASSIGNED,
            title=title,
            body=body,
            url=url,
            dedupe_key=key,
        )


def notify_sent_back(*, actor, verdict: Verdict) -> None:
    if not verdict.author_id or verdict.author_id == actor.pk:
        return
    notification_send(
        recipients=[verdict.author_id],
        kind=Kind.SENT_BACK,
        title=lambda: _("%(who)s sent your verdict back") % {"who": actor.get_username()},
        body=f"{verdict.claim.claim_text[:300]}\n\n{verdict.review_comment}",
        url=_claim_url(verdict.claim_id) + "#verdict",
        dedupe_key=f"sent_back:{verdict.pk}:{verdict.version}",
    )


def notify_review_waiting(*, actor, verdict: Verdict) -> None:
    editors = users_with_perm("claims.review_verdict").exclude(pk=actor.pk)
    notification_send(
        recipients=list(editors.values_list("pk", flat=True)),
        kind=Kind.REVIEW_WAITING,
        title=lambda: _("A verdict by %(who)s awaits review") % {"who": actor.get_username()},
        body=verdict.claim.claim_text[:500],
        url=_claim_url(verdict.claim_id) + "#verdict",
        dedupe_key=f"review_waiting:{verdict.pk}:{verdict.version}",
    )


def notify_published(*, actor, verdict: Verdict) -> None:
    """The verdict's author learns that an editor approved and published it."""
    if not verdict.author_id or verdict.author_id == actor.pk:
        return
    notification_send(
        recipients=[verdict.author_id],
        kind=Kind.PUBLISHED,
        title=lambda: _("%(who)s published your verdict") % {"who": actor.get_username()},
        body=f"{verdict.claim.claim_text[:300]}\n\n{verdict.summary}",
        url=_claim_url(verdict.claim_id) + "#verdict",
        dedupe_key=f"published:{verdict.pk}",
    )


def notify_corrected(*, actor, correction: VerdictCorrection) -> None:
    """The verdict's author and the editor who approved it learn of a public correction."""
    verdict = correction.verdict
    recipients = {verdict.author_id, verdict.editor_id} - {None, actor.pk}
    if not recipients:
        return
    notification_send(
        recipients=sorted(recipients),
        kind=Kind.CORRECTED,
        title=lambda: _("%(who)s corrected a published verdict") % {"who": actor.get_username()},
        body=f"{verdict.claim.claim_text[:300]}\n\n{correction.note}",
        url=_claim_url(verdict.claim_id) + "#corrections",
        dedupe_key=f"corrected:{correction.pk}",
    )
