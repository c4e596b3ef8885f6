"""Dump every gold reported-speech sentence with what the pipeline made of it (error analysis).

    python -m training.attribution.claimant_errors --split seen --out /tmp/speech.json

One row per gold ``reported_speech`` item of the annotated articles (``training/extraction``):
the gold speaker and role, the unit that covers the sentence best, whether it is a candidate,
its claimant, role, span and the ``reported`` flag, and whether the evaluator counts it right.
Development data only: never run it on a split that has not been scored as unseen data.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from training.extraction.evaluate import (
    _normalised,
    _overlap,
    default_shared,
    load_gold,
    locate,
    read_article,
    same_name,
)


def rows(split: str, shared: Path | None = None) -> list[dict]:
    from claims.nlp.extract import ArticleContext, extract_claims_batch

    shared = shared or Path(os.environ.get("CLAIMTRACKER_SHARED") or default_shared())
    gold = load_gold(split)
    inputs = [read_article(g, shared) for g in gold]
    out = []
    for lang in ("de", "en"):
        idx = [i for i, g in enumerate(gold) if g.language == lang]
        contexts = [ArticleContext.of(inputs[i].title, inputs[i].published) for i in idx]
        extracted = extract_claims_batch([inputs[i].text for i in idx], lang, contexts=contexts)
        for i, claims in zip(idx, extracted, strict=True):
            text = inputs[i].text
            norm = _normalised(text)
            units = [(c, (c.start, c.end)) for c in claims]
            for item in gold[i].annotation.get("reported_speech", []):
                span = locate(item["sentence"], text, norm)
                row = {
                    "id": gold[i].id,
                    "split": gold[i].split,
                    "lang": lang,
                    "sentence": item["sentence"],
                    "speaker": item["speaker"],
                    "speaker_role": item.get("speaker_role"),
                    "checkworthy": bool(item.get("checkworthy")),
                    "found": span is not None,
                }
                unit = None
                if span is not None:
                    best = max(units, key=lambda u, s=span: _overlap(u[1], s), default=None)
                    if best is not None and _overlap(best[1], span) > 0:
                        unit = best[0]
                if unit is not None:
                    row |= {
                        "unit": unit.text,
                        "candidate": bool(unit.candidate),
                        "claimant": unit.claimant,
                        "claimant_role": unit.claimant_role,
                        "claimant_span": list(unit.claimant_span or ()) or None,
                        "reported": bool(getattr(unit, "reported", False)),
                    }
                row["right"] = bool(
                    unit is not None
                    and unit.candidate
                    and same_name(unit.claimant, item["speaker"])
                )
                out.append(row)
            # The article's own voice: gold claims outside reported speech with no claimant
            speech = {item["sentence"] for item in gold[i].annotation.get("reported_speech", [])}
            a = gold[i].annotation
            for item in a.get("top_claims", []) + a.get("checkworthy", []):
                if item["sentence"] in speech or item.get("claimant") is not None:
                    continue
                span = locate(item["sentence"], text, norm)
                best = max(units, key=lambda u, s=span: _overlap(u[1], s), default=None)
                if span is None or best is None or _overlap(best[1], span) == 0:
                    continue
                out.append(
                    {
                        "id": gold[i].id,
                        "split": gold[i].split,
                        "lang": lang,
                        "own_voice": True,
                        "sentence": item["sentence"],
                        "claimant": best[0].claimant,
                    }
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="seen")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = rows(args.split)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    for lang in ("de", "en"):
        for split in sorted({r["split"] for r in data}):
            rows_ = [r for r in data if r["lang"] == lang and r["split"] == split]
            cw = [r for r in rows_ if r.get("checkworthy")]
            own = [r for r in rows_ if r.get("own_voice")]
            print(
                lang,
                split,
                f"claimant (check-worthy speech) {sum(r['right'] for r in cw)}/{len(cw)}",
                "own voice kept without claimant",
                f"{sum(r['claimant'] is None for r in own)}/{len(own)}",
            )


if __name__ == "__main__":
    main()
