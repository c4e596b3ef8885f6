"""Adapters from ../shared/datasets/matching/* to the `match_claims` TSV format, plus metrics.

    python -m training.matching.datasets clef2020 dev /tmp/matching  # collection, queries, qrels

Nothing written here is committed: the data's terms forbid it (see docs/model-card-matching.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# ../shared/datasets beside the project root unless CLAIMTRACKER_DATASETS says otherwise
_DEFAULT = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
DATA = Path(os.environ.get("CLAIMTRACKER_DATASETS") or _DEFAULT) / "matching"
DATASETS = ("clef2020", "clef2021", "de")
# The English collections without their claims' titles (the claim text alone), as a collection
# file of `id`, `text` may well hold them: the blend and adapters can be fitted on both forms.
UNTITLED = ("clef2020-untitled", "clef2021-untitled")
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class MatchingSet:
    name: str
    split: str
    collection: list[tuple[str, str]]
    queries: list[tuple[str, str]]
    qrels: dict[str, set[str]]


def _tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t"))


def _qrels(path: Path, query_col: int, doc_col: int) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) > max(query_col, doc_col):
            out.setdefault(parts[query_col].strip(), set()).add(parts[doc_col].strip())
    return out


def german_split(query_id: str) -> str:
    """Our own fixed split of the German posts: ~30% dev by a hash of the id."""
    digest = hashlib.md5(query_id.encode(), usedforsecurity=False).hexdigest()
    return "dev" if int(digest, 16) % 10 < 3 else "train"


def load(name: str, split: str, *, with_title: bool = True) -> MatchingSet:
    if name in UNTITLED:
        data = load(name.removesuffix("-untitled"), split, with_title=False)
        return MatchingSet(name, split, data.collection, data.queries, data.qrels)
    if split not in ("train", "dev"):
        raise ValueError("only train and dev: the test splits are held out")
    if name == "clef2020":
        root = DATA / "clef2020-task2"
        collection = []
        for row in _tsv_rows(root / "verified_claims.docs.tsv")[1:]:
            text = f"{row[1]} {row[2]}" if with_title and len(row) > 2 else row[1]
            collection.append((row[0], text))
        queries = [(r[0], r[1]) for r in _tsv_rows(root / split / "tweets.queries.tsv")[1:]]
        qrels = _qrels(root / split / "tweet-vclaim-pairs.qrels", 0, 2)
    elif name == "clef2021":
        root = DATA / "clef2021-task2b"
        collection = []
        for line in (root / "vclaims.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            text = f"{doc['vclaim']} {doc['title']}" if with_title else doc["vclaim"]
            collection.append((doc["vclaim_id"], text))
        qrels = _qrels(root / f"qrels-{split}.tsv", 0, 2)
        queries = [
            (r[0], r[1])
            for r in _tsv_rows(root / "iclaims-train-dev.queries.tsv")
            if len(r) > 1 and r[0] in qrels
        ]
    elif name == "de":
        root = DATA / "checkthat2025-de"
        collection = [(r[0], r[1]) for r in _tsv_rows(root / "collection.tsv")[1:]]
        queries = [
            (r[0], r[1]) for r in _tsv_rows(root / "queries.tsv")[1:] if german_split(r[0]) == split
        ]
        qrels = {
            q: d for q, d in _qrels(root / "qrels.tsv", 0, 1).items() if german_split(q) == split
        }
    else:
        raise ValueError(f"unknown dataset {name!r}; one of {DATASETS}")
    # The 2021 query file repeats some sentences (same id, same text) once per qrel line.
    queries = list(dict(reversed(queries)).items())[::-1]
    return MatchingSet(name, split, collection, queries, qrels)


def write_tsvs(data: MatchingSet, outdir: Path) -> tuple[Path, Path, Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    stem = f"{data.name}-{data.split}"
    paths = (
        outdir / f"{stem}-collection.tsv",
        outdir / f"{stem}-queries.tsv",
        outdir / f"{stem}-qrels.tsv",
    )
    for path, rows in ((paths[0], data.collection), (paths[1], data.queries)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            writer.writerow(["id", "text"])
            writer.writerows((i, " ".join(t.split())) for i, t in rows)
    with paths[2].open("w", encoding="utf-8") as fh:
        for q, docs in data.qrels.items():
            for d in sorted(docs):
                fh.write(f"{q}\t{d}\n")
    return paths


# -- metrics (CheckThat! task 2 definitions) -------------------------------------------------


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


def metrics(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]]
) -> dict[str, float]:
    """MAP@5, MRR and recall@1/5/20 over the queries that have relevant documents."""
    queries = [q for q in qrels if qrels[q]]
    out = {"MAP@5": 0.0, "MRR": 0.0, "R@1": 0.0, "R@5": 0.0, "R@20": 0.0}
    for q in queries:
        ranked, rel = list(rankings.get(q, ())), qrels[q]
        out["MAP@5"] += average_precision_at(ranked, rel, 5)
        out["MRR"] += next((1.0 / i for i, d in enumerate(ranked, 1) if d in rel), 0.0)
        for k in (1, 5, 20):
            out[f"R@{k}"] += len(rel & set(ranked[:k])) / len(rel)
    return {k: round(v / max(len(queries), 1), 4) for k, v in out.items()}


def read_qrels(path: Path) -> dict[str, set[str]]:
    return _qrels(path, 0, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("split", choices=("train", "dev"))
    default_out = Path("/tmp/matching")  # noqa: S108 (never committed, see the model card)
    parser.add_argument("outdir", type=Path, nargs="?", default=default_out)
    parser.add_argument("--no-title", action="store_true", help="collection text without titles")
    args = parser.parse_args()
    for path in write_tsvs(
        load(args.dataset, args.split, with_title=not args.no_title), args.outdir
    ):
        print(path)


if __name__ == "__main__":
    main()
