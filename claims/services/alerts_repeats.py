"""Repeats of published false verdicts found for every unit of a new article (issue #16).

Matching looks at an article's check-worthy claims only and suggests a group from the general
threshold on (``match_config().suggested``). A repeat of a claim the desk already rated false is
worth an alert even when the new article's sentence was not ranked check-worthy (tweets and
posts quoted in news: hashtags, irony, questions) or its match score is below the general
threshold: the published false verdicts are few, so each candidate unit of the article is
compared with them directly.

* The published verdicts rated false or misleading and their claims' stored vectors form a small
  index of the matching core (``ClaimIndex``, scored with the shared index's collection counts as
  matching scores), built once per process and rebuilt when a verdict or the shared index changed.
* A cheap lexical prefilter first: a unit is embedded and scored only when it shares a word (its
  first six letters, four letters at least, not among the collection's most common words) with
  one of those claims. Most units of most articles stop there.
* The core's score of a unit against a verdict's claim at least ``REPEAT_MATCH_MIN``
  (``CLAIMTRACKER_ALERTS``; chosen on the dev pairs, docs/alerts.md) makes the unit a repeat.

Nothing is written here: the alert evaluation (claims.services.alerts) raises the alert, once per
person and article and verdict, with the same dedupe keys as every other repeat.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings

from claims.models import Claim, ClaimMatch, Verdict
from claims.nlp.matching import ClaimIndex, embedding_from_bytes
from claims.nlp.matching.vectors import ENGLISH_DIM
from claims.services.matching import match_config, matching_word_counts, shared_index
from claims.services.matching.embeddings import claims_embed_unsaved

# Label names that say "false or misleading", in the scales desks use (Correctiv, PolitiFact,
# dpa, AFP ...); a label's normalised rating at most REPEAT_MAX_NORMALISED counts too.
FALSE_WORDS = re.compile(
    r"falsch|false|misleading|irreführend|irrefuhrend|pants on fire|manipuliert|manipulated|"
    r"fake|erfunden|fabricated|incorrect|unwahr",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# A word shared with a verdict's claim lets a unit through the prefilter unless this share of
# the indexed claims (and at least COMMON_MIN of them) contains it: "that", "sagte", "dass".
COMMON_SHARE = 0.02
COMMON_MIN = 20
PREFIX = 6


def verdict_rated_false(verdict: Verdict) -> bool:
    label = verdict.rating_label
    if label is None:
        return False
    if FALSE_WORDS.search(label.name) or FALSE_WORDS.search(label.alternate_name or ""):
        return True
    normalised = label.normalised
    limit = settings.CLAIMTRACKER_ALERTS["REPEAT_MAX_NORMALISED"]
    return normalised is not None and normalised <= limit


def repeat_match_min() -> float:
    return float(settings.CLAIMTRACKER_ALERTS.get("REPEAT_MATCH_MIN", 0.05))


def _keys(text: str, common: frozenset[str]) -> set[str]:
    return {w[:PREFIX] for w in _WORD.findall(text.casefold()) if len(w) >= 4 and w not in common}


@dataclass
class FalseVerdicts:
    """The published false or misleading verdicts, their claims as a small scoring index."""

    verdicts: dict[str, Verdict] = field(default_factory=dict)  # claim id (str) -> verdict
    index: ClaimIndex | None = None
    # prefilter: word key -> claim ids (str) of verdicts whose claim has it
    keys: dict[str, set[str]] = field(default_factory=dict)
    common: frozenset[str] = frozenset()

    @classmethod
    def build(cls) -> FalseVerdicts:
        latest: dict[int, Verdict] = {}
        rows = (
            Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
            .select_related("rating_label__scale", "claim")
            .order_by("published_at", "pk")
        )
        for verdict in rows:
            if verdict_rated_false(verdict):
                latest[verdict.claim_id] = verdict
        found = cls()
        if not latest:
            return found
        claims = [v.claim for v in latest.values()]
        # A verdict published a moment ago may still wait for claim_embed_task: embed it here
        # (in memory; the task stores it).
        claims_embed_unsaved(claims=[c for c in claims if c.embedding is None])
        reader = shared_index()
        counts = matching_word_counts()
        limit = max(COMMON_MIN, int(COMMON_SHARE * reader.stats.n))
        words = {w for c in claims for w in _WORD.findall(c.claim_text.casefold())}
        found.common = frozenset(w for w in words if counts.get(w, 0) > limit)
        config = replace(match_config(), lexical_search=True)
        index = ClaimIndex(config=config)
        index.use_statistics(reader.stats)
        english = config.english_signal
        index.add(
            [str(c.pk) for c in claims],
            [c.claim_text for c in claims],
            embeddings=np.stack([embedding_from_bytes(bytes(c.embedding)) for c in claims]),
            english_embeddings=[
                embedding_from_bytes(bytes(c.embedding_en), ENGLISH_DIM)
                if english and c.embedding_en is not None
                else None
                for c in claims
            ],
        )
        found.index = index
        found.verdicts = {str(v.claim_id): v for v in latest.values()}
        for claim in claims:
            for key in _keys(claim.claim_text, found.common):
                found.keys.setdefault(key, set()).add(str(claim.pk))
        return found

    def prefilter(self, unit: Claim) -> bool:
        return any(key in self.keys for key in _keys(unit.claim_text, self.common))


_lock = threading.Lock()
_cached: tuple[tuple, FalseVerdicts] | None = None


def _stamp() -> tuple:
    """Changes when a verdict is published, corrected, withdrawn or relabelled (also by a
    queryset update or a label edited in the admin, which leave no timestamp), when its claim
    is edited, and with each generation of the shared index (its counts score the signals).
    One query over the published verdicts: a few thousand rows on a large desk."""
    rows = (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
        .order_by("pk")
        .values_list(
            "pk",
            "updated_at",
            "claim__updated_at",
            "rating_label__name",
            "rating_label__alternate_name",
            "rating_label__value",
            "rating_label__scale__best_rating",
            "rating_label__scale__worst_rating",
        )
    )
    reader = shared_index()
    return (hash(tuple(rows)), reader.high_water, reader.stats.n)


def false_verdicts() -> FalseVerdicts:
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    built = FalseVerdicts.build()
    with _lock:
        _cached = (stamp, built)
    return built


@dataclass(frozen=True)
class VerdictRepeat:
    claim_id: int
    verdict: Verdict
    score: float


def article_verdict_repeats(
    *, units: Sequence[Claim], minimum: float | None = None
) -> list[VerdictRepeat]:
    """The article's units that repeat a published false verdict's claim, best first.

    ``units``: candidate units of one article (any check-worthiness). ``minimum``: the score
    from which a unit is a repeat (default ``REPEAT_MATCH_MIN``; the evaluation passes 0 to see
    every score). Skips a verdict's own claim, claims of the verdict claim's own article and
    pairs a reviewer rejected (a ``ClaimMatch`` of the unit for the verdict claim's group).
    """
    threshold = repeat_match_min() if minimum is None else minimum
    found = false_verdicts()
    if found.index is None or not units:
        return []
    todo = [u for u in units if str(u.pk) not in found.verdicts and found.prefilter(u)]
    if not todo:
        return []
    # Units matching did not embed (not check-worthy) get their vectors here, not stored:
    # matching's index holds what matching looks at.
    claims_embed_unsaved(claims=[u for u in todo if u.embedding is None])
    english = found.index.config.english_signal
    results = found.index.search(
        [u.claim_text for u in todo],
        top=5,
        query_embeddings=[embedding_from_bytes(bytes(u.embedding))[None, :] for u in todo],
        english_query_embeddings=[
            embedding_from_bytes(bytes(u.embedding_en), ENGLISH_DIM)[None, :]
            if english and u.embedding_en is not None
            else None
            for u in todo
        ],
    )
    rejected = set(
        ClaimMatch.objects.filter(
            claim__in=todo, decision=ClaimMatch.Decision.REJECTED
        ).values_list("claim_id", "group_id")
    )
    repeats = []
    for unit, candidates in zip(todo, results, strict=True):
        for cand in candidates:
            verdict = found.verdicts.get(cand.id)
            if verdict is None or cand.score < threshold:
                continue
            checked = verdict.claim
            if checked.article_id == unit.article_id:
                continue
            if checked.group_id and (unit.pk, checked.group_id) in rejected:
                continue
            repeats.append(VerdictRepeat(unit.pk, verdict, float(cand.score)))
    repeats.sort(key=lambda r: (-r.score, r.claim_id))
    return repeats


def units_of_article(article_id: int) -> list[Claim]:
    """Every candidate unit of the article (check-worthy or not), in reading order."""
    return list(Claim.objects.filter(article_id=article_id, candidate=True).order_by("index"))
