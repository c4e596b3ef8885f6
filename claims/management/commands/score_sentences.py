"""Score sentences for check-worthiness and analyse them, one input line -> one output line.

    python manage.py score_sentences --lang de|en [--json] FILE|-

Each input line is one unit (a sentence or a short text); the output keeps the order. Works without
a database: it only runs claims.nlp.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.nlp import ExtractedClaim, analyse_sentences

BATCH = 256


class Command(BaseCommand):
    help = "Score and analyse sentences (one per line) for check-worthiness; no database needed."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="file with one sentence per line, or - for stdin")
        parser.add_argument("--lang", required=True, choices=["de", "en"])
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["input"]
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with stream:
            batch: list[str] = []
            done = 0
            for line in stream:
                batch.append(line.rstrip("\r\n"))
                if len(batch) >= BATCH:
                    done += self._emit(batch, done, options)
                    batch = []
            if batch:
                self._emit(batch, done, options)

    def _emit(self, lines: list[str], offset: int, options: dict[str, Any]) -> int:
        for claim in analyse_sentences(lines, options["lang"]):
            claim = dataclasses.replace(claim, index=offset + claim.index)
            self.stdout.write(format_json(claim) if options["json"] else format_tsv(claim))
        self.stdout.flush()
        return len(lines)


def format_json(claim: ExtractedClaim) -> str:
    return json.dumps(claim.to_dict(), ensure_ascii=False)


def format_tsv(claim: ExtractedClaim) -> str:
    """score, checkworthy, type, reported, claimant, numbers, entities, text: tab-separated."""
    numbers = "; ".join(f"{n.text}={n.normalized}" for n in claim.numbers)
    entities = "; ".join(f"{e.text}/{e.label}" for e in claim.entities)
    cols = [
        f"{claim.score:.3f}",
        "yes" if claim.checkworthy else "no",
        claim.claim_type,
        "reported" if claim.reported else "-",
        claim.claimant or "-",
        numbers or "-",
        entities or "-",
        claim.text.replace("\t", " "),
    ]
    return "\t".join(cols)
