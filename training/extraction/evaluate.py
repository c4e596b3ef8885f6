"""Score the claim pipeline on our own fact-checker annotations of real news articles.

    python manage.py evaluate_claims --articles [--split SPLIT] [--json]   (SPLITS below)
    python -m training.extraction.evaluate [--split ...]     (the same, without Django)

The annotations (``annotations/<id>.json``, schema and rules in ``GUIDELINES.md``) quote sentences
of each article; the articles themselves are read from ``../shared/news-pages`` and
``../shared/seeds`` (never committed), extracted as ingestion does, and run through
``claims.nlp.extract_claims_batch`` with their headline and date. A gold sentence is found in the
article's text by its words (whitespace and Unicode normalised), so the metrics do not depend on how
the pipeline splits units: a unit *covers* a gold sentence when it holds at least half of it.

Per language, pooled over articles (95% intervals from an article bootstrap):

- ``top5_recall``: gold top claims covered by one of the article's five best candidates;
- ``top5_nonclaims``: share of those five that are gold non-claims;
- ``nonclaims_flagged``: gold non-claims that the pipeline keeps as a check-worthy candidate;
- ``claimant_cw``: check-worthy reported speech whose unit names the gold speaker exactly (full
  name, case-insensitive; "unattributed" only when gold says so); a sentence that is not a
  candidate counts wrong. ``claimant_all``: the same over all reported speech;
- ``unresolved_top5``: share of the five best candidates whose standalone text still holds an
  unresolved pronoun or reference: the pipeline's own ``standalone_needs_context`` flag (what the
  desk sees as "Needs context"), computed by ``claims.nlp.references``;
- ``standalone_names_claimant``: top-5 candidates with a claimant whose standalone names them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations"
MANIFEST = HERE / "manifest.json"
TOP = 5
BOOTSTRAP = 1000


def default_shared() -> Path:
    return HERE.parents[1].parent / "shared"


# --- gold -----------------------------------------------------------------------------------------


@dataclass
class GoldArticle:
    id: str
    language: str
    split: str
    source: str
    url: str | None
    published: date | None
    annotation: dict[str, Any]


SPLITS = ("dev", "heldout", "all", "final", "blind", "fresh", "sealed", "seen")
# What "all" means: dev and heldout, as documented since the first round. "final", "blind" and
# "fresh" were each scored once as unseen data (GUIDELINES.md) and are read only when asked for by
# name; "sealed" is the untouched split for the next single scoring, read only by name too.
ALL = ("dev", "heldout")
# What "seen" means: every split that has been scored once as unseen data and is now spent, plus
# dev: development data (numbers on it are development numbers, not unseen ones). A new split
# (e.g. one being annotated for the next single scoring) is never in it: it is listed by name here
# only after that scoring.
SEEN = ("dev", "heldout", "final", "blind", "fresh")
GROUPS = {"all": ALL, "seen": SEEN}


def load_gold(split: str = "dev", annotations: Path = ANNOTATIONS) -> list[GoldArticle]:
    """The annotated articles of ``split`` in manifest order: "dev", "heldout", "final", "blind",
    "fresh", "sealed", "all" (dev and heldout) or "seen" (dev, heldout, final, blind and fresh: the
    spent splits, usable as development data). "all" never includes final, blind, fresh or sealed,
    and no group includes a split that is not listed in it (a new untouched split such as "sealed"
    is read only when asked for by name)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    out = []
    for entry in manifest:
        group = GROUPS.get(split)
        wanted = entry["split"] in group if group else entry["split"] == split
        if not wanted:
            continue
        path = annotations / f"{entry['id']}.json"
        if not path.exists():
            continue
        published = entry.get("published")
        out.append(
            GoldArticle(
                id=entry["id"],
                language=entry["language"],
                split=entry["split"],
                source=entry["source"],
                url=entry.get("url"),
                published=date.fromisoformat(published) if published else None,
                annotation=json.loads(path.read_text(encoding="utf-8")),
            )
        )
    return out


