"""Dump, per annotated article, every unit's claimant choices (with the resolver's features) and
the gold items mapped to their units, for training and scoring the source resolver offline.

    python -m training.attribution.resolver_data --split dev --out /tmp/resolver_dev.json

The pipeline runs with the rules' claimants (``attribution_resolver.RECORD`` set: the resolver
records instead of deciding), exactly as ``training/extraction/evaluate.py`` runs it, so the
rules' row of the offline scores equals the harness's claimant figures. Development data only:
spent splits.
"""

from __future__ import annotations

import argparse
import functools
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
)


def _unit_of(sentence: str, *, text: str, norm: str, spans: list[tuple[int, int]]) -> int | None:
    """The unit covering a gold sentence best (as the harness finds it), or None."""
    span = locate(sentence, text, norm)
    if span is None:
        return None
    best = max(range(len(spans)), key=lambda k: _overlap(spans[k], span), default=None)
    return best if best is not None and _overlap(spans[best], span) > 0 else None


def dump(split: str, shared: Path | None = None) -> list[dict]:
    from claims.nlp import attribution_resolver
    from claims.nlp.extract import ArticleContext, extract_claims_batch

    shared = shared or Path(os.environ.get("CLAIMTRACKER_SHARED") or default_shared())
    out = []
    for g in load_gold(split):
        art = read_article(g, shared)
        attribution_resolver.RECORD = []
        try:
            (claims,) = extract_claims_batch(
                [art.text], g.language, contexts=[ArticleContext.of(art.title, art.published)]
            )
            records = attribution_resolver.RECORD
        finally:
            attribution_resolver.RECORD = None
        units = []
        for c in claims:
            rec = next((k for k, r in enumerate(records) if r["start"] <= c.start < r["end"]), None)
            units.append(
                {
                    "start": c.start,
                    "end": c.end,
                    "candidate": bool(c.candidate),
                    "claimant": c.claimant,
                    "reported": bool(c.reported),
                    "record": rec,
                }
            )
        norm = _normalised(art.text)
        spans = [(u["start"], u["end"]) for u in units]
        unit_of = functools.partial(_unit_of, text=art.text, norm=norm, spans=spans)
        a = g.annotation
        items = []
        speech = set()
        for item in a.get("reported_speech", []):
            speech.add(item["sentence"])
            items.append(
                {
                    "sentence": item["sentence"],
                    "speaker": item["speaker"],
                    "checkworthy": bool(item.get("checkworthy")),
                    "unit": unit_of(item["sentence"]),
                }
            )
        for item in a.get("top_claims", []) + a.get("checkworthy", []):
            if item["sentence"] in speech or item.get("claimant") is not None:
                continue
            items.append(
                {
                    "sentence": item["sentence"],
                    "own_voice": True,
                    "speaker": None,
                    "unit": unit_of(item["sentence"]),
                }
            )
        out.append(
            {
                "id": g.id,
                "split": g.split,
                "lang": g.language,
                "units": units,
                "records": records,
                "items": items,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = dump(args.split)
    args.out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
