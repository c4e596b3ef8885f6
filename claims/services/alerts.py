"""Alerts, evaluated by the NLP worker once an article's claims are stored and matched.

Three kinds (docs/alerts.md):

* repeat: a new check-worthy claim joins (or is suggested for) a claim group that carries a
  published verdict rated false or misleading, or any candidate unit of the article (check-worthy
  or not) scores at least REPEAT_MATCH_MIN against such a verdict's own claim
  (claims.services.alerts_repeats) -> the editors, the group's followers and whoever watches the
  claim's speaker, outlet or topic;
* trend: a claim group the article's claims joined reached TREND_APPEARANCES appearances within
  TREND_HOURS from at least TREND_MIN_OUTLETS outlets -> the editors and the group's followers;
* watch: a watched speaker (the claim's speaker, or while linking is not there yet a claimant
  whose name is the speaker's name or alias), outlet, topic or group makes a new check-worthy
  claim -> the rule's owners (who watches what: claims.services.alerts_watchers).

Each alert reaches a person once: one dedupe key per new claim (``alert:claim:<id>``; a follower
of a false-rated group gets the repeat, not also a watch alert) and one per group and trend
window. Re-running the task (a retry, the sweep) sends nothing twice. Repeats and trends also go
to the desk's chat webhooks (claims.services.webhooks.alert_webhooks_emit).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.claimreview import site_url, verdict_public_url
from claims.dispatch import enqueue_on_commit
from claims.models import (
    Article,
    ArticleAlertRun,
    Claim,
    ClaimMatch,
    Notification,
    Verdict,
)
from claims.selectors.alerts import TrendThresholds, trend_thresholds
from claims.services.alerts_repeats import (
    article_verdict_repeats,
    units_of_article,
    verdict_rated_false,
)
from claims.services.alerts_watchers import ArticleNames, WatchIndex
from claims.services.notifications import notification_send, users_with_perm
from claims.services.webhooks import alert_webhooks_emit
from claims.tasks import article_alerts_task

Kind = Notification.Kind


def _claim_line(claim: Claim, article: Article) -> str:
    outlet = article.outlet.name if article.outlet_id else _("unknown outlet")
    who = claim.claimant or _("unknown speaker")
    return f"{who} ({outlet}): “{claim.claim_text[:400]}”"


def _repeat_title(verdict: Verdict) -> str:
    return _("Repeat of a claim rated “%(label)s”") % {"label": verdict.rating_label.name}


def _repeat_body(claim: Claim, article: Article, verdict: Verdict) -> str:
    return "\n".join(
        [
            _claim_line(claim, article),
            _("Verdict: %(summary)s") % {"summary": verdict.summary},
            verdict_public_url(verdict),
        ]
    )


def _trend_title(appearances: int, hours: int, outlets: int) -> str:
    return _("Trending: %(n)s appearances in %(hours)s hours from %(outlets)s outlets") % {
        "n": appearances,
        "hours": hours,
        "outlets": outlets,
    }


def _claim_link(claim: Claim) -> str:
    return reverse("claims:claim", kwargs={"claim_id": claim.pk})


def _false_verdicts(group_ids: set[int]) -> dict[int, Verdict]:
    """Group id -> its published verdict rated false or misleading (the latest)."""
    if not group_ids:
        return {}
    found: dict[int, Verdict] = {}
    verdicts = (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .filter(Q(group_id__in=group_ids) | Q(claim__group_id__in=group_ids))
        .select_related("rating_label__scale", "claim")
        .order_by("published_at")
    )
    for verdict in verdicts:
        if verdict_rated_false(verdict):
            for gid in {verdict.group_id, verdict.claim.group_id} & group_ids:
                found[gid] = verdict
    return found


def _trending(group_ids: set[int], now, limits: TrendThresholds) -> list[tuple[int, int, int]]:
    """(group, appearances, outlets) of the groups past the trend thresholds."""
    if not group_ids:
        return []
    since = now - timedelta(hours=limits.hours)
    rows = (
        Claim.objects.filter(group_id__in=group_ids, created_at__gte=since)
        .values("group_id")
        .annotate(
            appearances=Count("pk"),
            outlets=Count("article__outlet", distinct=True),
            unattributed=Count("article", filter=Q(article__outlet__isnull=True), distinct=True),
        )
    )
    return [
        (row["group_id"], row["appearances"], row["outlets"] + row["unattributed"])
        for row in rows
        if row["appearances"] >= limits.appearances
        and row["outlets"] + row["unattributed"] >= limits.min_outlets
    ]


def _surest(found: tuple[float, Verdict]) -> tuple[float, int]:
    return (-found[0], found[1].pk)


def _groups(verdicts: list[Verdict]) -> set[int]:
    """The claim groups of the verdicts (a verdict on a group, or on a claim in one)."""
    return {g for v in verdicts for g in (v.group_id, v.claim.group_id) if g}


def article_alerts_evaluate(*, article_id: int, watch_index: WatchIndex | None = None) -> int:
    """Raise the article's alerts (idempotent). Returns how many inbox entries were created."""
    article = Article.objects.select_related("outlet").filter(pk=article_id).first()
    if article is None or article.status != Article.Status.DONE:
        return 0
    units = units_of_article(article_id)
    claims = [c for c in units if c.checkworthy]
    if not units:
        # Evaluated: the sweep must not send an article without units again and again.
        ArticleAlertRun.objects.get_or_create(article_id=article_id)
        return 0
    now = timezone.now()
    index = watch_index or WatchIndex.load()
    # Groups each claim joined, and those it was suggested for (not rejected by a reviewer).
    joined = {c.pk: ({c.group_id} if c.group_id else set()) for c in claims}
    related = {pk: set(groups) for pk, groups in joined.items()}
    scores: dict[tuple[int, int], float] = {}
    for claim_id, group_id, score in (
        ClaimMatch.objects.filter(claim__in=claims)
        .exclude(decision=ClaimMatch.Decision.REJECTED)
        .values_list("claim_id", "group_id", "score")
    ):
        related[claim_id].add(group_id)
        scores[claim_id, group_id] = score or 0.0
    all_groups = set().union(*related.values())
    false_verdicts = _false_verdicts(all_groups)
    # Claim -> verdict id -> (how surely the claim repeats it, the verdict): joined its group
    # (2.0), else the suggestion's score, else the score against the verdict's own claim.
    repeats: dict[int, dict[int, tuple[float, Verdict]]] = defaultdict(dict)
    for claim in claims:
        for gid in related[claim.pk]:
            verdict = false_verdicts.get(gid)
            if verdict is None or verdict.claim_id == claim.pk:
                continue
            sure = 2.0 if gid in joined[claim.pk] else scores.get((claim.pk, gid), 0.0)
            if sure > repeats[claim.pk].get(verdict.pk, (-1.0,))[0]:
                repeats[claim.pk][verdict.pk] = (sure, verdict)
    if settings.CLAIMTRACKER_MATCHING_ENABLED:
        # Every unit, check-worthy or not, against the few published false verdicts (#16).
        for found in article_verdict_repeats(units=units):
            if found.score > repeats[found.claim_id].get(found.verdict.pk, (-1.0,))[0]:
                repeats[found.claim_id][found.verdict.pk] = (found.score, found.verdict)
    repeats = {pk: found for pk, found in repeats.items() if found}
    # Check-worthy claims, and the units that are not but repeat a false verdict.
    claims += [u for u in units if not u.checkworthy and u.pk in repeats]
    if not claims:
        ArticleAlertRun.objects.get_or_create(article_id=article_id)
        return 0

    def strength(claim: Claim) -> float:
        """The strongest claim of the article carries its repeat alert."""
        return max((sure for sure, _v in repeats.get(claim.pk, {}).values()), default=-1.0)

    claims.sort(key=lambda c: (-strength(c), c.index))
    editors: list[int] | None = None
    # Two queries, only when someone follows an entity.
    context = ArticleNames.of_article(article_id) if index.entities else None
    # Verdict -> who was told of its repeat in this article: an article repeating one false
    # claim in two sentences is one repeat for each person (the measure of #16: exactly one).
    told: dict[int, set[int]] = defaultdict(set)
    created = 0
    for claim in claims:
        key = f"alert:claim:{claim.pk}"
        # Its verdicts, the surest first.
        repeat_of = [v for _s, v in sorted(repeats.get(claim.pk, {}).values(), key=_surest)]
        watchers = index.watchers(claim, article.outlet_id, joined.get(claim.pk, set()), context)
        if repeat_of:
            if editors is None:
                editors = list(
                    users_with_perm("claims.review_verdict").values_list("pk", flat=True)
                )
            verdict = repeat_of[0]
            followers = set().union(*(index.groups.get(g, set()) for g in _groups(repeat_of)))
            # Callables: rendered in each recipient's language (and once more for the chat).
            title = partial(_repeat_title, verdict)
            body = partial(_repeat_body, claim, article, verdict)
            # Whoever watches this claim's speaker, outlet or topic gets the repeat too: one
            # alert per person and claim, the most telling kind.
            recipients = (set(editors) | followers | watchers) - told[verdict.pk]
            first = not told[verdict.pk]
            told[verdict.pk] |= recipients
            if recipients:
                created += len(
                    notification_send(
                        recipients=recipients,
                        kind=Kind.ALERT_REPEAT,
                        title=title,
                        body=body,
                        url=_claim_link(claim),
                        dedupe_key=key,
                    )
                )
            if first:  # the chat too: one post per article and verdict
                alert_webhooks_emit(
                    kind=Kind.ALERT_REPEAT,
                    dedupe_key=f"repeat:claim:{claim.pk}",
                    text=f"{title()}\n{body()}\n{site_url(_claim_link(claim))}",
                )
        elif watchers:
            created += len(
                notification_send(
                    recipients=watchers,
                    kind=Kind.ALERT_WATCH,
                    title=lambda: _("New check-worthy claim on your watchlist"),
                    body=partial(_claim_line, claim, article),
                    url=_claim_link(claim),
                    dedupe_key=key,
                )
            )
            alert_webhooks_emit(
                kind=Kind.ALERT_WATCH,
                dedupe_key=f"watch:claim:{claim.pk}",
                text=f"{_claim_line(claim, article)}\n{site_url(_claim_link(claim))}",
            )
    joined_groups = set().union(*joined.values())
    # Admin-editable (AlertThresholds), defaults from the CLAIMTRACKER_ALERTS settings.
    limits = trend_thresholds()
    hours = limits.hours
    window = int(now.timestamp() // (hours * 3600))
    for group_id, appearances, outlets in _trending(joined_groups, now, limits):
        if editors is None:
            editors = list(users_with_perm("claims.review_verdict").values_list("pk", flat=True))
        sample = next(c for c in claims if c.group_id == group_id)
        title = partial(_trend_title, appearances, hours, outlets)
        key = f"trend:group:{group_id}:{window}"
        created += len(
            notification_send(
                recipients=set(editors) | index.groups.get(group_id, set()),
                kind=Kind.ALERT_TREND,
                title=title,
                body=partial(_claim_line, sample, article),
                url=_claim_link(sample),
                dedupe_key=key,
            )
        )
        alert_webhooks_emit(
            kind=Kind.ALERT_TREND,
            dedupe_key=key,
            text=f"{title()}\n{_claim_line(sample, article)}\n{site_url(_claim_link(sample))}",
        )
    ArticleAlertRun.objects.get_or_create(article_id=article_id)
    return created


# Matched articles older than this without an alert run are sent again; younger ones may still
# have their message on its way. Only the last day is looked at: older alerts are stale news.
SWEEP_GRACE = timedelta(minutes=5)
SWEEP_WINDOW = timedelta(days=1)


def alerts_requeue_stale(*, now=None) -> int:
    """Send the alert task again for recently matched articles whose alerts never ran."""
    now = now or timezone.now()
    done_at = Q(matched_at__gte=now - SWEEP_WINDOW, matched_at__lte=now - SWEEP_GRACE)
    if not settings.CLAIMTRACKER_MATCHING_ENABLED:
        done_at = Q(processed_at__gte=now - SWEEP_WINDOW, processed_at__lte=now - SWEEP_GRACE)
    ids = list(
        Article.objects.filter(
            done_at, status=Article.Status.DONE, alert_run__isnull=True
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue_on_commit(article_alerts_task, pk)
    return len(ids)
