"""`manage.py match_claims`: the TSV-in, JSON-lines-out contract, without touching the database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    collection = _write_tsv(
        tmp_path / "collection.tsv",
        ["id", "text", "source"],
        [
            [
                "v1",
                "North Korea has not tested nuclear weapons or missiles for more than a year.",
                "x",
            ],
            ["v2", "Covid vaccines alter human DNA.", "y"],
            ["v3", "Wind turbines kill millions of birds in Germany every year.", "z"],
            ["v4", "The 1969 moon landing was staged in a film studio.", "z"],
        ],
    )
    queries = _write_tsv(
        tmp_path / "queries.tsv",
        ["text", "id"],
        [
            ["Nordkorea hat seit mehr als einem Jahr keine Atomwaffen mehr getestet.", "de-1"],
            ["RT @someone: the vaccines change your DNA!!! https://t.co/x #plandemic", "en-2"],
        ],
    )
    return collection, queries


def test_json_lines_in_query_order_best_first(files: tuple[Path, Path]):
    # No `db` fixture: pytest-django fails the test if the command touches the database.
    out = io.StringIO()
    call_command(
        "match_claims", collection=files[0], queries=files[1], top=3, json=True, stdout=out
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["query"] for line in lines] == ["de-1", "en-2"]
    assert [line["matches"][0]["id"] for line in lines] == ["v1", "v2"]
    for line in lines:
        assert len(line["matches"]) == 3
        assert all(set(m) == {"id", "score"} for m in line["matches"])
        scores = [m["score"] for m in line["matches"]]
        assert scores == sorted(scores, reverse=True)


def test_readable_output_shows_level_and_reason(files: tuple[Path, Path]):
    out = io.StringIO()
    call_command(
        "match_claims", "--collection", str(files[0]), "--queries", str(files[1]), stdout=out
    )
    text = out.getvalue()
    assert text.splitlines()[0] == "de-1"
    assert "1. v1" in text and "similar" in text


def test_bad_input_is_a_command_error(tmp_path: Path, files: tuple[Path, Path]):
    bad = _write_tsv(tmp_path / "bad.tsv", ["key", "claim"], [["a", "b"]])
    with pytest.raises(CommandError, match="id"):
        call_command("match_claims", collection=bad, queries=files[1], stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "match_claims",
            collection=tmp_path / "missing.tsv",
            queries=files[1],
            stdout=io.StringIO(),
        )


def test_a_collection_title_column_is_matched_with_the_claim(tmp_path: Path):
    """A fact-checker's headline often says the claim in the words a post uses."""
    rows = [
        ["v1", "A photograph shows a shark swimming on a flooded road.", "Hurricane Harvey shark"],
        ["v2", "The city council raised property taxes by 12 percent.", "Council tax rise"],
        ["v3", "A video shows a bear opening a car door in Colorado.", "Bear in the car"],
    ]
    queries = _write_tsv(
        tmp_path / "q.tsv", ["id", "text"], [["q1", "Hurricane Harvey: a shark on the highway!!"]]
    )

    def best(header: list[str]) -> dict:
        collection = _write_tsv(tmp_path / "c.tsv", header, rows)
        out = io.StringIO()
        call_command("match_claims", collection=collection, queries=queries, json=True, stdout=out)
        return json.loads(out.getvalue())["matches"][0]

    titled, untitled = best(["id", "text", "title"]), best(["id", "text", "headline"])
    assert titled["id"] == untitled["id"] == "v1"
    assert titled["score"] > untitled["score"]
