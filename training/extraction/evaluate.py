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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

# Scoring lives in training.extraction.scoring; these names stay importable from here, where the
# other evaluations (speakers, attribution, check-worthiness) and the tests import them.
from training.extraction.scoring import (  # noqa: F401
    METRICS,
    Counts,
    _normalised,
    _overlap,
    aggregate,
    covers,
    locate,
    mostly_inside,
    same_name,
    score_article,
)

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations"
MANIFEST = HERE / "manifest.json"


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
