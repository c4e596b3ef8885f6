"""Whether a verdict may be submitted, approved and made public: the rules the services enforce
and the editor's preview lists (one place, so the preview never disagrees with publishing)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import EvidenceSource, Verdict
from claims.services.claims import Actor, can_review


def missing_content(verdict: Verdict, *, require_evidence: bool = True) -> list[str]:
    problems = []
    if verdict.rating_label_id is None:
        problems.append(_("choose a rating"))
    if not verdict.summary.strip():
        problems.append(_("write a short verdict"))
    if require_evidence and not verdict.evidence.exists():
        problems.append(_("add at least one evidence source"))
    return problems


def check_complete(verdict: Verdict) -> None:
    problems = missing_content(verdict)
    if problems:
        raise InvalidInputError(
            _("Not yet ready: %(problems)s.") % {"problems": "; ".join(problems)}
        )


def failed_evidence(verdict: Verdict) -> list[EvidenceSource]:
    """The verdict's sources whose page could not be fetched (unreachable, refused, an error
    status, an unsupported type): readers would get a dead or unverified link, so they block
    publication until fetched again successfully or removed. Pending fetches do not block, nor
    does a failed *re*fetch of a source we already archived: readers get that archived copy."""
    return [
        e
        for e in verdict.evidence.all()
        if e.fetch_status == EvidenceSource.FetchStatus.FAILED and e.archived_at is None
    ]


def publication_blockers(verdict: Verdict, *, correcting: bool = False) -> list[str]:
    """Why the verdict cannot be made public as it is, one readable reason each; empty when
    it can. The preview page lists them; publishing and corrections refuse while any remain.

    A correction cannot add evidence (published evidence is immutable), so a verdict published
    without any is not held to that rule when corrected; a failed source still blocks it.
    """
    blockers = []
    missing = missing_content(verdict, require_evidence=not correcting)
    if missing:
        blockers.append(_("Not yet ready: %(problems)s.") % {"problems": "; ".join(missing)})
    for source in failed_evidence(verdict):
        blockers.append(
            _(
                "The source “%(source)s” could not be fetched (%(error)s): fetch it again "
                "or remove it."
            )
            % {
                "source": source.title or source.url,
                "error": source.fetch_error or _("unreachable"),
            }
        )
    return blockers


def check_publishable(verdict: Verdict, *, correcting: bool = False) -> None:
    """Publishing and correcting share one rule: nothing public with a blocker left."""
    blockers = publication_blockers(verdict, correcting=correcting)
    if blockers:
        raise InvalidInputError(" ".join(blockers))


def may_approve(user: Actor | None, verdict: Verdict) -> bool:
    """Whether ``user`` may approve and publish ``verdict``: an editor who did not write it
    (four eyes; the service enforces the same rule)."""
    return can_review(user) and verdict.author_id != getattr(user, "pk", None)
