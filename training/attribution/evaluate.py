"""Score reported speech and claimants: one command, one table.

    python training/attribution/evaluate.py [--skip-public] [--skip-articles] [--limit N] [-v]
        [--misses FILE] [--mode none|empty|unnamed|disagree] [--detect] [--detect-threshold X]

1. The annotated dev articles (training/extraction/annotations, split "dev" only; held-out and
   final articles are never opened):
   claimant exact full name on check-worthy reported speech and on all reported speech. A gold
   sentence the pipeline does not mark as reported with exactly the gold name counts wrong;
   "unattributed" is right only when the gold says so. Also: how often the article's own
   check-worthy sentences (gold claimant null, not reported speech) get no claimant.
2. German SpkAtt 2023 Wikinews dev and English PolNeAR dev: reported-speech detection per
   sentence (P/R/F1) and source-span accuracy (the claimant span overlaps the gold source span,
   over gold events whose source lies in the same sentence as the message).
Bootstrap 95% intervals over articles for the annotated set; each wrong claimant is classified
(:func:`classify_miss`) and the classes are counted. The options after ``--misses`` override how
the shipped attribution models (``claims.nlp.attribution_model``) are used, to compare variants.
The public sets are read by public_dev.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from claims.nlp.components import SentenceAnalysis
from claims.nlp.pipelines import claim_pipeline
from training.attribution.public_dev import SHARED, polnear_docs, spkatt_docs


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def analyse(text: str, lang: str, title: str | None = None) -> list[SentenceAnalysis]:
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc(text)
    doc._.article_title = title
    return nlp(doc)._.claim_analysis


def _unit_for(analyses: list[SentenceAnalysis], start: int, end: int) -> SentenceAnalysis | None:
    best, overlap = None, 0
    for a in analyses:
        o = min(a.end, end) - max(a.start, start)
        if o > overlap:
            best, overlap = a, o
    return best


# --- annotated dev articles -------------------------------------------------------------------

# Words that name a speaker without naming them: the source span may be right while the name
# made from it is not (pronoun / role / organisation noun -> the name introduced earlier).
_REFERRING = frozenset(
    [
        "er",
        "sie",
        "ihr",
        "ihm",
        "ihn",
        "es",
        "wir",
        "man",
        "he",
        "she",
        "they",
        "it",
        "we",
        "his",
        "her",
        "their",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "the",
        "a",
        "an",
        "this",
        "that",
    ]
)


def classify_miss(text: str, sentence_span: tuple[int, int], gold: str, unit) -> str:
    """Why a claimant is wrong, as a desk reads it (for the error breakdown):

    - ``not_detected``: the unit is not reported speech (or missing / not a candidate);
    - ``gold_unattributed``: gold says "unattributed", the pipeline names someone;
    - ``pred_unattributed``: the pipeline says "unattributed" or no name, gold names someone;
    - ``resolution``: the source words name the gold speaker (a part of the gold name: the
      surname, a form of it) or are a pronoun / role noun, while the gold name is not in the
      sentence: the span may be right, the full name made from it is not;
    - ``wrong_source``: the gold speaker is named in the sentence (any of their name's words)
      but the pipeline's source words are elsewhere, or the source words name someone else.
    """
    if unit is None or not unit.candidate or not unit.reported:
        return "not_detected"
    if gold == "unattributed":
        return "gold_unattributed"
    if unit.claimant in (None, "unattributed"):
        return "pred_unattributed"
    gold_words = {w.casefold().strip(".,") for w in gold.split() if len(w) > 2}
    span_text = text[unit.claimant_span[0] : unit.claimant_span[1]] if unit.claimant_span else ""
    span_words = {w.casefold().strip(".,:;\"'()") for w in span_text.split()}
    pred_words = {w.casefold().strip(".,") for w in (unit.claimant or "").split()}
    sentence_words = {
        w.casefold().strip(".,:;\"'()„“”»«") for w in text[slice(*sentence_span)].split()
    }
    if gold_words & (span_words | pred_words):
        return "resolution"  # right person, wrong full form ("Trump" / "Mr. Trump" / genitive)
    if gold_words & sentence_words:
        return "wrong_source"  # the speaker is in the sentence, another mention was chosen
    if span_words and span_words <= _REFERRING | {w for w in span_words if w.islower()}:
        return "resolution"  # "er", "the minister", "the company": resolved to someone else
    return "wrong_source"


def score_articles(limit: int | None, verbose: bool) -> tuple[dict[str, list], list[dict]]:
    """Claimants on the annotated dev articles, as the official harness reads them
    (``training.extraction.evaluate``: gold from ``training/extraction/annotations``, split
    "dev" only, sentences located by their normalised words, the claim covering most of a gold
    sentence; a gold sentence whose unit is no candidate counts wrong). Held-out and final
    articles are never opened."""
    from claims.nlp.extract import ArticleContext, extract_claims_batch
    from training.extraction.evaluate import (
        _normalised,
        _overlap,
        load_gold,
        locate,
        read_article,
        same_name,
    )

    rows: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)  # lang -> (id, kind, ok)
    misses: list[dict] = []
    gold = load_gold("dev")  # never "heldout" / "final"
    for lang in ("de", "en"):
        articles = [g for g in gold if g.language == lang][:limit]
        inputs = [read_article(g, SHARED) for g in articles]
        contexts = [ArticleContext.of(i.title, i.published) for i in inputs]
        extracted = extract_claims_batch([i.text for i in inputs], lang, contexts=contexts)
        for g, inp, claims in zip(articles, inputs, extracted, strict=True):
            text, norm = inp.text, _normalised(inp.text)
            spoken = set()
            for r in g.annotation.get("reported_speech", []):
                span = locate(r["sentence"], text, norm)
                if span is None:
                    continue
                spoken.add(span)
                unit = max(claims, key=lambda c, s=span: _overlap((c.start, c.end), s))
                if unit is not None and _overlap((unit.start, unit.end), span) == 0:
                    unit = None
                ok = bool(unit and unit.candidate and same_name(unit.claimant, r["speaker"]))
                kinds = ["all"] + (["checkworthy"] if r.get("checkworthy") else [])
                for kind in kinds:
                    rows[lang].append((g.id, kind, ok))
                if not ok:
                    miss = {
                        "lang": lang,
                        "article": g.id,
                        "checkworthy": bool(r.get("checkworthy")),
                        "class": classify_miss(text, span, r["speaker"] or "", unit),
                        "gold": r["speaker"],
                        "pred": unit.claimant if unit else None,
                        "span": text[slice(*unit.claimant_span)]
                        if unit and unit.claimant_span
                        else None,
                        "sentence": r["sentence"],
                    }
                    misses.append(miss)
                    if verbose:
                        print(
                            f"  {g.id} [{miss['class']}] gold={miss['gold']!r} "
                            f"pred={miss['pred']!r} span={miss['span']!r} :: {r['sentence'][:90]}"
                        )
            for r in g.annotation.get("top_claims", []) + g.annotation.get("checkworthy", []):
                span = locate(r["sentence"], text, norm)
                if r.get("claimant") is None and span is not None and span not in spoken:
                    unit = max(claims, key=lambda c, s=span: _overlap((c.start, c.end), s))
                    rows[lang].append((g.id, "own_voice", unit.claimant is None))
    return rows, misses


def breakdown(misses: list[dict], rows: dict[str, list]) -> None:
    classes = (
        "not_detected",
        "wrong_source",
        "resolution",
        "pred_unattributed",
        "gold_unattributed",
    )
    print("\nMisses by class (check-worthy reported speech; share of the gold sentences)")
    print(f"{'lang':4} {'n':>4} " + " ".join(f"{c:>17}" for c in classes))
    for lang in ("de", "en"):
        n = sum(1 for _, k, _ in rows[lang] if k == "checkworthy")
        mine = [m for m in misses if m["lang"] == lang and m["checkworthy"]]
        cells = []
        for c in classes:
            k = sum(m["class"] == c for m in mine)
            cells.append(f"{k:5d} ({k / max(n, 1):.2f})".rjust(17))
        print(f"{lang:4} {n:4d} " + " ".join(cells))


def _bootstrap(items: list[tuple[str, bool]], n: int = 1000) -> tuple[float, float, float]:
    by_doc: dict[str, list[bool]] = defaultdict(list)
    for doc, ok in items:
        by_doc[doc].append(ok)
    docs = list(by_doc)
    total = sum(ok for _, ok in items) / max(len(items), 1)
    rng = random.Random(0)
    stats = []
    for _ in range(n):
        sample = [ok for d in rng.choices(docs, k=len(docs)) for ok in by_doc[d]]
        stats.append(sum(sample) / max(len(sample), 1))
    stats.sort()
    return total, stats[int(0.025 * n)], stats[int(0.975 * n)]


# --- public dev data -----------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score_units(docs, lang: str) -> dict[str, float]:
    """docs: (text, sentences [(start, end)], reported sentence indices, sources [(sent, s, e)])."""
    tp = fp = fn = 0
    src_ok = src_n = det_ok = det_n = 0
    for text, sentences, reported, sources in docs:
        analyses = analyse(text, lang)
        units = [_unit_for(analyses, s, e) for s, e in sentences]
        for k, unit in enumerate(units):
            pred = bool(unit and unit.reported)
            tp += pred and k in reported
            fp += pred and k not in reported
            fn += (not pred) and k in reported
        for k, s, e in sources:
            unit = units[k]
            src_n += 1
            span = unit.claimant_span if unit and unit.reported else None
            hit = bool(span and span[0] < e and s < span[1])
            src_ok += hit
            if unit and unit.reported:  # the source read right, given the sentence was detected
                det_n += 1
                det_ok += hit
    p, r, f = _prf(tp, fp, fn)
    return {
        "P": p,
        "R": r,
        "F1": f,
        "source": src_ok / max(src_n, 1),
        "n_source": src_n,
        "source_detected": det_ok / max(det_n, 1),
        "n_detected": det_n,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-public", action="store_true")
    ap.add_argument("--skip-articles", action="store_true")
    ap.add_argument("--public", choices=("de", "en"), help="one public set only")
    ap.add_argument("--limit", type=int, default=None, help="documents per public dataset")
    ap.add_argument("--articles", type=int, default=None, help="dev articles per language")
    ap.add_argument("--misses", help="write the wrong claimants (JSON) to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong claimant")
    ap.add_argument("--detect-threshold", type=float, help="override the shipped models' value")
    ap.add_argument("--source-threshold", type=float, help="override the shipped models' value")
    ap.add_argument("--detect", action="store_true", help="turn the learned detector on")
    ap.add_argument("--carry-over", action="store_true", help="detected accounts: carry-over")
    ap.add_argument("--mode", choices=("none", "empty", "unnamed", "disagree"))
    ap.add_argument("--margin", type=float, help="override margin of the 'disagree' mode")
    args = ap.parse_args()
    from claims.nlp import attribution_model

    for lang in ("de", "en"):
        found = attribution_model.model(lang)
        if found is None:
            continue
        if args.detect_threshold is not None:
            found.detect_threshold = args.detect_threshold
        if args.source_threshold is not None:
            found.source_threshold = args.source_threshold
        found.detect = found.detect or args.detect
        found.carry_over = found.carry_over or args.carry_over
        if args.mode:
            found.mode = args.mode
        if args.margin is not None:
            found.override_margin = args.margin
    if not args.skip_articles:
        rows, misses = score_articles(args.articles, args.verbose)
        if args.misses:
            Path(args.misses).write_text(json.dumps(misses, ensure_ascii=False, indent=1))
        print("\nAnnotated dev articles (claimant exact full name; 95% bootstrap over articles)")
        print(f"{'lang':4} {'set':22} {'n':>5} {'acc':>6}  {'95% CI':>13}")
        for lang in ("de", "en"):
            print(f"{lang:4} articles scored: {len({d for d, _, _ in rows[lang]})}")
            for kind, label in (
                ("checkworthy", "check-worthy reported"),
                ("all", "all reported speech"),
                ("own_voice", "own voice -> None"),
            ):
                items = [(d, ok) for d, k, ok in rows[lang] if k == kind]
                acc, lo, hi = _bootstrap(items)
                print(f"{lang:4} {label:22} {len(items):5d} {acc:6.3f}  [{lo:.3f}, {hi:.3f}]")
        breakdown(misses, rows)
    if args.skip_public:
        return
    print("\nPublic dev data (sentence-level reported speech; source span overlap)")
    print(
        f"{'data':24} {'P':>6} {'R':>6} {'F1':>6} {'source':>7} {'n_src':>6} "
        f"{'src|det':>7} {'n_det':>6}"
    )
    for name, docs, lang in (
        ("SpkAtt23 Wikinews de", spkatt_docs(args.limit), "de"),
        ("PolNeAR dev en", polnear_docs(args.limit), "en"),
    ):
        if args.public and lang != args.public:
            continue
        m = _score_units(docs, lang)
        print(
            f"{name:24} {m['P']:6.3f} {m['R']:6.3f} {m['F1']:6.3f} {m['source']:7.3f} "
            f"{m['n_source']:6d} {m['source_detected']:7.3f} {m['n_detected']:6d}"
        )


if __name__ == "__main__":
    csv.field_size_limit(1 << 24)
    main()
