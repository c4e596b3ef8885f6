"""Reviewers' work on speakers: edit, confirm, aliases, merge, split, a claim's speaker.

Reviewers and editors (``claims.work_claim``) may do all of it. Every change is kept in the
history (django-simple-history) with the acting user and a reason: the speaker's own rows, its
aliases, and each claim whose speaker changes. Names, roles and Wikidata QIDs are typed by hand;
nothing is looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from claims.exceptions import InvalidInputError
from claims.models import Claim, Speaker, SpeakerAlias
from claims.nlp.speaker_keys import key, normalise
from claims.services.claims import WORK_CLAIM, Actor, require_permission
from claims.services.public_cache import published_verdicts_changed


def _lock(speaker_id: int) -> Speaker:
    try:
        return Speaker.objects.select_for_update().get(pk=speaker_id)
    except Speaker.DoesNotExist as exc:
        raise InvalidInputError(_("This speaker does not exist.")) from exc


def _save(obj, *, actor: Actor, reason: str, **kwargs) -> None:
    # Speakers show on public pages, the API and ClaimReview: cached answers go stale.
    published_verdicts_changed()
    obj._history_user = actor
    obj._change_reason = reason[:100]
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise InvalidInputError(" ".join(exc.messages)) from exc
    obj.save(**kwargs)


def _move_claims(claims: list[Claim], *, to: Speaker | None, actor: Actor, reason: str) -> int:
    published_verdicts_changed()
    for claim in claims:
        claim.speaker = to
    bulk_update_with_history(
        claims, Claim, ["speaker"], default_user=actor, default_change_reason=reason[:100]
    )
    return len(claims)


@transaction.atomic
def speaker_create(
    *,
    actor: Actor,
    name: str,
    kind: str = Speaker.Kind.PERSON,
    role: str = "",
    organisation: str = "",
    wikidata_qid: str = "",
) -> Speaker:
    """A speaker entered by a reviewer (confirmed from the start)."""
    require_permission(actor, WORK_CLAIM)
    speaker = Speaker(
        name=normalise(name),
        kind=kind,
        role=normalise(role),
        organisation=normalise(organisation),
        wikidata_qid=wikidata_qid.strip().upper(),
        status=Speaker.Status.CONFIRMED,
    )
    _save(speaker, actor=actor, reason="created by a reviewer")
    return speaker


@transaction.atomic
def speaker_update(
    *,
    actor: Actor,
    speaker_id: int,
    name: str,
    kind: str,
    role: str = "",
    organisation: str = "",
    wikidata_qid: str = "",
) -> Speaker:
    """Correct a speaker's details; a reviewer's edit confirms a proposed speaker."""
    require_permission(actor, WORK_CLAIM)
    speaker = _lock(speaker_id)
    speaker.name = normalise(name)
    speaker.kind = kind
    speaker.role = normalise(role)
    speaker.organisation = normalise(organisation)
    speaker.wikidata_qid = wikidata_qid.strip().upper()
    speaker.status = Speaker.Status.CONFIRMED
    _save(speaker, actor=actor, reason="edited")
    return speaker


@transaction.atomic
def speaker_confirm(*, actor: Actor, speaker_id: int) -> Speaker:
    require_permission(actor, WORK_CLAIM)
    speaker = _lock(speaker_id)
    if speaker.status != Speaker.Status.CONFIRMED:
        speaker.status = Speaker.Status.CONFIRMED
        _save(speaker, actor=actor, reason="confirmed")
    return speaker


@transaction.atomic
def speaker_alias_add(
    *,
    actor: Actor,
    speaker_id: int,
    alias: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> SpeakerAlias:
    """Another name of the speaker, optionally only for a time span ("der Bundeskanzler")."""
    require_permission(actor, WORK_CLAIM)
    speaker = _lock(speaker_id)
    alias = normalise(alias)
    if not alias:
        raise InvalidInputError(_("Enter the alias."))
    if valid_from and valid_until and valid_from > valid_until:
        raise InvalidInputError(_("The alias cannot end before it starts."))
    if speaker.aliases.filter(alias__iexact=alias).exists():
        raise InvalidInputError(_("The speaker already has this alias."))
    row = SpeakerAlias(speaker=speaker, alias=alias, valid_from=valid_from, valid_until=valid_until)
    _save(row, actor=actor, reason="alias added")
    return row


@transaction.atomic
def speaker_alias_remove(*, actor: Actor, alias_id: int) -> None:
    require_permission(actor, WORK_CLAIM)
    row = SpeakerAlias.objects.select_for_update().filter(pk=alias_id).first()
    if row is None:
        return  # already gone: removing twice is harmless
    published_verdicts_changed()
    row._history_user = actor
    row._change_reason = "alias removed"
    row.delete()


@transaction.atomic
def speaker_merge(*, actor: Actor, speaker_id: int, into_id: int) -> Speaker:
    """Merge ``speaker_id`` into ``into_id``: its claims and aliases move, its name stays as an
    alias, details the target lacks are kept, and the merged speaker is deleted (its rows
    remain in the history)."""
    require_permission(actor, WORK_CLAIM)
    if speaker_id == into_id:
        raise InvalidInputError(_("A speaker cannot be merged into itself."))
    # Locked in id order so two reviewers merging the same pair the other way round cannot
    # deadlock.
    locked = {s.pk: s for s in (_lock(pk) for pk in sorted([speaker_id, into_id]))}
    source, target = locked[speaker_id], locked[into_id]
    reason = f"merged speaker {source.pk} ({source.name}) into {target.pk}"

    _move_claims(list(source.claims.all()), to=target, actor=actor, reason=reason)
    known = {key(a.alias) for a in target.aliases.all()} | {key(target.name)}
    for alias in list(source.aliases.all()):
        if key(alias.alias) in known:
            alias._history_user, alias._change_reason = actor, reason[:100]
            alias.delete()
            continue
        alias.speaker = target
        _save(alias, actor=actor, reason=reason)
        known.add(key(alias.alias))
    if key(source.name) not in known:
        _save(SpeakerAlias(speaker=target, alias=source.name), actor=actor, reason=reason)

    for field in ("role", "organisation", "wikidata_qid"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    target.status = Speaker.Status.CONFIRMED
    _save(target, actor=actor, reason=reason)
    source._history_user, source._change_reason = actor, reason[:100]
    source.delete()
    return target


@transaction.atomic
def speaker_split(
    *,
    actor: Actor,
    speaker_id: int,
    claim_ids: Iterable[int],
    name: str,
    kind: str = Speaker.Kind.PERSON,
    role: str = "",
    organisation: str = "",
) -> Speaker:
    """Move the chosen claims of a speaker to a new (confirmed) speaker: two people of one name,
    or a claim linked to the wrong namesake."""
    require_permission(actor, WORK_CLAIM)
    speaker = _lock(speaker_id)
    ids = {int(pk) for pk in claim_ids}
    claims = list(speaker.claims.select_for_update().filter(pk__in=ids))
    if not claims:
        raise InvalidInputError(_("Choose the claims that belong to the new speaker."))
    if len(claims) != len(ids):
        raise InvalidInputError(_("Some of the chosen claims are not this speaker's."))
    new = Speaker(
        name=normalise(name),
        kind=kind,
        role=normalise(role),
        organisation=normalise(organisation),
        status=Speaker.Status.CONFIRMED,
    )
    _save(new, actor=actor, reason=f"split from speaker {speaker.pk}")
    _move_claims(claims, to=new, actor=actor, reason=f"split from speaker {speaker.pk}")
    return new


@transaction.atomic
def claim_speaker_set(*, actor: Actor, claim_id: int, speaker_id: int | None) -> Claim:
    """Correct which speaker a claim is linked to (None: no speaker)."""
    require_permission(actor, WORK_CLAIM)
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise InvalidInputError(_("This claim does not exist."))
    speaker = None
    if speaker_id is not None:
        speaker = Speaker.objects.filter(pk=speaker_id).first()
        if speaker is None:
            raise InvalidInputError(_("This speaker does not exist."))
    if claim.speaker_id != speaker_id:
        _move_claims([claim], to=speaker, actor=actor, reason="speaker corrected")
    return claim
