"""`manage.py ingest --json`: every claim object carries `speaker` ({id, name, role} or null)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from claims.models import Claim

pytestmark = pytest.mark.django_db

TEXT = (
    "Die Zahl der Pflegekräfte in Deutschland ist im vergangenen Jahr um 4,5 Prozent auf "
    "1,7 Millionen gestiegen. Das sagte Gesundheitsminister Jens Spahn am Dienstag in Berlin.\n\n"
    "Die Bahn ist im Oktober pünktlicher gewesen als im Vorjahr."
)


def test_ingest_json_claims_carry_their_speaker(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(TEXT))
    call_command("ingest", "--sync", "--json", "-", stdout=out)
    [row] = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]

    assert row["status"] == "done", row["error"]
    assert all("speaker" in c for c in row["claims"])
    spoken = [c for c in row["claims"] if c["claimant"] == "Jens Spahn"]
    assert spoken
    speaker = spoken[0]["speaker"]
    assert speaker["name"] == "Jens Spahn"
    assert "Gesundheitsminister" in speaker["role"]
    assert speaker["id"] == Claim.objects.get(pk=spoken[0]["id"]).speaker_id
    assert set(speaker) == {"id", "name", "role"}
    own_voice = [c for c in row["claims"] if c["claimant"] is None]
    assert own_voice and all(c["speaker"] is None for c in own_voice)
