"""Standalone claim text on the annotated dev articles: one command, one table.

    python training/extraction/standalone_eval.py [--shared ../shared] [--show] [--top5]

For the gold top claims and all check-worthy sentences of the dev split (never the held-out one)
it reports, per language:

- unresolved: share of texts in which ``claims.nlp.references.unresolved_references`` finds a
  pronoun or reference that needs the article: the raw sentence, our standalone text, and (top
  claims only) the annotators' standalone text;
- claimant named: when the gold claimant is a name, the share of texts that contain it (raw
  sentence vs ours); "pipeline claimant right" separates attribution errors from ours;
- token F1 against the annotators' standalone text (top claims), raw sentence vs ours;
- with --top5, the issue's measure over each article's five best-scored claims (loads the
  check-worthiness model).

The article is run through the claim pipeline as its sentences joined by line breaks (the
annotation's units: the splitter always breaks at a line break), with its title and date. The
sentences are rebuilt from the shared pages with the current splitter (training.extraction.inputs).
Brackets are 95% bootstrap intervals over texts.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from claims.nlp.attribution import (  # noqa: E402
    DocState,
    analyse_attribution,
    collect_people,
    in_quote_flags,
)
from claims.nlp.pipelines import claim_pipeline  # noqa: E402
from claims.nlp.references import unresolved_references  # noqa: E402
from claims.nlp.standalone import standalone_text  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE)


def token_f1(a: str, b: str) -> float:
    x, y = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not x or not y:
        return 0.0
    common: dict[str, int] = {}
    for w in x:
        common[w] = common.get(w, 0) + 1
    overlap = 0
    for w in y:
        if common.get(w, 0) > 0:
            overlap += 1
            common[w] -= 1
    if not overlap:
        return 0.0
    p, r = overlap / len(x), overlap / len(y)
    return 2 * p * r / (p + r)


def mean_ci(values: list[float], rounds: int = 1000) -> str:
    if not values:
        return "   -"
    rng = random.Random(0)
    n = len(values)
    means = sorted(sum(rng.choice(values) for _ in range(n)) / n for _ in range(rounds))
    m = sum(values) / n
    return f"{m:.2f} [{means[int(rounds * 0.025)]:.2f}-{means[int(rounds * 0.975)]:.2f}]"


def dev_articles(shared: Path | None) -> list[tuple[dict, dict]]:
    """(article, annotation) per dev article; the article as a dict of language, title,
    published (ISO) and sentences. Held-out articles are never opened."""
    from training.extraction.inputs import dev_inputs

    out = []
    for a in dev_inputs(shared):
        article = {
            "id": a.id,
            "language": a.language,
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "sentences": a.sentences,
        }
        out.append((article, a.annotation))
    return out


def analyse(article: dict) -> dict[str, tuple[object, str]]:
    """Sentence text -> (analysis, standalone) for one article."""
    lang = article["language"]
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc("\n".join(article["sentences"]))
    doc._.article_title = article.get("title")
    published = article.get("published")
    doc._.published = date.fromisoformat(published) if published else None
    doc = nlp(doc)
    out = {}
    for a in doc._.claim_analysis:
        out[doc.text[a.start : a.end]] = (a, a.standalone)
    return out


def oracle(article: dict, gold_claimants: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """Standalone texts made with the gold claimant and role (reported speech), reading the
    article as analyse_doc does: what this module does once the speaker is right."""
    lang = article["language"]
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc("\n".join(article["sentences"]))
    doc._.article_title = article.get("title")
    published = article.get("published")
    doc._.published = date.fromisoformat(published) if published else None
    doc = nlp(doc)
    state = DocState(lang=lang)
    collect_people(doc, state)
    quotes = in_quote_flags(doc)
    out = {}
    for span in doc.sents:
        if all(t.is_space for t in span):
            continue
        text = span.text.strip()
        analyse_attribution(span, state, quotes)  # advances the reading state
        gold = next((g for s, g in gold_claimants.items() if s in text or text in s), None)
        if gold is None:
            continue
        name, role = gold
        out[text] = standalone_text(
            span,
            lang=lang,
            reported=True,
            claimant=name,
            claimant_role=role,
            state=state,
            published=doc._.published,
            title=doc._.article_title,
        )
    return out


def _find(by_text: dict, sentence: str):
    if sentence in by_text:
        return by_text[sentence]
    for text, value in by_text.items():
        if sentence in text or text in sentence:
            return value
    return None


def top5_share(articles: list[tuple[dict, dict]]) -> None:
    """The issue's measure: the share of each article's five best-scored claims (by the current
    check-worthiness ranking) whose text still needs the article, raw sentence vs standalone."""
    from claims.nlp.extract import ArticleContext, extract_claims_batch

    for lang in ("de", "en"):
        arts = [a for a, _ in articles if a["language"] == lang]
        contexts = [
            ArticleContext.of(
                a.get("title"), date.fromisoformat(a["published"]) if a.get("published") else None
            )
            for a in arts
        ]
        texts = ["\n".join(a["sentences"]) for a in arts]
        raw, ours = [], []
        for claims in extract_claims_batch(texts, lang, contexts=contexts):
            for c in sorted(claims, key=lambda c: -c.score)[:5]:
                raw.append(float(bool(unresolved_references(c.text, lang))))
                ours.append(float(c.standalone_needs_context))  # the flag the desk sees
        print(f"{lang} top-5 candidates (n={len(raw)}): unresolved raw {mean_ci(raw)}, "
              f"standalone {mean_ci(ours)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shared", type=Path, default=None, help="default $CLAIMTRACKER_SHARED or ../shared"
    )
    parser.add_argument("--show", action="store_true", help="print each text pair")
    parser.add_argument(
        "--top5", action="store_true", help="also the share over each article's top-5 claims"
    )
    args = parser.parse_args()
    rows: dict[str, dict[str, list[float]]] = {}
    articles = dev_articles(args.shared)
    for article, gold in articles:
        aid = article["id"]
        lang = article["language"]
        by_text = analyse(article)
        r = rows.setdefault(lang, {})
        items = [(t, True) for t in gold["top_claims"]] + [(t, False) for t in gold["checkworthy"]]
        named = {
            t["sentence"]: (t["claimant"], t.get("claimant_role"))
            for t, _ in items
            if t.get("claimant") and t["claimant"] != "unattributed"
        }
        with_gold = oracle(article, named)
        for item, top in items:
            found = _find(by_text, item["sentence"])
            if found is None:
                r.setdefault("missing", []).append(1.0)
                continue
            analysis, ours = found
            raw = item["sentence"]
            groups = ["cw"] + (["top"] if top else [])
            u_raw = float(bool(unresolved_references(raw, lang)))
            u_ours = float(bool(unresolved_references(ours, lang)))
            for g in groups:
                r.setdefault(f"{g}.unres.raw", []).append(u_raw)
                r.setdefault(f"{g}.unres.ours", []).append(u_ours)
            if top:
                r.setdefault("top.unres.gold", []).append(
                    float(bool(unresolved_references(item["standalone"], lang)))
                )
                r.setdefault("top.f1.raw", []).append(token_f1(raw, item["standalone"]))
                r.setdefault("top.f1.ours", []).append(token_f1(ours, item["standalone"]))
            claimant = item.get("claimant")
            if claimant and claimant != "unattributed":
                oracle_text = _find(with_gold, raw) or ""
                for g in groups:
                    r.setdefault(f"{g}.named.raw", []).append(float(claimant in raw))
                    r.setdefault(f"{g}.named.ours", []).append(float(claimant in ours))
                    r.setdefault(f"{g}.named.oracle", []).append(float(claimant in oracle_text))
                    r.setdefault(f"{g}.unres.oracle", []).append(
                        float(bool(unresolved_references(oracle_text, lang)))
                    )
                    r.setdefault(f"{g}.claimant.pipeline", []).append(
                        float(analysis.claimant == claimant)
                    )
                    if analysis.claimant == claimant:
                        r.setdefault(f"{g}.named.right", []).append(float(claimant in ours))
                if args.show and oracle_text != ours:
                    print(f"  gold claimant -> {oracle_text}")
            if args.show:
                mark = unresolved_references(ours, lang)
                print(f"[{aid}{' TOP' if top else ''}] {raw}\n  -> {ours}  {mark or ''}")
                if top:
                    print(f"  gold {item['standalone']}")
    print(f"{'':36}{'de':>26}{'en':>26}")
    labels = [
        ("top.unres.raw", "top claims: unresolved, raw"),
        ("top.unres.ours", "top claims: unresolved, ours"),
        ("top.unres.gold", "top claims: unresolved, gold"),
        ("cw.unres.raw", "check-worthy: unresolved, raw"),
        ("cw.unres.ours", "check-worthy: unresolved, ours"),
        ("top.named.raw", "top: gold claimant named, raw"),
        ("top.named.ours", "top: gold claimant named, ours"),
        ("top.claimant.pipeline", "top: pipeline claimant right"),
        ("top.named.right", "top: named, when pipeline right"),
        ("top.named.oracle", "top: named, given gold claimant"),
        ("cw.named.raw", "cw: gold claimant named, raw"),
        ("cw.named.ours", "cw: gold claimant named, ours"),
        ("cw.claimant.pipeline", "cw: pipeline claimant right"),
        ("cw.named.right", "cw: named, when pipeline right"),
        ("cw.named.oracle", "cw: named, given gold claimant"),
        ("cw.unres.oracle", "cw (with claimant): unres., gold cl."),
        ("top.f1.raw", "top: token F1 vs gold, raw"),
        ("top.f1.ours", "top: token F1 vs gold, ours"),
    ]
    for key, label in labels:
        cells = []
        for lang in ("de", "en"):
            values = rows.get(lang, {}).get(key, [])
            cells.append(f"{mean_ci(values)} n={len(values)}")
        print(f"{label:36}{cells[0]:>26}{cells[1]:>26}")
    if args.top5:
        top5_share(articles)
    for lang in ("de", "en"):
        missing = len(rows.get(lang, {}).get("missing", []))
        if missing:
            print(f"{lang}: {missing} gold sentences not found among the pipeline's units")


if __name__ == "__main__":
    main()
