"""Build or update the shared vector index of matching from the vectors stored on claims.

    python manage.py matching_index [--rebuild]

Incremental by default (what the beat task `vector_index_update_task` does every
CLAIMTRACKER_VECTOR_INDEX_INTERVAL seconds); `--rebuild` writes a fresh generation from every
stored vector (after `embed_claims --refresh`, or to drop deleted claims' word counts). Workers
keep searching the current generation meanwhile and switch when the new one is in place, so it
needs no downtime. Waits for a writer already at work instead of skipping.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.matching import vector_index_update


class Command(BaseCommand):
    help = "Update (or --rebuild) the shared vector index of matching from stored vectors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="start from nothing")

    def handle(self, *args, **options) -> None:
        generation = vector_index_update(rebuild=options["rebuild"], wait=True)
        if generation is None:
            self.stdout.write("the index is up to date")
            return
        self.stdout.write(
            f"generation {generation.number}: {generation.counts.get('multilingual', 0)} claims "
            f"({generation.counts.get('english', 0)} with an English vector) up to id "
            f"{generation.high_water}"
        )
