"""Score reported speech and claimants: one command, one table.

    python training/attribution/evaluate.py [--skip-public] [--limit N]

1. The annotated dev articles (/work/annot, split "dev" only; heldout files are never opened):
   claimant exact full name on check-worthy reported speech and on all reported speech. A gold
   sentence the pipeline does not mark as reported with exactly the gold name counts wrong;
   "unattributed" is right only when the gold says so. Also: how often the article's own
   check-worthy sentences (gold claimant null, not reported speech) get no claimant.
2. German SpkAtt 2023 Wikinews dev and English PolNeAR dev: reported-speech detection per
   sentence (P/R/F1) and source-span accuracy (the claimant span overlaps the gold source span,
   over gold events whose source lies in the same sentence as the message).
Bootstrap 95% intervals over articles for the annotated set.
"""

from __future__ import annotations

import argparse
import csv
import glob
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

ANNOT = Path(os.environ.get("ANNOT_DIR", "/work/annot"))
SHARED = Path(os.environ.get("SHARED_DIR", "/work/shared"))
SPKATT = SHARED / "datasets/attribution/spkatt2023-wikinews-de/data/dev/task2-pretty"
POLNEAR = SHARED / "datasets/attribution/polnear-en/data/dev"


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


def article_text(meta: dict) -> tuple[str, str | None]:
    """The exact text the pipeline stores for an article (as /work/annot/dump2.py made inputs)."""
    from claims.ingest.extract import extract_html, extract_text

    src = meta["source"]
    if src.startswith("news-pages/") and src.endswith(".html"):
        lang_dir = SHARED / "news-pages" / src.split("/")[1]
        url = json.loads((lang_dir / "index.json").read_text())[src.split("/")[-1]]
        doc = extract_html((SHARED / src).read_bytes(), url=url)
    elif "#line" in src:
        path, line = src.split("#line")
        raw = (SHARED / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        doc = extract_text(raw.partition(";")[2].strip()[1:-1])
    else:
        doc = extract_text((SHARED / src).read_text())
    return doc.text, doc.title


def _locate(text: str, sentence: str) -> tuple[int, int] | None:
    i = text.find(sentence)
    if i >= 0:
        return i, i + len(sentence)
    # whitespace may differ: match on the normalised text and map back
    chars = [(k, c) for k, c in enumerate(text) if not c.isspace()]
    squeezed = "".join(c for _, c in chars)
    target = "".join(sentence.split())
    j = squeezed.find(target)
    if j < 0:
        return None
    return chars[j][0], chars[j + len(target) - 1][0] + 1


def score_articles(limit: int | None, verbose: bool) -> dict[str, dict]:
    manifest = json.loads((ANNOT / "manifest.json").read_text())
    rows: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)  # lang -> (id, kind, ok)
    for meta in manifest:
        if meta["split"] != "dev":  # heldout articles are never opened here
            continue
        gold_path = ANNOT / "out" / f"{meta['id']}.json"
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text())
        lang = meta["language"]
        text, title = article_text(meta)
        analyses = analyse(text, lang, title)
        spoken = set()
        for r in gold["reported_speech"]:
            span = _locate(text, r["sentence"])
            unit = _unit_for(analyses, *span) if span else None
            name = unit.claimant if unit and unit.reported else None
            ok = name is not None and _norm(name) == _norm(r["speaker"] or "")
            spoken.add(_norm(r["sentence"]))
            kinds = ["all"] + (["checkworthy"] if r["checkworthy"] else [])
            for kind in kinds:
                rows[lang].append((meta["id"], kind, ok))
            if verbose and not ok:
                said = "" if unit is None else ("R" if unit.reported else "-")
                gold_name, sentence = r["speaker"], r["sentence"][:90]
                print(f"  {meta['id']} gold={gold_name!r} pred={name!r}{said} :: {sentence}")
        for r in gold["top_claims"] + gold["checkworthy"]:
            if r.get("claimant") is None and _norm(r["sentence"]) not in spoken:
                span = _locate(text, r["sentence"])
                unit = _unit_for(analyses, *span) if span else None
                ok = unit is not None and unit.claimant is None
                rows[lang].append((meta["id"], "own_voice", ok))
        if limit and len({i for i, _, _ in rows[lang]}) >= limit:
            break
    return rows


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
    src_ok = src_n = 0
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
            src_ok += bool(span and span[0] < e and s < span[1])
    p, r, f = _prf(tp, fp, fn)
    return {"P": p, "R": r, "F1": f, "source": src_ok / max(src_n, 1), "n_source": src_n}


