"""The daily digest: per user, the day's top check-worthy candidates for their watchlist and
the repeats of checked claims they were alerted to, as one inbox entry and email.

Sent by a Celery beat entry at CLAIMTRACKER_DIGEST_HOUR; the dedupe key carries the date, so a
second run on the same day (a retry, a restarted beat) sends nothing again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, Notification, WatchRule
from claims.services.alerts_watchers import WatchIndex
from claims.services.notifications import notification_send

# The day's claims looked at, best first: bounds the digest's cost on a very busy day.
MAX_CLAIMS = 20_000


def _digest_title(candidates: int, repeats: int) -> str:
    return _("Your daily digest: %(candidates)s candidates, %(repeats)s repeats") % {
        "candidates": candidates,
        "repeats": repeats,
    }


def _digest_body(mine: list[Claim], again: list[Notification]) -> str:
    lines = []
    if mine:
        lines.append(_("Top candidates for your watchlist:"))
        for claim in mine:
            outlet = claim.article.outlet.name if claim.article.outlet_id else "–"
            link = reverse("claims:claim", kwargs={"claim_id": claim.pk})
            lines.append(
                f"- [{round(claim.score * 100)}] {claim.claimant or '–'} ({outlet}): "
                f"{claim.claim_text[:200]} {link}"
            )
    if again:
        lines.append("")
        lines.append(_("Repeats of checked claims:"))
        lines += [f"- {n.title}: {n.body.splitlines()[0][:200]} {n.url}" for n in again]
    return "\n".join(lines)


def digests_send(*, now=None) -> int:
    """Send today's digest to every user with a watchlist or alerts today. Returns how many."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    top = int(settings.CLAIMTRACKER_ALERTS["DIGEST_TOP"])
    index = WatchIndex.load()
    candidates: dict[int, list[Claim]] = defaultdict(list)
    if WatchRule.objects.exists():
        claims = (
            Claim.objects.filter(created_at__gte=since, checkworthy=True, candidate=True)
            .select_related("article__outlet")
            .defer("embedding", "embedding_en")
            .order_by("-score", "pk")[:MAX_CLAIMS]
        )
        for claim in claims:
            groups = {claim.group_id} if claim.group_id else set()
            for user_id in index.watchers(claim, claim.article.outlet_id, groups):
                if len(candidates[user_id]) < top:
                    candidates[user_id].append(claim)
    repeats: dict[int, list[Notification]] = defaultdict(list)
    for note in Notification.objects.filter(
        kind=Notification.Kind.ALERT_REPEAT, created_at__gte=since
    ).order_by("created_at"):
        if len(repeats[note.recipient_id]) < top:
            repeats[note.recipient_id].append(note)
    day = timezone.localdate(now).isoformat()
    sent = 0
    for user_id in sorted(set(candidates) | set(repeats)):
        mine, again = candidates.get(user_id, []), repeats.get(user_id, [])
        # Rendered by notification_send in the recipient's language.
        title = partial(_digest_title, len(mine), len(again))
        body = partial(_digest_body, mine, again)
        sent += len(
            notification_send(
                recipients=[user_id],
                kind=Notification.Kind.DIGEST,
                title=title,
                body=body,
                url=reverse("notifications:inbox"),
                dedupe_key=f"digest:{day}",
            )
        )
    return sent
