"""Match query claims against a collection of claims, from TSV files, without a database.

    python manage.py match_claims --collection claims.tsv --queries new.tsv [--top 5] [--json]

Both files: tab-separated with a header naming `id` and `text` (other columns are ignored; the names
CheckThat!'s files use are taken too). A collection's `title` column, if it has one, is added to
each claim's text (fact-checkers' headlines restate the claim). The same
matching core (claims.nlp.matching) as the app's workers; nothing is read from or written to the DB.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.nlp.matching import match_level
from claims.nlp.matching.tsv import match_record, match_rows, read_tsv


class Command(BaseCommand):
    help = "Match claims in --queries against --collection (TSV files with id and text columns)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--collection", type=Path, required=True, help="TSV of known claims")
        parser.add_argument("--queries", type=Path, required=True, help="TSV of claims to match")
        parser.add_argument("--top", type=int, default=5, help="matches per query (default 5)")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, **options) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        try:
            collection = read_tsv(options["collection"], with_title=True)
            queries = read_tsv(options["queries"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for query_id, matches in match_rows(collection, queries, top=options["top"]):
            if options["json"]:
                line = json.dumps(match_record(query_id, matches), ensure_ascii=False)
                self.stdout.write(line)
                continue
            self.stdout.write(f"{query_id}")
            if not matches:
                self.stdout.write("  (no candidates)")
            for rank, m in enumerate(matches, start=1):
                level = match_level(m.score) or "-"
                self.stdout.write(f"  {rank}. {m.id}  {m.score:.3f}  {level:9}  {m.reason}")
