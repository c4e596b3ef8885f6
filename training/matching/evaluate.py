"""Evaluate the matcher the way `manage.py match_claims` runs it: TSV files in, ranked ids out.

# dev splits end to end (writes TSVs to /tmp/matching, embeds with the /tmp cache):
OMP_NUM_THREADS=1 python -m training.matching.evaluate
# the English collections with the claim text alone (no titles):
python -m training.matching.evaluate --datasets clef2020-untitled clef2021-untitled
# or score the command's own JSON-lines output against a qrels file (query id, claim id):
python manage.py match_claims --collection C.tsv --queries Q.tsv --json > out.jsonl
python -m training.matching.evaluate --results out.jsonl --qrels qrels.tsv
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from claims.nlp.matching.tsv import match_rows, read_tsv

from .cache import CachedEmbedder, minilm_cached_embedder
from .datasets import DATASETS, UNTITLED, load, metrics, read_qrels, write_tsvs


def score_results(results: Path, qrels: Path) -> dict[str, float]:
    rankings = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            rankings[record["query"]] = [m["id"] for m in record["matches"]]
    return metrics(rankings, read_qrels(qrels))


def main() -> None:
    parser = argparse.ArgumentParser(description="MAP@5, MRR and recall@k of match_claims")
    parser.add_argument(
        "--datasets", nargs="*", default=list(DATASETS), choices=DATASETS + UNTITLED
    )
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--outdir", type=Path, default=Path("/tmp/matching"))  # noqa: S108
    parser.add_argument("--no-cache", action="store_true", help="embed everything afresh")
    parser.add_argument("--results", type=Path, help="match_claims --json output to score")
    parser.add_argument("--qrels", type=Path, help="qrels for --results (query id, claim id)")
    args = parser.parse_args()
    if args.results:
        if not args.qrels:
            parser.error("--results needs --qrels")
        print(json.dumps(score_results(args.results, args.qrels)))
        return
    embedder = None if args.no_cache else CachedEmbedder()
    english_embedder = None if args.no_cache else minilm_cached_embedder()
    for name in args.datasets:
        started = time.time()
        collection_tsv, queries_tsv, qrels_tsv = write_tsvs(load(name, args.split), args.outdir)
        rankings = {
            query: [m.id for m in matches]
            for query, matches in match_rows(
                read_tsv(collection_tsv),
                read_tsv(queries_tsv),
                top=20,
                embedder=embedder,
                english_embedder=english_embedder,
            )
        }
        result = metrics(rankings, read_qrels(qrels_tsv))
        print(
            json.dumps(
                {
                    "dataset": name,
                    "split": args.split,
                    **result,
                    "seconds": round(time.time() - started, 1),
                }
            ),
            flush=True,
        )
    if embedder is not None:
        embedder.save()
        english_embedder.save()


if __name__ == "__main__":
    main()
