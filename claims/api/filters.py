"""Query-string filters for verdicts and claims; bad values are a 400 naming the parameter."""

from __future__ import annotations

from datetime import UTC, datetime, time

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field

from claims.models import Claim, RatingLabel
from claims.selectors.public import normalised_rating_expression

MAX_SEARCH_LENGTH = 200


class DateOrDateTimeField(forms.Field):
    """Accepts ``2024-05-01`` (midnight in UTC) or a full ISO 8601 timestamp."""

    default_error_messages = {
        "invalid": "Use a date (YYYY-MM-DD) or an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)."
    }

    def to_python(self, value):
        if value is None:  # the parameter was not given
            return None
        value = str(value).strip()
        if not value:  # given but empty (`?updated_since=`): the schema says a date, refuse it
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                if day is None:
                    raise ValueError
                parsed = datetime.combine(day, time.min, tzinfo=UTC)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, UTC)
        # Any ISO date is valid (the schema says so), but years far out overflow date arithmetic
        # in Python and PostgreSQL. Nothing we hold is dated outside 1900-9000, so clamping
        # gives the same rows as the literal bound.
        if parsed.year < 1900:
            return _EARLIEST
        if parsed.year > 9000:
            return _LATEST
        # In UTC: ISO 8601 allows offsets up to +-23:59, PostgreSQL's timestamptz input only up to
        # +-15:59 (a 500 for `-17:40`); the instant is the same.
        return parsed.astimezone(UTC)


_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 12, 31, tzinfo=UTC)


class StrictBooleanField(forms.Field):
    """`true` or `false` (also `1`/`0`), as the schema says; django-filter's BooleanFilter reads
    anything else, `null` included, as "no filter"."""

    default_error_messages = {"invalid": "Use true or false."}
    _VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value is None:
            return None
        try:
            return self._VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictChoiceField(django_filters.fields.ChoiceField):
    """One of the choices. django-filter reads a given but empty value (`?status=`) as "no
    filter"; the schema's enum has no empty string, so that is a 400 like any other value."""

    def clean(self, value):
        if value == "":  # None when the parameter is absent
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super().clean(value)


class StrictChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrictChoiceField


# Stated here, not inferred from the model field: a nullable column (published_at) made the
# parameter `nullable: true` with the column's title, which a query string cannot express.
@extend_schema_field({"type": "string", "format": "date-time"})
class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