@dataclass(frozen=True)
class ArticleInput:
    text: str
    title: str | None
    published: date | None


def read_article(article: GoldArticle, shared: Path) -> ArticleInput:
    """The article as ingestion stores it: the page's main text (or the text file), its title."""
    from claims.ingest.extract import extract_html, extract_text

    source, _, fragment = article.source.partition("#")
    if source.startswith("seeds/"):
        path = shared / source
    else:
        path = shared / "news-pages" / source.removeprefix("news-pages/")
    if fragment:  # one article a line of the 10kGNAD CSV: category;'text'
        line = path.read_text(encoding="utf-8").splitlines()[int(fragment.removeprefix("line")) - 1]
        document = extract_text(line.partition(";")[2].strip()[1:-1])
    elif path.suffix == ".txt":
        document = extract_text(path.read_text(encoding="utf-8"))
    else:
        document = extract_html(path.read_bytes(), url=article.url)
    published = article.published or (
        document.published_at.date() if document.published_at else None
    )
    return ArticleInput(text=document.text, title=document.title or None, published=published)


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


def evaluate_articles(split: str = "dev", shared: Path | None = None) -> dict[str, Any]:
    """Run the pipeline over the annotated articles of ``split`` and score them per language."""
    from claims.nlp.extract import ArticleContext, extract_claims_batch

    try:
        from claims.nlp.references import unresolved_references
    except ImportError:  # an older pipeline without the standalone rules
        unresolved_references = None
    shared = shared or default_shared()
    gold = load_gold(split)
    inputs = [read_article(g, shared) for g in gold]
    results: dict[str, Any] = {"split": split, "languages": {}}
    for lang in ("de", "en"):
        idx = [i for i, g in enumerate(gold) if g.language == lang]
        if not idx:
            continue
        contexts = [ArticleContext.of(inputs[i].title, inputs[i].published) for i in idx]
        extracted = extract_claims_batch([inputs[i].text for i in idx], lang, contexts=contexts)
        rows, missing = [], 0
        for i, claims in zip(idx, extracted, strict=True):
            counts, lost = score_article(gold[i], inputs[i].text, claims, unresolved_references)
            rows.append(counts)
            missing += len(lost)
        worthy_missing = sum(
            r.values.get("worthy_found", [0, 0])[1] - r.values.get("worthy_found", [0, 0])[0]
            for r in rows
        )
        results["languages"][lang] = {
            "articles": len(idx),
            "gold_sentences_not_found": missing,
            # Of those, top claims and other check-worthy sentences (extraction must keep them;
            # page furniture it drops is the rest).
            "gold_checkworthy_not_found": worthy_missing,
            "metrics": aggregate(rows),
        }
    return results


def format_results(results: dict[str, Any]) -> str:
    lines = [
        f"Annotated real-news articles, split {results['split']} "
        "(pooled ratios, 95% article-bootstrap interval, n = denominator)",
        "",
        "| metric | bar | " + " | ".join(results["languages"]) + " |",
        "|---|---|" + "---|" * len(results["languages"]),
    ]
    for name, label, bar in METRICS:
        cells = []
        for lang_result in results["languages"].values():
            m = lang_result["metrics"].get(name)
            cells.append(
                f"{m['value']:.2f} [{m['ci95'][0]:.2f}–{m['ci95'][1]:.2f}] n={m['n']}" if m else "–"
            )
        lines.append(f"| {label} | {bar} | " + " | ".join(cells) + " |")
    articles = ", ".join(
        f"{lang}: {r['articles']} articles, {r['gold_sentences_not_found']} gold sentences not "
        f"found in the extracted text ({r.get('gold_checkworthy_not_found', 0)} check-worthy)"
        for lang, r in results["languages"].items()
    )
    lines += ["", articles]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = evaluate_articles(args.split, args.shared)
    print(json.dumps(results, indent=2) if args.json else format_results(results))


if __name__ == "__main__":
    main()
