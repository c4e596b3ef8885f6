"""The claim queue: filters that live in the URL, full-text search, ranking.

Ranking: check-worthiness first, then recency (newest article first) among equal scores. The
default status filter shows open work (new and selected claims) among the claim candidates, which
the partial index ``claim_queue_candidates_idx (status, -score) WHERE candidate`` serves.

Search: PostgreSQL full-text search (``to_tsvector('simple', text)``; the "simple" configuration
because the queue mixes German and English) when the database is PostgreSQL, ``icontains`` on
SQLite. ``SEARCH_INDEX_SQL`` is the GIN expression index that makes the PostgreSQL search
fast; it must match the expression Django generates for ``SearchVector("text", config="simple")``.
"""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Outlet

SEARCH_CONFIG = "simple"
SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS claim_text_search_idx ON claims_claim "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))"
)
PAGE_SIZE = 50
# The pager counts at most this many claims ("1,000+"): an exact COUNT over 80,000 open claims
# costs more than the page itself, and nobody pages past 20 pages instead of filtering.
COUNT_CAP = 1000

OPEN = "open"
ALL = "all"
STATUS_CHOICES = [
    (OPEN, _("open (new and selected)")),
    *Claim.Status.choices,
    (ALL, _("all")),
]
SORT_CHOICES = [
    ("rank", _("check-worthiness, then newest")),
    ("newest", _("newest first")),
    ("oldest", _("oldest first")),
]
LANGUAGE_CHOICES = [("de", _("German")), ("en", _("English"))]
GROUPED, EVERY = "groups", "every"
GROUPING_CHOICES = [
    (GROUPED, _("one row per repeated claim")),
    (EVERY, _("every appearance")),
]
ME = "me"
NOBODY = "none"
CANDIDATES, SENTENCES = "candidates", "sentences"
UNIT_CHOICES = [
    (CANDIDATES, _("claim candidates")),
    (SENTENCES, _("every sentence (also bylines, credits, teasers…)")),
]
NEEDS_CONTEXT, READS_ALONE = "needs", "alone"
CONTEXT_CHOICES = [
    (NEEDS_CONTEXT, _("needs context")),
    (READS_ALONE, _("reads alone")),
]


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ClaimQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=None
    )
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES, label=_("Language"), empty_label=_("any")
    )
    outlet = django_filters.ModelChoiceFilter(
        field_name="article__outlet",
        queryset=Outlet.objects.only("id", "name"),
        label=_("Outlet"),
        empty_label=_("any"),
    )
    claimant = django_filters.CharFilter(lookup_expr="icontains", label=_("Claimant"))
    claim_type = django_filters.ChoiceFilter(
        choices=Claim.Type.choices, label=_("Type"), empty_label=_("any")
    )
    assignee = django_filters.CharFilter(method="filter_assignee", label=_("Assignee"))
    date_from = django_filters.DateFilter(
        method="filter_date_from", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    # The workspace shows check-worthiness on one scale, 0–100 (the queue, the claim and article
    # pages); the stored score is 0–1 (as in the API).
    min_score = django_filters.NumberFilter(
        method="filter_min_score",
        label=_("Minimum score (0–100)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "5"}),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label=_("Sort"), empty_label=None
    )
    rows = django_filters.ChoiceFilter(
        choices=GROUPING_CHOICES, method="filter_rows", label=_("Rows"), empty_label=None
    )
    units = django_filters.ChoiceFilter(
        choices=UNIT_CHOICES, method="filter_units", label=_("Show"), empty_label=None
    )
    # Whether the standalone text can be read without the article ("Needs context" badge).
    context = django_filters.ChoiceFilter(
        choices=CONTEXT_CHOICES,
        method="filter_context",
        label=_("Standalone text"),
        empty_label=_("any"),
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        # Defaults that apply even when the parameter is absent: open work, best first.
        if not data.get("status"):
            data["status"] = OPEN
        if not data.get("sort"):
            data["sort"] = "rank"
        if not data.get("rows"):
            data["rows"] = GROUPED
        if not data.get("units"):
            data["units"] = CANDIDATES
        self.user = user
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:200]
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            # alias, not annotate: the vector is only filtered on, never selected.
            return queryset.alias(
                search_document=SearchVector("text", config=SEARCH_CONFIG)
            ).filter(
                search_document=SearchQuery(value, config=SEARCH_CONFIG, search_type="websearch")
            )
        terms = value.split()
        for term in terms[:8]:
            queryset = queryset.filter(Q(text__icontains=term) | Q(claimant__icontains=term))
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OPEN:
            return queryset.filter(status__in=[Claim.Status.NEW, Claim.Status.SELECTED])
        if value == ALL or not value:
            return queryset
        return queryset.filter(status=value)

    def filter_min_score(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(score__gte=float(value) / 100)

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value == ME and self.user is not None:
            return queryset.filter(assignee=self.user)
        if value == NOBODY:
            return queryset.filter(assignee__isnull=True)
        if value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset

    def filter_date_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(article__published_at__gte=_day_start(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        from datetime import timedelta

        return queryset.filter(article__published_at__lt=_day_start(value + timedelta(days=1)))

    def filter_rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A repeated claim is checked once: its group shows as its representative (the first
        appearance); the other appearances are counted on that row (claim_group_summary)."""
        if value == EVERY:
            return queryset
        return queryset.filter(Q(group__isnull=True) | Q(group__representative_id=F("pk")))

    def filter_units(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Sentences the extraction kept only as context are not queue items unless asked for."""
        if value == SENTENCES:
            return queryset
        return queryset.filter(candidate=True)

    def filter_context(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Claims not assessed yet (NULL, stored before the flag) match neither choice."""
        if value == NEEDS_CONTEXT:
            return queryset.filter(standalone_needs_context=True)
        if value == READS_ALONE:
            return queryset.filter(standalone_needs_context=False)
        return queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "newest":
            return queryset.order_by("-created_at", "-id")
        if value == "oldest":
            return queryset.order_by("created_at", "id")
        return queryset.order_by("-score", "-created_at", "-id")


class CappedPaginator(Paginator):
    """A Paginator whose count stops at COUNT_CAP (``count_capped`` tells the page)."""

    count_capped = False

    @cached_property
    def count(self) -> int:
        # Without ORDER BY: counting the first 1,001 matches needs no sort.
        counted = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.count_capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)


def claim_queue_base() -> QuerySet:
    """Claims with everything a queue row shows, in one query."""
    return Claim.objects.select_related(
        "article__outlet", "assignee", "verdict__rating_label"
    ).defer(
        "embedding",
        "embedding_en",
        "article__text",
        "article__raw_page",
        "context_before",
        "context_after",
        "entities",
        "numbers",
    )


def claim_queue(*, user, params) -> ClaimQueueFilter:
    """The queue filtered by ``params`` (a QueryDict); ``.qs`` is the ordered QuerySet."""
    return ClaimQueueFilter(params, queryset=claim_queue_base(), user=user)


def assignable_users() -> list:
    """Users who may be assigned claims, for the assignee filter and the assign actions."""
    user_model = get_user_model()
    return list(
        user_model.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="work_claim")
            | Q(user_permissions__codename="work_claim")
        )
        .distinct()
        .only("id", "username", "first_name", "last_name")
        .order_by("username")
    )
