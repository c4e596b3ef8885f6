"""Speaker linking: each stored claim's claimant becomes a link to a Speaker.

Runs in the extraction's transaction right after the claims are stored (and can be run again
for an article: only claims without a speaker are linked, and a speaker proposed the first
time is found again by its name, so re-extraction creates nothing twice). Per article:

1. names are compared as the extraction resolved them (full names; a lone surname is read as
   the one full name of the article that ends with it, when there is exactly one);
2. a speaker whose name matches wins, then one with an alias valid on the article's date
   ("der Bundeskanzler" from 2021-12-08 to 2025-05-06); confirmed speakers before proposed ones;
   a lone surname the article never expands goes to the one person speaker of that surname
   when there is exactly one;
3. otherwise a speaker is proposed (status ``proposed``) from the article's own introduction:
   the role the extraction read beside the name ("SPD-Chef Lars Klingbeil"), the party a
   compound role names, and kind ``organisation`` for ORG entities and institution names.

"unattributed" and the article's own voice (no claimant) are never linked. Reviewers' work on
speakers (merge, split, corrections) is in :mod:`claims.services.speaker_review`.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from claims.models import Article, Claim, Speaker, SpeakerAlias
from claims.nlp.speaker_keys import (
    is_linkable,
    key,
    looks_like_organisation,
    normalise,
    party_of_role,
    surname,
    variants,
)

_LOCK_NAMESPACE = 16_016  # pg advisory locks: (namespace, name hash)


def _article_date(article: Article) -> date:
    when = article.published_at or article.created_at
    return when.date()


def _alias_valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def _any_spelling(field: str, names: set[str]) -> Q:
    query = Q()
    for name in names:
        for variant in variants(name):
            query |= Q(**{f"{field}__iexact": variant})
    return query


def _best(speakers: list[Speaker]) -> Speaker | None:
    """Confirmed before proposed, then the oldest: stable whatever order the database returns."""
    if not speakers:
        return None
    return min(speakers, key=lambda s: (s.status != Speaker.Status.CONFIRMED, s.pk))


def speakers_find(
    *, names: set[str], on: date, rules: dict[str, str] | None = None
) -> dict[str, Speaker]:
    """Comparison key -> the speaker that name means on that date (name first, then alias);
    ``rules`` (if given) gets which of the two found it, for the claims' history."""
    found: dict[str, Speaker] = {}
    if not names:
        return found
    by_name: dict[str, list[Speaker]] = defaultdict(list)
    for speaker in Speaker.objects.filter(_any_spelling("name", names)):
        by_name[key(speaker.name)].append(speaker)
    by_alias: dict[str, list[Speaker]] = defaultdict(list)
    aliases = SpeakerAlias.objects.filter(_any_spelling("alias", names) & _alias_valid_on(on))
    for alias in aliases.select_related("speaker"):
        by_alias[key(alias.alias)].append(alias.speaker)
    for name in names:
        k = key(name)
        speaker = _best(by_name.get(k, []))
        rule = "name"
        if speaker is None:
            speaker, rule = _best(by_alias.get(k, [])), "alias on the article's date"
        if speaker is not None:
            found[k] = speaker
            if rules is not None:
                rules[k] = rule
    return found


def _by_surname(surnames: set[str]) -> dict[str, Speaker]:
    """A bare surname the article never expands ("Trump") is the one person speaker whose name
    ends with it, when exactly one does; two or more (or none) and it is left alone."""
    if not surnames:
        return {}
    query = Q()
    for word in surnames:
        query |= Q(name__iendswith=f" {word}")
    candidates: dict[str, list[Speaker]] = defaultdict(list)
    for speaker in Speaker.objects.filter(query, kind=Speaker.Kind.PERSON):
        candidates[surname(speaker.name)].append(speaker)
    return {w: found[0] for w, found in candidates.items() if w in surnames and len(found) == 1}


def _lock_name(name: str) -> None:
    """Serialise proposals of one name across workers (PostgreSQL), so two articles processed
    at once do not propose the same person twice."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            digest = zlib.crc32(key(name).encode()) - 2**31  # fits the int4 argument
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, digest])


def _resolve_surnames(names: dict[str, str]) -> dict[str, str]:
    """Each claimant key -> the key it stands for: a one-word name ending exactly one of the
    article's longer names is that name; everything else stands for itself."""
    endings: dict[str, set[str]] = defaultdict(set)
    for k in names:
        if " " in k:
            endings[surname(k)].add(k)
    resolved = {}
    for k in names:
        longer = endings.get(k, set()) if " " not in k else set()
        resolved[k] = next(iter(longer)) if len(longer) == 1 else k
    return resolved


