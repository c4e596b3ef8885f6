"""Scoring the claim pipeline against the gold annotations (training/extraction/evaluate.py):
gold sentences located in an article's text by their words, one article's counts, and the pooled
ratios with their article-bootstrap intervals. The metrics are described in evaluate.py."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from training.extraction.evaluate import GoldArticle

TOP = 5
BOOTSTRAP = 1000


# --- locating gold sentences --------------------------------------------------------------------

_QUOTES = str.maketrans({c: '"' for c in "»«„“”‚‘›‹"} | {"’": "'"})


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFC text with quotes unified and whitespace runs folded to one space, and for each of its
    characters the offset it came from in ``text``."""
    out, where, space = [], [], False
    for i, ch in enumerate(text):
        ch = unicodedata.normalize("NFC", ch).translate(_QUOTES)
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(sentence: str, text: str, normalised: tuple[str, list[int]] | None = None):
    """(start, end) of ``sentence`` in ``text`` or None."""
    norm, where = normalised or _normalised(text)
    needle = _normalised(sentence.strip())[0].strip()
    if not needle:
        return None
    at = norm.find(needle)
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covers(unit: tuple[int, int], gold: tuple[int, int]) -> bool:
    return _overlap(unit, gold) * 2 >= gold[1] - gold[0]


def mostly_inside(unit: tuple[int, int], gold: tuple[int, int]) -> bool:
    return _overlap(unit, gold) * 2 >= max(1, unit[1] - unit[0])


_ABBREVIATION = re.compile(r"\s*\(([^()]{2,12})\)\s*$")
# A leading definite article is spelling, not a different name: gold writes "The New York
# Times", "The Verge" (the title as printed), the pipeline drops determiners ("New York Times").
_ARTICLE = re.compile(r"^(the|der|die|das)\s+(?=\S)")


def same_name(predicted: str | None, gold: str | None) -> bool:
    """Exact full name, but for case, spacing and a leading definite article ("The Verge" =
    "Verge", "die Bundesregierung" = "Bundesregierung"). Annotators wrote organisations with
    their abbreviation ("Bundesamt für Migration und Flüchtlinge (BAMF)"): the full name alone
    counts too, the abbreviation alone does not."""

    def norm(name: str | None) -> str:
        text = " ".join((name or "").casefold().strip(" .,:;\"'").split())
        return _ARTICLE.sub("", text)

    if not norm(gold):
        return False
    names = {norm(gold), norm(_ABBREVIATION.sub("", gold or ""))}
    return norm(predicted) in names


# --- scoring one article -------------------------------------------------------------------------


@dataclass
class Counts:
    """Numerator/denominator pairs of one article."""

    values: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, hit: bool) -> None:
        pair = self.values.setdefault(name, [0, 0])
        pair[0] += int(hit)
        pair[1] += 1


