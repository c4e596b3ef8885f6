"""Article structure and claim types against the fact-checkers' annotations (dev split only).

    python training/extraction/structure_eval.py [--shared ../shared] [--show] [--by-source]

Per language, over the annotated dev articles:
- boilerplate->candidate: share of gold non-claims of the boilerplate kinds (byline, credit, teaser,
  cta, notice, navigation) that overlap a unit marked ``candidate`` (target ~0);
- claims->non-candidate: share of gold top and check-worthy sentences whose main unit (the one
  covering most of the sentence) is not a candidate (target ~0);
- type accuracy: the main unit's ``claim_type`` against the annotators' ``type`` of the top claims.

Each article's exact text is rebuilt from the shared pages as ingestion stores it
(training.extraction.inputs), and each gold sentence is found in it by its text (whitespace and
quotes normalised). Articles whose split is not "dev" are never read.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BOILERPLATE = {"byline", "credit", "teaser", "cta", "notice", "navigation"}


def overlapping(analyses, span):
    s, e = span
    return [(min(e, a.end) - max(s, a.start), a) for a in analyses if a.start < e and a.end > s]


def bootstrap(rows: list[tuple[int, int]], n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of a pooled share, resampling articles (the unit the errors cluster in)."""
    if not rows:
        return 0.0, 0.0
    rng = random.Random(seed)
    shares = []
    for _ in range(n):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        total = sum(t for _, t in sample)
        shares.append(sum(k for k, _ in sample) / total if total else 0.0)
    shares.sort()
    return shares[int(0.025 * n)], shares[int(0.975 * n) - 1]


def analyse(text: str, title: str | None, lang: str):
    from claims.nlp.pipelines import claim_pipeline

    nlp = claim_pipeline(lang)
    doc = nlp.make_doc(text)
    doc._.article_title = title
    return nlp(doc)._.claim_analysis


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared", type=Path, default=None, help="default $CLAIMTRACKER_SHARED or ../shared"
    )
    ap.add_argument("--show", action="store_true", help="print each error")
    ap.add_argument(
        "--by-source",
        action="store_true",
        help="one column per language and source kind (web pages, 10kGNAD plain text, seed)",
    )
    args = ap.parse_args()
    from training.extraction.evaluate import _normalised, locate
    from training.extraction.inputs import dev_inputs

    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    # per article (hits, total) for each metric, for the bootstrap interval
    per_article: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for art in dev_inputs(args.shared):  # dev split only: held-out articles are never opened
        gold, lang, text = art.annotation, art.language, art.text
        analyses = analyse(text, art.title, lang)
        group = lang
        if args.by_source:
            source = art.gold.source
            kind = source.split("/")[1] if source.startswith("news-pages/") else "seed"
            group = f"{lang}/{'gnad' if kind == 'de-text' else 'web' if kind == lang else kind}"
        st = stats[group]
        st["articles"][1] += 1
        before = {k: tuple(v) for k, v in st.items()}

        norm = _normalised(text)

        def units(item: dict, text=text, norm=norm, analyses=analyses):
            span = locate(item["sentence"], text, norm)
            return overlapping(analyses, span) if span else []

        for item in gold["non_claims"]:
            if item["kind"] not in BOILERPLATE:
                continue
            found = units(item)
            if not found:
                continue
            bad = any(a.candidate for _, a in found)
            st["boilerplate->candidate"][0] += bad
            st["boilerplate->candidate"][1] += 1
            if bad and args.show:
                segs = [a.segment for _, a in found]
                print(f"BP  {art.id} {item['kind']:10} {segs} {item['sentence'][:100]!r}")
        for item in gold["top_claims"] + gold["checkworthy"]:
            found = units(item)
            if not found:
                continue
            _, main_unit = max(found, key=lambda x: x[0])
            bad = not main_unit.candidate
            st["claims->non-candidate"][0] += bad
            st["claims->non-candidate"][1] += 1
            if bad and args.show:
                print(f"CL  {art.id} {main_unit.segment:10} {item['sentence'][:100]!r}")
        for item in gold["top_claims"]:
            found = units(item)
            if not found or not item.get("type"):
                continue
            _, main_unit = max(found, key=lambda x: x[0])
            ok = main_unit.claim_type == item["type"]
            st["type accuracy (top)"][0] += ok
            st["type accuracy (top)"][1] += 1
            st[f"  gold {item['type']}"][0] += ok
            st[f"  gold {item['type']}"][1] += 1
            if not ok and args.show:
                print(
                    f"TY  {art.id} gold={item['type']:10} got={main_unit.claim_type:10} "
                    f"{item['sentence'][:90]!r}"
                )
        for key, (k, n) in st.items():
            k0, n0 = before.get(key, (0, 0))
            if n > n0 and key != "articles":
                per_article[group][key].append((k - k0, n - n0))
    langs = sorted(stats)
    print(f"{'metric':28}" + "".join(f"{lang:>29}" for lang in langs))
    keys = ["boilerplate->candidate", "claims->non-candidate", "type accuracy (top)"]
    keys += sorted({k for lang in langs for k in stats[lang] if k.startswith("  gold")})
    for key in keys:
        row = f"{key:28}"
        for lang in langs:
            k, n = stats[lang].get(key, [0, 0])
            low, high = bootstrap(per_article[lang].get(key, []))
            row += f"{(k / n if n else 0):>7.3f} [{low:.2f}-{high:.2f}] ({k:>2}/{n:>3})"
        print(row)
    print("[95% bootstrap interval over articles, 2000 resamples]")
    print("articles: " + ", ".join(f"{lang} {stats[lang]['articles'][1]}" for lang in langs))


if __name__ == "__main__":
    main()