def spkatt_docs(limit: int | None):
    for path in sorted(glob.glob(str(SPKATT / "*.json")))[:limit]:
        d = json.loads(Path(path).read_text())
        offsets, parts, pos, sentences = {}, [], 0, []
        for sent in d["Sentences"]:
            start = pos
            for k, tok in enumerate(sent["Tokens"]):
                offsets[(sent["SentenceId"], k)] = (pos, pos + len(tok))
                parts.append(tok)
                pos += len(tok) + 1
            sentences.append((start, pos - 1))
        text = " ".join(parts)
        reported, sources = set(), []
        for a in d["Annotations"]:
            msg = {int(x.split(":")[0]) for x in a["Message"]}
            reported |= msg
            src = [tuple(map(int, x.split(":"))) for x in a["Source"]]
            if src and {s for s, _ in src} <= msg:
                chars = [offsets[t] for t in src]
                sources.append((src[0][0], min(c[0] for c in chars), max(c[1] for c in chars)))
        yield text, sentences, reported, sources


def polnear_docs(limit: int | None):
    seen = set()
    for path in sorted(glob.glob(str(POLNEAR / "attributions/*.ann"))):
        article = Path(path).name.rsplit("_", 1)[0]
        if article in seen:  # several annotators: use the first annotation
            continue
        seen.add(article)
        if limit and len(seen) > limit:
            break
        text = (POLNEAR / "text" / f"{article}.txt").read_text()
        spans, events = {}, []
        for line in Path(path).read_text().splitlines():
            cols = line.split("\t")
            if cols[0].startswith("T"):
                kind, *rest = cols[1].split(" ")
                pieces = " ".join(rest).split(";")
                bounds = [tuple(map(int, p.split())) for p in pieces]
                spans[cols[0]] = (kind, bounds[0][0], bounds[-1][1])
            elif cols[0].startswith("E"):
                events.append(dict(part.split(":") for part in cols[1].split()))
        nlp = claim_pipeline("en")
        doc = nlp.get_pipe("sentences")(nlp.make_doc(text))
        sentences = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]

        reported, sources = set(), []
        for ev in events:
            if "Content" not in ev or ev["Content"] not in spans:
                continue
            _, cs, ce = spans[ev["Content"]]
            ks = {k for k, (s, e) in enumerate(sentences) if s < ce and cs < e}
            reported |= ks
            if ev.get("Source") in spans:
                _, ss, se = spans[ev["Source"]]
                k = next((k for k, (s, e) in enumerate(sentences) if s <= ss < e), -1)
                if k in ks:
                    sources.append((k, ss, se))
        yield text, sentences, reported, sources


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-public", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="documents per public dataset")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong claimant")
    args = ap.parse_args()
    rows = score_articles(None, args.verbose)
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
    if args.skip_public:
        return
    print("\nPublic dev data (sentence-level reported speech; source span overlap)")
    print(f"{'data':24} {'P':>6} {'R':>6} {'F1':>6} {'source':>7} {'n_src':>6}")
    for name, docs, lang in (
        ("SpkAtt23 Wikinews de", spkatt_docs(args.limit), "de"),
        ("PolNeAR dev en", polnear_docs(args.limit), "en"),
    ):
        m = _score_units(docs, lang)
        print(
            f"{name:24} {m['P']:6.3f} {m['R']:6.3f} {m['F1']:6.3f} {m['source']:7.3f} "
            f"{m['n_source']:6d}"
        )


if __name__ == "__main__":
    csv.field_size_limit(1 << 24)
    main()