def score_article(
    gold: GoldArticle,
    text: str,
    claims: Sequence[Any],
    unresolved: Callable[[str, str], list[str]] | None,
) -> tuple[Counts, list[str]]:
    """Counts for one article, and the gold sentences that were not found in its text."""
    norm = _normalised(text)
    missing: list[str] = []
    counts = Counts()

    def spans(items: list[dict], *gone: str) -> list[tuple[dict, tuple[int, int]]]:
        """The items found in the text. One that is not (extraction dropped it, e.g. as page
        furniture) counts as a candidate the desk never sees: a miss for the metrics in `gone`."""
        found = []
        for item in items:
            span = locate(item["sentence"], text, norm)
            if span is None:
                missing.append(item["sentence"])
                for name in gone:
                    if name == "boilerplate_candidate" and item.get("kind") not in BOILERPLATE:
                        continue
                    if name == "claimant_cw" and not item.get("checkworthy"):
                        continue
                    counts.add(name, False)
            else:
                found.append((item, span))
            if "worthy_kept" in gone:  # not a metric: how many check-worthy sentences were found
                counts.add("worthy_found", span is not None)
        return found

    a = gold.annotation
    top_gold = spans(a.get("top_claims", []), "top5_recall", "worthy_kept")
    worthy_gold = top_gold + spans(a.get("checkworthy", []), "worthy_kept")
    non_gold = spans(a.get("non_claims", []), "nonclaims_flagged", "boilerplate_candidate")
    speech_gold = spans(a.get("reported_speech", []), "claimant_all", "claimant_cw")
    units = [(c, (c.start, c.end)) for c in claims]
    candidates = sorted(
        (u for u in units if u[0].candidate), key=lambda u: (-u[0].score, u[0].index)
    )
    top = candidates[:TOP]

    for _item, span in top_gold:
        counts.add("top5_recall", any(covers(u, span) for _c, u in top))
    for claim, unit in top:
        worthy = any(covers(unit, span) or mostly_inside(unit, span) for _i, span in worthy_gold)
        non_claim = any(mostly_inside(unit, span) for _i, span in non_gold)
        counts.add("top5_nonclaims", non_claim and not worthy)
        if hasattr(claim, "standalone_unresolved"):  # the flag the desk sees, as stored
            counts.add("unresolved_top5", claim.standalone_needs_context)
        elif unresolved is not None:  # a pipeline from before the flag (bench baselines)
            counts.add("unresolved_top5", bool(unresolved(claim.standalone, gold.language)))
        if claim.claimant and claim.claimant != "unattributed":
            named = claim.claimant.casefold() in claim.standalone.casefold()
            counts.add("standalone_names_claimant", named)

    def best_unit(span: tuple[int, int]):
        best = max(units, key=lambda u: _overlap(u[1], span), default=None)
        return best[0] if best is not None and _overlap(best[1], span) > 0 else None

    for item, span in non_gold:
        unit = best_unit(span)
        counts.add("nonclaims_flagged", bool(unit and unit.candidate and unit.checkworthy))
        if item.get("kind") in BOILERPLATE:
            counts.add("boilerplate_candidate", bool(unit and unit.candidate))
    for _item, span in worthy_gold:
        unit = best_unit(span)
        counts.add("worthy_kept", bool(unit and unit.candidate))
    for item, span in speech_gold:
        unit = best_unit(span)
        right = bool(unit and unit.candidate and same_name(unit.claimant, item["speaker"]))
        counts.add("claimant_all", right)
        if item.get("checkworthy"):
            counts.add("claimant_cw", right)
    return counts, missing


BOILERPLATE = {"byline", "credit", "teaser", "cta", "notice", "navigation"}
METRICS = (
    ("top5_recall", "gold top claims in the top 5", "≥ 0.70"),
    ("top5_nonclaims", "non-claims in the top 5", "≤ 0.05"),
    ("nonclaims_flagged", "non-claims flagged check-worthy", "≤ 0.10"),
    ("claimant_cw", "claimant exact, check-worthy reported speech", "≥ 0.85"),
    ("claimant_all", "claimant exact, all reported speech", ""),
    ("unresolved_top5", "top-5 standalone with an unresolved reference", "low"),
    ("standalone_names_claimant", "top-5 standalone naming its claimant", "high"),
    ("boilerplate_candidate", "boilerplate (byline, credit, teaser…) kept as candidate", "≈ 0"),
    ("worthy_kept", "gold check-worthy sentences kept as candidates", "≈ 1"),
)


# --- aggregation ---------------------------------------------------------------------------------


def _ratio(rows: Sequence[Counts], name: str) -> float | None:
    hits = sum(r.values.get(name, [0, 0])[0] for r in rows)
    total = sum(r.values.get(name, [0, 0])[1] for r in rows)
    return hits / total if total else None


def aggregate(rows: Sequence[Counts], seed: int = 0) -> dict[str, dict[str, Any]]:
    """Pooled ratio per metric with its denominator and a 95% article-bootstrap interval."""
    rng = random.Random(seed)
    samples = [[rng.choice(rows) for _ in rows] for _ in range(BOOTSTRAP)] if rows else []
    out = {}
    for name, _label, _bar in METRICS:
        value = _ratio(rows, name)
        if value is None:
            continue
        boot = sorted(v for s in samples if (v := _ratio(s, name)) is not None)
        low = boot[int(0.025 * (len(boot) - 1))] if boot else value
        high = boot[int(0.975 * (len(boot) - 1))] if boot else value
        n = sum(r.values.get(name, [0, 0])[1] for r in rows)
        out[name] = {"value": round(value, 3), "n": n, "ci95": [round(low, 3), round(high, 3)]}
    return out
