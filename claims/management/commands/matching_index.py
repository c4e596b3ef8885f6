"""Build or update the shared vector indexes of matching from the vectors stored on claims and
on known fact-checks.

    python manage.py matching_index [--rebuild]

Incremental by default (what the beat tasks `vector_index_update_task` and
`factcheck_index_update_task` do every CLAIMTRACKER_VECTOR_INDEX_INTERVAL seconds); `--rebuild`
writes fresh generations from every stored vector (after `embed_claims --refresh`, or to drop
deleted claims' and corrected reviews' word counts). Workers
keep searching the current generation meanwhile and switch when the new one is in place, so it
needs no downtime. Waits for a writer already at work instead of skipping.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.factchecks.index import factcheck_index_update
from claims.services.matching import vector_index_update


class Command(BaseCommand):
    help = "Update (or --rebuild) the shared vector indexes of matching from stored vectors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="start from nothing")

    def handle(self, *args, **options) -> None:
        for what, update in (
            ("claims", vector_index_update),
            ("known fact-checks", factcheck_index_update),
        ):
            generation = update(rebuild=options["rebuild"], wait=True)
            if generation is None:
                self.stdout.write(f"{what}: the index is up to date")
                continue
            self.stdout.write(
                f"{what}: generation {generation.number}: "
                f"{generation.counts.get('multilingual', 0)} rows "
                f"({generation.counts.get('english', 0)} with an English vector) up to id "
                f"{generation.high_water}"
            )