class BoundedCharFilter(django_filters.CharFilter):
    """A text filter whose length limit is in the schema (drf-spectacular does not read it)."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        extend_schema_field({"type": "string", "maxLength": max_length})(self)


class StrictFloatField(forms.FloatField):
    """A number: a given but empty value (`?min_score=`) is a 400, not "no filter" (the schema
    says number, and "" is none)."""

    def clean(self, value):
        if value == "":  # None when the parameter is absent
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().clean(value)


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 1})
class BoundedFloatFilter(django_filters.NumberFilter):
    field_class = StrictFloatField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0.0)
        kwargs.setdefault("max_value", 1.0)
        super().__init__(*args, **kwargs)


def text_search(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    """PostgreSQL full-text search (websearch syntax) or a case-insensitive substring fallback."""
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(value, search_type="websearch", config="simple")
        return queryset.alias(search=vector).filter(search=query)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": value})
    return queryset.filter(condition)


class VerdictFilter(django_filters.FilterSet):
    language = BoundedCharFilter(
        method="filter_language",
        max_length=8,
        help_text="Language of the claim (ISO 639-1, e.g. `de`, `en`).",
    )
    rating = BoundedCharFilter(
        method="filter_rating",
        max_length=100,
        help_text="Rating label name, e.g. `False` (case-insensitive).",
    )
    rating_min = BoundedFloatFilter(
        method="filter_rating_min",
        help_text="Lowest normalised rating, 0 (worst) to 1 (best). Non-ordinal labels are "
        "excluded when a range is given.",
    )
    rating_max = BoundedFloatFilter(
        method="filter_rating_max", help_text="Highest normalised rating, 0 to 1."
    )
    claimant = BoundedCharFilter(
        field_name="claim__claimant",
        lookup_expr="icontains",
        max_length=200,
        help_text="Part of the claimant's name, case-insensitive.",
    )
    outlet = BoundedCharFilter(
        field_name="claim__article__outlet__name",
        lookup_expr="iexact",
        max_length=200,
        help_text="Name of the outlet the claim was found in (case-insensitive, exact).",
    )
    published_since = DateOrDateTimeFilter(
        field_name="published_at",
        lookup_expr="gte",
        help_text="Published at or after this date/time.",
    )
    published_until = DateOrDateTimeFilter(
        field_name="published_at",
        lookup_expr="lt",
        help_text="Published before this date/time.",
    )
    updated_since = DateOrDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed (including corrections) at or after this date/time; for syncing.",
    )
    q = BoundedCharFilter(
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Full-text search in the claim and the short verdict.",
    )

    def get_form_class(self):
        # django-filter builds the form class anew for every request (a deep copy and a
        # translated label per filter: a third of an uncached list page's CPU). The filters do
        # not depend on the request, so one class serves them all; Django copies its fields
        # into every form instance anyway.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def _with_normalised(self, queryset: QuerySet) -> QuerySet:
        if "normalised_rating" in queryset.query.annotations:  # aliases are annotations too
            return queryset
        return queryset.alias(normalised_rating=normalised_rating_expression())

    def filter_rating_min(self, queryset, name, value):
        if value is None:
            return queryset
        return self._with_normalised(queryset).filter(normalised_rating__gte=value)

    def filter_rating_max(self, queryset, name, value):
        if value is None:
            return queryset
        return self._with_normalised(queryset).filter(normalised_rating__lte=value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if value and connection.vendor == "postgresql":
            # The stored vector (claim text + summary) has a GIN index; computing it per row
            # across the join scanned until a page was full (bench/results/api.md).
            query = SearchQuery(value, search_type="websearch", config="simple")
            return queryset.filter(search_vector=query)
        return text_search(queryset, ("claim__text", "summary"), value)

    def filter_language(self, queryset, name, value):
        # Codes are stored lower-case; an exact match lets the planner use the column's
        # statistics (UPPER(...) = ... is estimated at 0.5% and picks a sorting plan).
        return queryset.filter(claim__language=value.strip().lower())

    def filter_rating(self, queryset, name, value):
        # Labels are few: resolve the name first, so the planner sees `rating_label_id IN (..)`
        # with a true selectivity instead of a join it misestimates (see bench/results/api.md).
        ids = list(RatingLabel.objects.filter(name__iexact=value).values_list("id", flat=True))
        return queryset.filter(rating_label_id__in=ids)


class ClaimFilter(django_filters.FilterSet):
    status = StrictChoiceFilter(
        choices=Claim.Status.choices, help_text="Workflow status of the claim."
    )
    language = BoundedCharFilter(lookup_expr="iexact", max_length=8)
    claim_type = StrictChoiceFilter(choices=Claim.Type.choices)
    claimant = BoundedCharFilter(lookup_expr="icontains", max_length=200)
    outlet = BoundedCharFilter(
        field_name="article__outlet__name", lookup_expr="iexact", max_length=200
    )
    min_score = BoundedFloatFilter(
        field_name="score", lookup_expr="gte", help_text="Lowest check-worthiness (0 to 1)."
    )
    checkworthy = StrictBooleanFilter()
    standalone_needs_context = StrictBooleanFilter(
        help_text="true: claims whose standalone text still needs the article; false: those "
        "that read alone (claims not assessed yet match neither)."
    )
    created_since = DateOrDateTimeFilter(field_name="created_at", lookup_expr="gte")
    q = BoundedCharFilter(
        method="filter_search", max_length=MAX_SEARCH_LENGTH, help_text="Search in the claim text."
    )

    def filter_search(self, queryset, name, value):
        return text_search(queryset, ("text",), value)
