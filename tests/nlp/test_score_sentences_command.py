"""manage.py score_sentences: one output line per input line, in order, without a database."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_json_lines_in_order(tmp_path):
    path = tmp_path / "in.txt"
    lines = [
        "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump.",
        "Wie geht es dir?",
        "Die Arbeitslosenquote stieg 2023 auf 5,7 Prozent.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("score_sentences", str(path), "--lang", "de", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["text"] for r in rows] == lines
    for r in rows:
        assert {
            "text",
            "score",
            "checkworthy",
            "type",
            "reported",
            "claimant",
            "entities",
            "numbers",
        } <= set(r)
        assert isinstance(r["checkworthy"], bool) and 0 <= r["score"] <= 1
    assert rows[0]["reported"] and rows[0]["claimant"] == "Trump"
    assert rows[0]["numbers"][0]["normalized"] == "P1Y"
    assert rows[1]["type"] == "not_claim"


def test_tab_separated_from_stdin_without_database():
    """Runs the real command in a subprocess with stdin, with no database configured to exist."""
    proc = subprocess.run(
        [sys.executable, "manage.py", "score_sentences", "--lang", "en", "-"],
        input="Unemployment rose to 5.7 percent in 2023, the minister said.\n\nThank you.\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3"},
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert len(rows) == 3
    assert all(len(r) == 8 for r in rows)
    assert rows[0][2] == "quantity" and rows[0][3] == "reported"
    assert rows[0][7] == "Unemployment rose to 5.7 percent in 2023, the minister said."
    assert rows[1][2] == "not_claim" and rows[1][7] == ""
