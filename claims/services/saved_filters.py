"""Saved queue filters: a reviewer's named bookmarks of the queue's query string."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError, PermissionDeniedError
from claims.models import SavedFilter
from claims.selectors.queue import ClaimQueueFilter
from claims.services.claims import WORK_CLAIM, Actor, require_permission

# Only queue parameters are kept: a saved filter cannot smuggle anything else into the URL. They
# are the queue filter's own fields, so a filter added there is kept by saved filters and by the
# pager's links too (a hand-kept list once lost ``rows`` and ``units`` on page 2).
QUEUE_PARAMS = frozenset(ClaimQueueFilter.base_filters)


def clean_query(query: str) -> str:
    pairs = [
        (k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in QUEUE_PARAMS
    ]
    return urlencode(pairs)


@transaction.atomic
def saved_filter_save(*, actor: Actor, name: str, query: str) -> SavedFilter:
    """Create or replace the actor's filter called ``name``."""
    require_permission(actor, WORK_CLAIM)
    name = (name or "").strip()
    if not name:
        raise InvalidInputError(_("Give the filter a name."))
    if len(name) > 100:
        raise InvalidInputError(_("The name can be at most 100 characters long."))
    saved, _created = SavedFilter.objects.update_or_create(
        user=actor, name=name, defaults={"query": clean_query(query)[:2000]}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, actor: Actor, filter_id: int) -> None:
    require_permission(actor, WORK_CLAIM)
    saved = SavedFilter.objects.filter(pk=filter_id).first()
    if saved is None:
        raise InvalidInputError(_("This filter does not exist."))
    if saved.user_id != actor.pk:
        raise PermissionDeniedError(_("You can only delete your own filters."))
    saved.delete()
