"""Cursor pagination: the cursor is a position in the sort order, so page 10,000 costs page 1.

A page is ``WHERE (published_at, id) beyond <cursor> ORDER BY ... LIMIT n+1`` on an index; no
COUNT and no OFFSET. Bad cursors are a 400 with a clear message (DRF's default is a 404).
"""

from __future__ import annotations

from base64 import b64decode
from datetime import UTC
from urllib import parse

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from claims.site_urls import site_url

ORDERINGS = {
    "-published_at": ("-published_at", "-id"),
    "published_at": ("published_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "updated_at": ("updated_at", "id"),
}
CLAIM_ORDERINGS = {
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
}
MAX_OFFSET = 10_000  # ties on one timestamp beyond this are not a real use case


class _ValidatingCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    orderings: dict[str, tuple[str, ...]] = ORDERINGS
    default_ordering = "-published_at"
    invalid_cursor_message = "Invalid cursor: use the `next` or `previous` link as given."

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get("ordering", self.default_ordering)
        if value not in self.orderings:
            raise ValidationError(
                {"ordering": [f"Choose one of: {', '.join(self.orderings)}."]}, code="invalid"
            )
        return self.orderings[value]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        # next/previous links at the site's address like every other absolute link.
        self.base_url = site_url(request.get_full_path(), request)
        return page

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=False).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True)
            offset = int(tokens.get("o", ["0"])[0])
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (TypeError, ValueError, UnicodeError):
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from None
        if not 0 <= offset <= MAX_OFFSET:
            raise ValidationError({"cursor": [self.invalid_cursor_message]})
        if position is not None:
            try:
                moment = parse_datetime(position.replace(" ", "T"))
            except ValueError:  # well-formed but impossible (month 13, second 60)
                moment = None
            if moment is None:
                raise ValidationError({"cursor": [self.invalid_cursor_message]})
            if moment.tzinfo is not None:
                # The same instant in UTC: PostgreSQL refuses offsets past +-15:59 (a 500).
                position = str(moment.astimezone(UTC))
        return Cursor(offset=offset, reverse=reverse, position=position)


class VerdictCursorPagination(_ValidatingCursorPagination):
    pass


class ClaimCursorPagination(_ValidatingCursorPagination):
    orderings = CLAIM_ORDERINGS
    default_ordering = "-created_at"


class SpeakerCursorPagination(_ValidatingCursorPagination):
    orderings = CLAIM_ORDERINGS
    default_ordering = "-created_at"
