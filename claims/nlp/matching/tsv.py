"""The stateless file-to-file matching behind `manage.py match_claims` (no Django, no database)."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .config import MatchConfig
from .index import ClaimIndex, Embedder, MatchCandidate

csv.field_size_limit(sys.maxsize)
QUERY_BATCH = 256


def read_tsv(source: Path | str | TextIO) -> list[tuple[str, str]]:
    """Rows of a TSV with a header naming (at least) `id` and `text`; other columns are ignored."""
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8", newline="") as fh:
            return read_tsv(io.StringIO(fh.read()))
    reader = csv.reader(source, delimiter="\t")
    header = next(reader, None)
    if header is None:
        return []
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    try:
        id_col, text_col = header.index("id"), header.index("text")
    except ValueError:
        raise ValueError(
            f"TSV header must name the columns 'id' and 'text', got {header}"
        ) from None
    rows: list[tuple[str, str]] = []
    for line_no, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(id_col, text_col):
            raise ValueError(f"line {line_no}: expected columns id and text, got {len(row)} fields")
        rows.append((row[id_col].strip(), row[text_col]))
    return rows


def match_rows(
    collection: list[tuple[str, str]],
    queries: list[tuple[str, str]],
    *,
    top: int = 5,
    config: MatchConfig | None = None,
    embedder: Embedder | None = None,
) -> Iterator[tuple[str, list[MatchCandidate]]]:
    """Yield (query id, best matches) for each query, in input order."""
    index = ClaimIndex(config=config, embedder=embedder)
    seen: set[str] = set()
    ids, texts = [], []
    for claim_id, text in collection:
        if claim_id in seen:
            raise ValueError(f"duplicate collection id {claim_id!r}")
        seen.add(claim_id)
        ids.append(claim_id)
        texts.append(text)
    if ids:
        index.add(ids, texts)
    for start in range(0, len(queries), QUERY_BATCH):
        batch = queries[start : start + QUERY_BATCH]
        found = index.search([t for _, t in batch], top=top)
        yield from zip((q for q, _ in batch), found, strict=True)


def match_record(query_id: str, matches: list[MatchCandidate], *, details: bool = False) -> dict:
    """The command's JSON line: {"query": id, "matches": [{"id": ..., "score": ...}, ...]}."""
    items = []
    for m in matches:
        item: dict = {"id": m.id, "score": m.score}
        if details:
            item["reason"] = m.reason
        items.append(item)
    return {"query": query_id, "matches": items}
