"""Who watches a new claim: every watch rule indexed by its target (WatchIndex), matched against
a claim's speaker, outlet, claim groups, topic words and named entities (docs/alerts.md, "watch").

Read by the alert evaluation (claims.services.alerts) and the digest (claims.services.digest).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from claims.models import Claim, Speaker, SpeakerAlias, WatchRule
from claims.nlp.entity_topics import (
    PERSON_LABELS,
    claim_name_keys,
    entity_of_topic,
    introduced_people,
    name_key,
    surname_key,
)
from claims.nlp.speaker_keys import is_linkable

_WORD = re.compile(r"\w+")


def words_of(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


@dataclass
class WatchIndex:
    """Every watch rule, indexed by target, loaded once per evaluation (one query)."""

    speakers: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    outlets: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    groups: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    # first word of a topic -> [(all its words, user)]
    topics: dict[str, list[tuple[frozenset[str], int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # case-folded speaker names and aliases of watched speakers -> speaker ids
    speaker_names: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # entity topics ("entity:Olaf Scholz"): the name's key (claims.nlp.entity_topics) -> users
    entities: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> WatchIndex:
        """The index of the current rules: rebuilt only when rules or aliases changed since
        this process last built it (one aggregate query otherwise)."""
        global _cached
        stamp = _rules_stamp()
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
        index = cls.build()
        _cached = (stamp, index)
        return index

    @classmethod
    def build(cls) -> WatchIndex:
        index = cls()
        rows = WatchRule.objects.values_list(
            "kind", "user_id", "speaker_id", "outlet_id", "group_id", "topic"
        ).filter(user__is_active=True)
        for kind, user_id, speaker_id, outlet_id, group_id, topic in rows:
            if kind == WatchRule.Kind.SPEAKER:
                index.speakers[speaker_id].add(user_id)
            elif kind == WatchRule.Kind.OUTLET:
                index.outlets[outlet_id].add(user_id)
            elif kind == WatchRule.Kind.GROUP:
                index.groups[group_id].add(user_id)
            elif (entity := entity_of_topic(topic)) is not None:
                if key := name_key(entity):
                    index.entities[key].add(user_id)
            else:
                words = words_of(topic)
                if words:
                    index.topics[min(words)].append((words, user_id))
        if index.speakers:
            watched = list(index.speakers)
            for pk, name in Speaker.objects.filter(pk__in=watched).values_list("pk", "name"):
                index.speaker_names[name.casefold()].add(pk)
            for pk, alias in SpeakerAlias.objects.filter(speaker_id__in=watched).values_list(
                "speaker_id", "alias"
            ):
                index.speaker_names[alias.casefold()].add(pk)
        return index

    def watchers(
        self,
        claim: Claim,
        outlet_id: int | None,
        group_ids: set[int],
        context: ArticleNames | None = None,
    ) -> set[int]:
        users: set[int] = set()
        speakers = {claim.speaker_id} if claim.speaker_id else set()
        if not speakers and claim.claimant:
            # Until speaker linking sets claim.speaker, the claimant's name stands for it.
            speakers = self.speaker_names.get(claim.claimant.strip().casefold(), set())
        for speaker_id in speakers:
            users |= self.speakers.get(speaker_id, set())
        if outlet_id is not None:
            users |= self.outlets.get(outlet_id, set())
        for group_id in group_ids:
            users |= self.groups.get(group_id, set())
        if self.topics:
            words = words_of(f"{claim.text} {claim.standalone}")
            for entity in claim.entities or []:
                if isinstance(entity, dict):
                    words |= words_of(str(entity.get("text", "")))
            for word in words:
                for topic_words, user_id in self.topics.get(word, ()):
                    if topic_words <= words:
                        users.add(user_id)
        if self.entities:
            users |= self._entity_watchers(claim, context or ArticleNames())
        return users

    def _entity_watchers(self, claim: Claim, context: ArticleNames) -> set[int]:
        names = [claim.claimant] if is_linkable(claim.claimant) else []
        names += context.speakers.get(claim.speaker_id, [])
        keys, persons = claim_name_keys(
            entities=claim.entities or [], names=names, people=context.people
        )
        users: set[int] = set()
        for key in keys:
            users |= self.entities.get(key, set())
        for key in persons:
            if " " in key:  # a one-word topic is a surname: "entity:Merz" follows Friedrich Merz
                users |= self.entities.get(surname_key(key), set())
        return users


@dataclass
class ArticleNames:
    """What entity topics need besides the claim: the article's people (a lone surname is the
    full name the article introduced) and the names and aliases of the claims' speakers."""

    people: dict[str, set[str]] = field(default_factory=dict)
    speakers: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def of_article(cls, article_id: int) -> ArticleNames:
        names: list[str] = []
        speaker_ids: set[int] = set()
        rows = Claim.objects.filter(article_id=article_id).values_list(
            "claimant", "entities", "speaker_id"
        )
        for claimant, entities, speaker_id in rows:
            if is_linkable(claimant):
                names.append(claimant)
            names += [
                str(e.get("text", ""))
                for e in entities or []
                if isinstance(e, dict) and e.get("label") in PERSON_LABELS
            ]
            if speaker_id:
                speaker_ids.add(speaker_id)
        speakers: dict[int, list[str]] = defaultdict(list)
        for pk, name in Speaker.objects.filter(pk__in=speaker_ids).values_list("pk", "name"):
            speakers[pk].append(name)
        for pk, alias in SpeakerAlias.objects.filter(speaker_id__in=speaker_ids).values_list(
            "speaker_id", "alias"
        ):
            speakers[pk].append(alias)
        return cls(people=introduced_people(names), speakers=dict(speakers))


_cached: tuple[tuple, WatchIndex] | None = None


def _rules_stamp() -> tuple:
    """Changes whenever a rule, an alias or a user's active flag could change the index."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    rules = WatchRule.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    aliases = SpeakerAlias.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    speakers = Speaker.objects.aggregate(last=Max("updated_at"))
    inactive = get_user_model().objects.filter(is_active=False).aggregate(n=Count("pk"))
    return (*rules.values(), *aliases.values(), speakers["last"], inactive["n"])