@transaction.atomic
def article_speakers_link(*, article_id: int) -> int:
    """Link the article's claims that have a claimant but no speaker yet; return how many."""
    article = Article.objects.only("id", "published_at", "created_at").get(pk=article_id)
    claims = list(
        Claim.objects.filter(article_id=article_id, speaker__isnull=True)
        .exclude(claimant="")
        .only("id", "claimant", "claimant_role", "entities")
    )
    claims = [c for c in claims if is_linkable(c.claimant)]
    if not claims:
        return 0
    organisations = {
        key(entity.get("text", ""))
        for claim in Claim.objects.filter(article_id=article_id).only("entities")
        for entity in (claim.entities or [])
        if entity.get("label") == "ORG"
    }
    display: dict[str, str] = {}  # key -> the name as first written in the article
    roles: dict[str, Counter] = defaultdict(Counter)
    for claim in claims:
        k = key(claim.claimant)
        display.setdefault(k, normalise(claim.claimant))
        if claim.claimant_role:
            roles[k][normalise(claim.claimant_role)] += 1
    stands_for = _resolve_surnames(display)
    for k, target in stands_for.items():
        if k != target:
            roles[target].update(roles[k])

    targets = {stands_for[k] for k in display}
    on = _article_date(article)
    rules: dict[str, str] = {}  # target -> the rule that linked it (the claims' history)
    found = speakers_find(names={display[t] for t in targets}, on=on, rules=rules)
    by_surname = _by_surname({t for t in targets - found.keys() if " " not in t})
    rules |= dict.fromkeys(by_surname, "the one person of that surname")
    found |= by_surname
    for target in sorted(targets - found.keys()):
        name = display[target]
        _lock_name(name)
        again = speakers_find(names={name}, on=on, rules=rules).get(target)
        if again is None:
            rules[target] = "proposed from the article"
        found[target] = again or _propose(
            name=name,
            role=roles[target].most_common(1)[0][0] if roles[target] else "",
            organisation_like=target in organisations or looks_like_organisation(name),
        )
    for target, speaker in found.items():
        if speaker.status == Speaker.Status.PROPOSED and not speaker.role and roles[target]:
            # a later article introduces someone an earlier one named bare
            speaker.role = roles[target].most_common(1)[0][0][:200]
            speaker.organisation = speaker.organisation or party_of_role(speaker.role)
            speaker.save(update_fields=["role", "organisation", "updated_at"])

    reasons: dict[int, tuple[int, str]] = {}  # claim -> (speaker, rule)
    for claim in claims:
        k = key(claim.claimant)
        target = stands_for[k]
        rule = rules.get(target, "name")
        if k != target:
            rule = f"surname in the article, then {rule}"
        reasons[claim.pk] = (found[target].pk, rule)
    # Each link is a claim-history row like a reviewer's change: who (the system: no user),
    # what (claim, speaker) and by which rule. Still only claims without a speaker.
    rows = list(
        Claim.objects.select_for_update()
        .filter(pk__in=reasons, speaker__isnull=True)
        .defer("embedding", "embedding_en")
    )
    for row in rows:
        speaker_id, rule = reasons[row.pk]
        row.speaker_id = speaker_id
        row._change_reason = f"linked claim {row.pk} to speaker {speaker_id} by rule: {rule}"[:100]
    bulk_update_with_history(rows, Claim, ["speaker"], default_user=None)
    return len(rows)


def _propose(*, name: str, role: str, organisation_like: bool) -> Speaker:
    kind = Speaker.Kind.ORGANISATION if organisation_like else Speaker.Kind.PERSON
    role = role[:200] if kind == Speaker.Kind.PERSON else ""
    speaker = Speaker(
        name=name[:200],
        kind=kind,
        role=role,
        organisation=party_of_role(role),
        status=Speaker.Status.PROPOSED,
    )
    speaker.full_clean()
    speaker.save()
    return speaker
