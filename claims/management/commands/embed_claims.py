"""Store the matching vectors of claims that lack them, or encode every stored one again.

    python manage.py embed_claims [--refresh] [--batch 2000]

Without --refresh: vectors for check-worthy claims and claims with a verdict that have none (claims
stored before matching or its English signal was switched on). With --refresh: every claim that
has vectors is encoded again, after an upgrade that changes the encoders or the text they read
(the release notes say when); then rebuild the shared vector index (`manage.py matching_index
--rebuild`): it holds copies of the old vectors. New vectors reach the index by its writer (the
beat task) without anything else to do. Both are idempotent and can be interrupted and run again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.matching import claim_embeddings_backfill, claim_embeddings_refresh


class Command(BaseCommand):
    help = "Store missing matching vectors of claims, or (--refresh) encode every stored one again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh", action="store_true", help="encode claims that have vectors again"
        )
        parser.add_argument("--batch", type=int, default=2000, help="claims per transaction")

    def handle(self, *args, **options) -> None:
        batch = max(1, options["batch"])
        total = 0
        if options["refresh"]:
            after = 0
            while True:
                done, after = claim_embeddings_refresh(after_id=after, limit=batch)
                total += done
                if not done:
                    break
            self.stdout.write(f"re-encoded {total} claims")
            return
        while done := claim_embeddings_backfill(limit=batch):
            total += done
            if done < batch:
                break
        self.stdout.write(f"stored vectors for {total} claims")
