"""Assess which stored claims need the article's context ("Needs context" on the desk).

    python manage.py backfill_needs_context [--refresh] [--batch 500]

Without --refresh: the claims stored before the flag existed (NULL), from their stored standalone
text. With --refresh: every claim again, after an upgrade that changes the detector
(claims.nlp.references; the release notes say when). Idempotent; it can be interrupted and run
again. New claims get the flag from the extraction and need nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.claim_context import claims_context_backfill


class Command(BaseCommand):
    help = "Flag stored claims whose standalone text still needs the article's context."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--refresh", action="store_true", help="assess every claim again")
        parser.add_argument("--batch", type=int, default=500, help="claims per transaction")

    def handle(self, *args, **options) -> None:
        batch, refresh = max(1, options["batch"]), options["refresh"]
        total, after = 0, 0
        while True:
            done, after = claims_context_backfill(limit=batch, after_id=after, refresh=refresh)
            total += done
            if done < batch:
                break
        self.stdout.write(f"assessed {total} claims")
