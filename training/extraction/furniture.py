"""Page furniture on pages outside the annotation manifest (unannotated, read freely).

    python training/extraction/furniture.py list [--lang en] [--all]   # candidates per page
    python training/extraction/furniture.py score                      # the labelled sample

The structure rules were written on the dev pages and over-fitted to them (the model card's
boilerplate row: dev 0.12 / 0.00, held out 0.27 / 0.48). The ~190 pages in ``news-pages/{de,en}``
that no manifest entry names (no split: neither dev, held out nor final) are a fresh sample of
sites: ``list`` runs ingestion's extraction and the structure step over them and prints their
candidate units, to find furniture that still becomes a candidate.

``score`` reads ``furniture_sample.json``: a fixed sample of those pages (the first pages by
sha256 of their file name, so not picked by looking), and for each the lines of the extracted
text a desk would call furniture (bylines, credits, teasers, calls to action, notices,
navigation, captions, timestamps, author bios, related-article lists), labelled by hand by the
line's text. The furniture rate is the share of those lines that still hold a candidate unit;
the loss is the share of the other lines (article text) that hold no candidate any more, against
the labels' ``article_lines_without_candidate`` baseline (headline, subheads and the like are
legitimately not candidates). Lines are those of trafilatura's text (``drop_furniture=False``): a
line the markup step (claims.ingest.furniture) removes counts as no candidate, so a removed
article line shows as a loss. Pages in the manifest are never opened here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "training" / "extraction" / "furniture_sample.json"


def outside_manifest(shared: Path) -> list[tuple[str, str, Path, str | None]]:
    """(id, language, path, url) of every news page no manifest entry names."""
    manifest = json.loads((ROOT / "training/extraction/manifest.json").read_text("utf-8"))
    named = {m["source"].removeprefix("news-pages/").partition("#")[0] for m in manifest}
    out = []
    for lang in ("de", "en"):
        folder = shared / "news-pages" / lang
        index = json.loads((folder / "index.json").read_text("utf-8"))
        for path in sorted(folder.glob("*.html")):
            if f"{lang}/{path.name}" in named:
                continue
            out.append((path.stem, lang, path, index.get(path.name)))
    return out


def sample_ids(pages, per_lang: dict[str, int]) -> list[str]:
    """The first pages of each language by sha256 of the id whose extracted text is in that
    language (many pages outside the manifest are Portuguese, Korean, Indonesian...): a fixed
    sample nobody picked."""
    from claims.ingest.extract import ExtractionError, extract_html

    out = []
    for lang, n in per_lang.items():
        ranked = sorted(
            (p for p in pages if p[1] == lang),
            key=lambda p: hashlib.sha256(p[0].encode()).hexdigest(),
        )
        taken = 0
        for pid, _, path, url in ranked:
            if taken == n:
                break
            try:
                document = extract_html(path.read_bytes(), url=url)
            except ExtractionError:
                continue
            if document.language == lang:
                out.append(pid)
                taken += 1
    return out


def analyse_page(path: Path, lang: str, url: str | None, drop_furniture: bool = True):
    """(text, title, units) as ingestion and the pipeline see the page; None if not extractable.
    ``drop_furniture=False``: the text as trafilatura returns it, markup furniture included."""
    from claims.ingest.extract import ExtractionError, extract_html
    from claims.nlp.pipelines import claim_pipeline

    try:
        document = extract_html(path.read_bytes(), url=url, drop_furniture=drop_furniture)
    except ExtractionError:
        return None
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc(document.text)
    doc._.article_title = document.title or None
    return document.text, document.title, nlp(doc)._.claim_analysis


def lines_of(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append((pos, pos + len(raw), raw.strip()))
        pos += len(raw) + 1
    return out


def line_candidates(text: str, units) -> list[tuple[str, bool, list[str]]]:
    """Each line: its text, whether a candidate unit overlaps it, the segments on it."""
    out = []
    for s, e, line in lines_of(text):
        on = [u for u in units if u.start < e and u.end > s]
        out.append((line, any(u.candidate for u in on), [u.segment for u in on]))
    return out


def cmd_list(args, shared: Path) -> None:
    pages = outside_manifest(shared)
    if args.sample:
        wanted = set(sample_ids(pages, {"de": args.n_de, "en": args.n_en}))
        pages = [p for p in pages if p[0] in wanted]
    for pid, lang, path, url in pages:
        if args.lang and lang != args.lang:
            continue
        got = analyse_page(path, lang, url)
        if got is None:
            print(f"## {pid} (not extractable)")
            continue
        text, title, units = got
        print(f"## {pid} {lang} {title!r}")
        for line, cand, segs in line_candidates(text, units):
            if cand or args.all:
                mark = "C" if cand else "-"
                print(f"  {mark} {','.join(sorted(set(segs))):18} {line[:150]!r}")


def cmd_score(args, shared: Path) -> None:
    from claims.ingest.extract import extract_html

    labels = json.loads(SAMPLE.read_text("utf-8"))
    pages = {p[0]: p for p in outside_manifest(shared)}
    totals = {}
    for pid, entry in labels["pages"].items():
        _, lang, path, url = pages[pid]
        got = analyse_page(path, lang, url)
        if got is None:
            continue
        text, _, units = got
        furniture = set(entry["furniture"])
        quiet = set(entry.get("article_lines_without_candidate", []))
        t = totals.setdefault(lang, [0, 0, 0, 0])
        # The lines are those of trafilatura's text; a line the markup step removed (claims.ingest
        # .furniture) counts as no candidate, so removing article text shows as a loss.
        kept = {line: (cand, segs) for line, cand, segs in line_candidates(text, units)}
        whole = extract_html(path.read_bytes(), url=url, drop_furniture=False).text
        for _, _, line in lines_of(whole):
            cand, segs = kept.get(line, (False, ["removed"]))
            if line in furniture:
                t[1] += 1
                t[0] += cand
                if cand and args.show:
                    print(f"FURN {pid} {segs} {line[:120]!r}")
            else:
                t[3] += 1
                lost = not cand and line not in quiet
                t[2] += lost
                if lost and args.show:
                    print(f"LOST {pid} {segs} {line[:120]!r}")
    for lang, (fc, fn, lost, an) in sorted(totals.items()):
        print(
            f"{lang}: furniture lines kept as candidate {fc}/{fn} = {fc / fn if fn else 0:.2f}; "
            f"article lines newly without a candidate {lost}/{an}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["list", "score"])
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--lang")
    ap.add_argument("--all", action="store_true", help="list: every line, not only candidates")
    ap.add_argument("--sample", action="store_true", help="list: only the sample pages")
    ap.add_argument("--n-de", type=int, default=8)
    ap.add_argument("--n-en", type=int, default=12)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    from training.extraction.inputs import shared_dir

    shared = shared_dir(args.shared)
    (cmd_list if args.cmd == "list" else cmd_score)(args, shared)


if __name__ == "__main__":
    main()
