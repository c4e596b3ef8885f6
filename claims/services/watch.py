"""Watch rules: what a user follows (speakers, outlets, topics, claim groups)."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import ClaimGroup, Outlet, Speaker, WatchRule
from claims.nlp.entity_topics import ENTITY_PREFIX, entity_of_topic

Kind = WatchRule.Kind
_SPACE = re.compile(r"\s+")


def topic_normalise(words: str) -> str:
    """Case-folded words, single spaces: the form topic rules are stored and compared in. An
    entity topic ("entity: Olaf  Scholz") keeps its name as written, single-spaced."""
    entity = entity_of_topic(words)
    if entity is not None:
        return f"{ENTITY_PREFIX}{entity}"
    return _SPACE.sub(" ", (words or "").casefold()).strip()


def speaker_by_name(name: str) -> Speaker:
    name = (name or "").strip()
    speaker = (
        Speaker.objects.filter(name__iexact=name).first()
        or Speaker.objects.filter(aliases__alias__iexact=name).distinct().first()
    )
    if speaker is None:
        raise InvalidInputError(_("No speaker is called %(name)s.") % {"name": name})
    return speaker


def outlet_by_name(name: str) -> Outlet:
    name = (name or "").strip()
    outlet = Outlet.objects.filter(Q(name__iexact=name) | Q(domain__iexact=name)).first()
    if outlet is None:
        raise InvalidInputError(_("No outlet is called %(name)s.") % {"name": name})
    return outlet


@transaction.atomic
def watch_rule_add(
    *,
    user,
    kind: str,
    speaker: Speaker | None = None,
    outlet: Outlet | None = None,
    group: ClaimGroup | None = None,
    topic: str = "",
) -> WatchRule:
    """Follow one target; following it again returns the existing rule."""
    if kind not in Kind.values:
        raise InvalidInputError(_("Choose speaker, outlet, topic or claim group."))
    fields = {"speaker": None, "outlet": None, "group": None, "topic": ""}
    if kind == Kind.SPEAKER:
        fields["speaker"] = speaker
    elif kind == Kind.OUTLET:
        fields["outlet"] = outlet
    elif kind == Kind.GROUP:
        fields["group"] = group
    else:
        fields["topic"] = topic_normalise(topic)[:200]
        if fields["topic"].casefold() == ENTITY_PREFIX:
            raise InvalidInputError(_("Write the name after “entity:”."))
    if not any(fields.values()):
        raise InvalidInputError(_("Say what to follow."))
    # Topics compare case-insensitively (an entity topic keeps the case it was written in).
    match = {k: v for k, v in fields.items() if k != "topic"}
    existing = WatchRule.objects.filter(
        user=user, kind=kind, topic__iexact=fields["topic"], **match
    ).first()
    if existing is not None:
        return existing
    rule = WatchRule(user=user, kind=kind, **fields)
    rule.full_clean(validate_constraints=False)
    rule.save()
    return rule


@transaction.atomic
def watch_rule_remove(*, user, rule_id: int) -> None:
    deleted, _count = WatchRule.objects.filter(user=user, pk=rule_id).delete()
    if not deleted:
        raise InvalidInputError(_("You do not follow this."))
