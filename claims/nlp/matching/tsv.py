"""The stateless file-to-file matching behind `manage.py match_claims` (no Django, no database)."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .config import MatchConfig
from .index import ClaimIndex, Embedder
from .signals import MatchCandidate

csv.field_size_limit(sys.maxsize)
QUERY_BATCH = 256


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def _tsv_table(content: str) -> list[list[str]]:
    """Cells of a TSV, quoted (csv module, QUOTE_MINIMAL) or not (plain tab-joined lines).

    A plain TSV whose texts start with a stray quote (tweets do) would make a csv reader run on
    across lines; when csv sees fewer rows than there are lines and every line splits into the
    header's number of tab-separated cells, the lines are taken as they are.
    """
    table = [row for row in csv.reader(io.StringIO(content), delimiter="\t") if row]
    lines = [line for line in content.splitlines() if line.strip()]
    if len(table) != len(lines) and lines:
        width = len(lines[0].split("\t"))
        split = [line.split("\t") for line in lines]
        if all(len(cells) == width for cells in split):
            return [[_unquote(cell) for cell in cells] for cells in split]
    return table


# Column names besides `id` and `text` that CheckThat!'s own files use (the 2020 task 2 files
# leave the id column's name empty), so those files can be given as they are.
ID_COLUMNS = ("id", "vclaim_id", "tweet_id", "iclaim_id", "")
TEXT_COLUMNS = ("text", "vclaim", "tweet_content", "iclaim")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(name) for name in names if name in header), None)


def read_tsv(source: Path | str | TextIO, *, with_title: bool = False) -> list[tuple[str, str]]:
    """Rows of a TSV with a header naming (at least) `id` and `text`; other columns are ignored.

    With `with_title` (the collection side of `match_claims`), a `title` column, where there is
    one, is added to each claim's text: a fact-checker's headline usually restates the claim in
    other words, which the matcher was fitted on (dev MAP@5 on CheckThat! 2020 0.89 without the
    titles, 0.93 with them; docs/model-card-matching.md).
    """
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8", newline="") as fh:
            return read_tsv(fh, with_title=with_title)
    table = _tsv_table(source.read())
    if not table:
        return []
    header = [h.strip().lstrip("\ufeff").lower() for h in table[0]]
    id_col, text_col = _column(header, ID_COLUMNS), _column(header, TEXT_COLUMNS)
    if id_col is None or text_col is None:
        raise ValueError(f"TSV header must name the columns 'id' and 'text', got {header}")
    title_col = header.index("title") if with_title and "title" in header else None
    rows: list[tuple[str, str]] = []
    for line_no, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(id_col, text_col):
            raise ValueError(f"row {line_no}: expected columns id and text, got {len(row)} fields")
        text = row[text_col]
        title = row[title_col].strip() if title_col is not None and title_col < len(row) else ""
        if title and title not in text:
            text = f"{text} {title}"
        rows.append((row[id_col].strip(), text))
    return rows


def match_rows(
    collection: list[tuple[str, str]],
    queries: list[tuple[str, str]],
    *,
    top: int = 5,
    config: MatchConfig | None = None,
    embedder: Embedder | None = None,
    english_embedder: Embedder | None = None,
) -> Iterator[tuple[str, list[MatchCandidate]]]:
    """Yield (query id, best matches) for each query, in input order."""
    index = ClaimIndex(config=config, embedder=embedder, english_embedder=english_embedder)
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
